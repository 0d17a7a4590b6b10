// The push channel: live only while subscribed and heard from; every possible gap bumps its epoch.
import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { killRedisClient } from "../gateway.test-support.js";
import { createRedisPush } from "./redis-push.js";

let redis: Redis;

beforeAll(() => {
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await redis.quit();
});

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5_000, interval: 10 });

describe("the Redis push channel", () => {
  it("is live once subscribed and hands each message to its channel's handler; a cut link is a new epoch, live again once resubscribed", async () => {
    const name = `clawea-push-test-${randomBytes(6).toString("hex")}`;
    const channel = `clawea:test:${name}`;
    const log = { warn: vi.fn() };
    const push = createRedisPush(redis, { channels: [channel], connectionName: name, log });
    try {
      await waitFor(() => expect(push.live).toBe(true));
      const seen: string[] = [];
      push.on(channel, (message) => seen.push(message));
      expect(() => push.on("clawea:test:other", () => undefined)).toThrow(/not subscribed/);
      await redis.publish(channel, "first");
      await waitFor(() => expect(seen).toEqual(["first"]));

      const before = push.epoch;
      await killRedisClient(redis, name);
      await waitFor(() => expect(push.epoch).toBeGreaterThan(before));
      expect(log.warn).toHaveBeenCalledWith({ reason: "connection closed" }, expect.stringContaining("reading Redis per call"));
      await waitFor(() => expect(push.live).toBe(true));
      await redis.publish(channel, "second");
      await waitFor(() => expect(seen).toEqual(["first", "second"]));
    } finally {
      await push.close();
    }
    expect(push.live).toBe(false);
  });

  it("stops being live, in a new epoch, when its heartbeat goes unanswered on a link that stays open", async () => {
    const silent = await silentRedis();
    const client = new Redis(silent.url, { maxRetriesPerRequest: null, enableReadyCheck: false, lazyConnect: true });
    const log = { warn: vi.fn() };
    const push = createRedisPush(client, { channels: ["clawea:test:silent"], heartbeatMs: 50, log });
    try {
      await waitFor(() => expect(push.live).toBe(true));
      const before = push.epoch;
      // The fake server answers the subscription and then nothing: no PONG ever comes.
      await waitFor(() => expect(push.epoch).toBeGreaterThan(before));
      expect(log.warn).toHaveBeenCalledWith({ reason: "heartbeat not answered" }, expect.any(String));
      expect(silent.connections()).toBeGreaterThanOrEqual(1);
    } finally {
      await push.close();
      client.disconnect();
      await silent.close();
    }
  });
});

/**
 * A Redis that accepts connections, confirms subscriptions and answers nothing else: a link that is
 * open but silent, as a half-open TCP connection looks from the client.
 */
async function silentRedis(): Promise<{ url: string; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let pending = "";
    socket.on("data", (data) => {
      pending += data.toString("utf8");
      for (;;) {
        const command = readCommand(pending);
        if (!command) break;
        pending = pending.slice(command.length);
        const [name, ...args] = command.args;
        if (name?.toLowerCase() === "subscribe") {
          args.forEach((channel, i) => socket.write(`*3\r\n$9\r\nsubscribe\r\n$${Buffer.byteLength(channel)}\r\n${channel}\r\n:${i + 1}\r\n`));
        } else if (name?.toLowerCase() === "client") socket.write("+OK\r\n");
        // An old Redis: no RESP3, so the client speaks RESP2.
        else if (name?.toLowerCase() === "hello") socket.write("-ERR unknown command 'hello'\r\n");
        // PING and the rest: silence.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** One RESP array of bulk strings from the front of `text`, or null if it has not all arrived. */
function readCommand(text: string): { args: string[]; length: number } | null {
  if (!text.startsWith("*")) return null;
  let at = text.indexOf("\r\n");
  if (at < 0) return null;
  const count = Number(text.slice(1, at));
  at += 2;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    const end = text.indexOf("\r\n", at);
    if (end < 0) return null;
    const size = Number(text.slice(at + 1, end));
    const start = end + 2;
    if (text.length < start + size + 2) return null;
    args.push(text.slice(start, start + size));
    at = start + size + 2;
  }
  return { args, length: at };
}
