/**
 * Redis pub/sub for state a replica keeps locally (CST revocations, run budget counts) instead of
 * reading it from Redis on every call. What a replica keeps is only as good as the messages it has
 * not missed, so the channel says whether it is `live` (subscribed, and its heartbeat answered) and
 * bumps `epoch` whenever messages may have been lost (connection closed or silent, Redis restarted).
 * Callers tag what they learned with the epoch it was learned in and trust it only while the channel is
 * live in that epoch; otherwise they read Redis per call, as if there were no channel.
 */
import type { Redis } from "ioredis";

export interface RedisPush {
  /** Subscribed, and the last heartbeat was answered in time. */
  readonly live: boolean;
  /** Changes whenever messages may have been missed; unchanged while live. */
  readonly epoch: number;
  /** Sets the handler of one of the channels; its messages before that are dropped (nothing kept them). */
  on(channel: string, handler: (message: string) => void): void;
  close(): Promise<void>;
}

export interface RedisPushOptions {
  channels: readonly string[];
  /**
   * A PING goes this often on the subscriber connection; one not answered before the next is due makes
   * the channel not live and reconnects it. Bounds how long a silently broken link goes unnoticed.
   */
  heartbeatMs?: number;
  /** The subscriber connection's name (CLIENT LIST), default `clawea-gateway-push`. */
  connectionName?: string;
  log: { warn: (fields: Record<string, unknown>, message: string) => void };
}

const DEFAULT_HEARTBEAT_MS = 1_000;

/** Subscribes a duplicate of `redis` (a subscribed connection can run nothing else) to the handlers' channels. */
export function createRedisPush(redis: Redis, options: RedisPushOptions): RedisPush {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const { channels } = options;
  const handlers = new Map<string, (message: string) => void>();
  // Resubscribed by hand on every ready, so `live` is set only once the subscription is confirmed.
  const sub = redis.duplicate({
    autoResubscribe: false,
    enableAutoPipelining: false,
    maxRetriesPerRequest: null,
    lazyConnect: true,
    connectionName: options.connectionName ?? "clawea-gateway-push",
  });
  let live = false;
  let epoch = 0;
  let closed = false;
  let awaitingPong = false;

  function lost(reason: string): void {
    if (live) options.log.warn({ reason }, "Redis push channel lost: reading Redis per call until it is back");
    live = false;
    epoch++;
  }

  sub.on("message", (channel: string, message: string) => {
    // A message that reaches a channel not live is still true; only its absence is unknown then.
    handlers.get(channel)?.(message);
  });
  sub.on("ready", () => {
    awaitingPong = false;
    const subscribedIn = epoch;
    sub.subscribe(...channels).then(
      () => {
        if (!closed && epoch === subscribedIn) live = true;
      },
      () => lost("subscribe failed"),
    );
  });
  sub.on("close", () => lost("connection closed"));
  sub.on("error", () => undefined);

  const heartbeat = setInterval(() => {
    if (closed || sub.status !== "ready") return;
    if (awaitingPong) {
      // After a stall of this process's event loop, timers run before the socket's waiting answer is
      // read: look again once this turn's I/O has been read, so only Redis' silence counts.
      setImmediate(() => {
        if (!awaitingPong || closed || sub.status !== "ready") return;
        lost("heartbeat not answered");
        awaitingPong = false;
        // Reconnects (ioredis' retry strategy); `ready` subscribes again.
        sub.disconnect(true);
      });
      return;
    }
    awaitingPong = true;
    sub.ping().then(
      () => (awaitingPong = false),
      () => undefined,
    );
  }, heartbeatMs);
  heartbeat.unref();

  sub.connect().catch(() => lost("connect failed"));

  return {
    get live() {
      return live;
    },
    get epoch() {
      return epoch;
    },
    on(channel, handler) {
      if (!channels.includes(channel)) throw new Error(`not subscribed to ${channel}`);
      handlers.set(channel, handler);
    },
    async close() {
      closed = true;
      clearInterval(heartbeat);
      live = false;
      epoch++;
      sub.disconnect();
    },
  };
}
