/**
 * Per-run usage for budgets, shared by every gateway replica: a Redis hash per run that each call
 * increments. PostgreSQL's receipts are the record: when the counter is missing (expired, Redis
 * restarted) it is rebuilt from them. A call finishing during a rebuild can be missed once, so the
 * budget is enforced to within one call after a Redis loss; otherwise exactly on the replica that
 * counted a run's calls, and to within another replica's last `lingerMs` of counts.
 *
 * With a push channel, every increment publishes the counter's new totals and version on
 * `USAGE_CHANNEL`, and a replica that has read a run's counter once keeps it current from those
 * messages instead of reading it per call, for as long as the channel stays live in the epoch of that
 * read. Its view then lags another replica's counts by that replica's linger plus a message's delivery
 * (as a read per call lags by the linger), and never misses its own: what it holds or has sent without
 * an answer yet is added to what it last heard. Until its own increment is answered, a message carrying
 * it may count it twice: a run can be judged one call's usage early for a Redis round trip, never late.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import type { Db } from "@clawea/db";
import type { Usage } from "@clawea/policy";
import type { RedisPush } from "../../push/redis-push.js";
import { luaScript } from "./model-proxy.lua.js";
import { modelProxyRepo } from "./model-proxy.repo.js";

const COUNTER_TTL_S = 7 * 24 * 60 * 60;
const key = (tenantId: string, runId: string) => `clawea:gw:usage:${tenantId}:${runId}`;

/** Pub/sub channel of counter totals: `<counter key> <version> <tokens> <cost>`. */
export const USAGE_CHANNEL = "clawea:gw:usage";

// Increment only a counter that exists: a missing one is rebuilt from receipts, which include this call.
// The version `v` grows by one per increment, so a replica keeps the newest totals whatever order
// messages and answers reach it in. (%d: Lua's own number to string conversion rounds to 14 digits.)
const ADD = luaScript(`if redis.call('exists', KEYS[1]) == 0 then return false end
local tokens = redis.call('hincrby', KEYS[1], 'tokens', ARGV[1])
local cost = redis.call('hincrby', KEYS[1], 'cost', ARGV[2])
local v = redis.call('hincrby', KEYS[1], 'v', 1)
redis.call('expire', KEYS[1], ARGV[3])
redis.call('publish', ARGV[4], string.format('%s %d %d %d', KEYS[1], v, tokens, cost))
return {v, tokens, cost}`);
// A rebuilt counter starts its version at the rebuild's time in microseconds: above any version of a
// counter it replaces (fewer than a thousand increments a millisecond), so stale totals never win.
const LOAD = luaScript(`if redis.call('exists', KEYS[1]) == 0 then
  redis.call('hset', KEYS[1], 'tokens', ARGV[1], 'cost', ARGV[2], 'v', ARGV[4])
  redis.call('expire', KEYS[1], ARGV[3])
end
return redis.call('hmget', KEYS[1], 'tokens', 'cost', 'v')`);

export interface UsageMeter {
  usedBy(tenantId: string, runId: string): Promise<Usage>;
  /** Counts a call's usage against its run; failures are logged (the receipts stay the record). */
  add(tenantId: string, runId: string, tokens: number, costMinor: number): void;
  /** Sends every count still held here. */
  flush(): Promise<void>;
}

interface Count {
  tokens: number;
  costMinor: number;
}

/** A counter's totals at a version. */
interface Totals extends Count {
  version: number;
}

/** A run's counter as last heard, trusted while the push channel is live in `epoch`. */
interface Heard extends Totals {
  epoch: number;
}

const DEFAULT_METER_LINGER_MS = 10;
/** Past this many runs heard of, they are forgotten and read again. */
const MAX_HEARD = 50_000;

function usage(count: Count): Usage {
  return { tokens_used: count.tokens, cost_used_minor: count.costMinor };
}

function addTo(counts: Map<string, Count>, counterKey: string, tokens: number, costMinor: number): void {
  const count = counts.get(counterKey);
  if (count) {
    count.tokens += tokens;
    count.costMinor += costMinor;
    if (count.tokens === 0 && count.costMinor === 0) counts.delete(counterKey);
  } else counts.set(counterKey, { tokens, costMinor });
}

/**
 * Counts are held up to `lingerMs` and summed per run, then sent: a run's next budget read sends its
 * held count first, in the same pipeline and ahead of the read (one connection applies commands in
 * order), so this replica always judges a run by every call it counted, at one Redis write per call
 * instead of two. Another replica sees a count at most `lingerMs` late.
 */
export function createUsageMeter(deps: { db: Db; redis: Redis; log: Pick<FastifyBaseLogger, "error">; lingerMs?: number; push?: RedisPush | undefined }): UsageMeter {
  const lingerMs = deps.lingerMs ?? DEFAULT_METER_LINGER_MS;
  const { push } = deps;
  const held = new Map<string, Count>();
  /** Sent, not yet answered. */
  const inFlight = new Map<string, Count>();
  const heard = new Map<string, Heard>();
  /**
   * Runs being read: a message that arrives before the read's answer may be newer than it, so the
   * newest is kept here and heard after the read.
   */
  const reading = new Map<string, { readers: number; newest: Totals | null }>();
  let timer: NodeJS.Timeout | null = null;

  /** Keeps totals if they are newer than what was heard, and if they may be trusted. */
  function hear(counterKey: string, totals: Totals, epoch: number | null): void {
    const known = heard.get(counterKey);
    if (known) {
      if (totals.version > known.version) Object.assign(known, totals);
      return;
    }
    if (epoch === null || !push?.live || push.epoch !== epoch) return;
    if (heard.size >= MAX_HEARD) heard.clear();
    heard.set(counterKey, { ...totals, epoch });
  }

  push?.on(USAGE_CHANNEL, (message) => {
    const [counterKey, version, tokens, costMinor] = message.split(" ");
    if (counterKey === undefined) return;
    const totals = { tokens: Number(tokens), costMinor: Number(costMinor), version: Number(version) };
    const read = reading.get(counterKey);
    if (read && (read.newest === null || totals.version > read.newest.version)) read.newest = totals;
    // Only runs read here are kept current; a run first heard of now is read when it is asked for.
    if (heard.has(counterKey)) hear(counterKey, totals, null);
  });

  /** Sends the run's held count; resolves with the counter's totals after it, null if not counted. */
  function send(counterKey: string): Promise<Totals | null> {
    const count = held.get(counterKey);
    if (!count) return Promise.resolve(null);
    held.delete(counterKey);
    addTo(inFlight, counterKey, count.tokens, count.costMinor);
    return ADD(deps.redis, [counterKey], [count.tokens, count.costMinor, COUNTER_TTL_S, USAGE_CHANNEL]).then(
      (answer) => {
        addTo(inFlight, counterKey, -count.tokens, -count.costMinor);
        if (!Array.isArray(answer)) {
          // Not counted (the counter was gone): the receipts, from which it is rebuilt, include it.
          heard.delete(counterKey);
          return null;
        }
        const totals = { version: Number(answer[0]), tokens: Number(answer[1]), costMinor: Number(answer[2]) };
        hear(counterKey, totals, null);
        return totals;
      },
      (error: unknown) => {
        addTo(inFlight, counterKey, -count.tokens, -count.costMinor);
        heard.delete(counterKey);
        deps.log.error({ err: error, counter: counterKey }, "run budget usage not counted");
        return null;
      },
    );
  }

  function sendAll(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    return Promise.all([...held.keys()].map(send)).then(() => undefined);
  }

  /** What this replica counted that the counter it last heard may not hold yet. */
  function ownSince(counterKey: string): Count {
    const a = held.get(counterKey);
    const b = inFlight.get(counterKey);
    return { tokens: (a?.tokens ?? 0) + (b?.tokens ?? 0), costMinor: (a?.costMinor ?? 0) + (b?.costMinor ?? 0) };
  }

  async function read(counterKey: string, tenantId: string, runId: string): Promise<Usage> {
    const epoch = push?.live ? push.epoch : null;
    let read = reading.get(counterKey);
    if (!read) reading.set(counterKey, (read = { readers: 0, newest: null }));
    read.readers++;
    try {
      // Sent ahead of the read on the same connection, so the read holds it; unless Redis had lost the
      // script and the send went again after the read, which its answer's newer version then shows.
      const sent = send(counterKey);
      let values = await deps.redis.hmget(counterKey, "tokens", "cost", "v");
      if (values[0] === null) {
        // Receipts carry each priced call's cost, so a rebuilt counter has both dimensions.
        const used = await modelProxyRepo.usageFromReceipts(deps.db, tenantId, runId);
        values = (await LOAD(deps.redis, [counterKey], [used.tokens, used.costMinor, COUNTER_TTL_S, Date.now() * 1000])) as (string | null)[];
      }
      let totals: Totals = { version: Number(values[2] ?? 0), tokens: Number(values[0] ?? 0), costMinor: Number(values[1] ?? 0) };
      const afterSend = await sent;
      if (afterSend && afterSend.version > totals.version) totals = afterSend;
      hear(counterKey, totals, epoch);
      if (read.newest && heard.has(counterKey)) hear(counterKey, read.newest, null);
      return usage(totals);
    } finally {
      if (--read.readers === 0) reading.delete(counterKey);
    }
  }

  return {
    usedBy(tenantId, runId) {
      const counterKey = key(tenantId, runId);
      const known = heard.get(counterKey);
      if (known && push?.live && push.epoch === known.epoch) {
        const own = ownSince(counterKey);
        return Promise.resolve(usage({ tokens: known.tokens + own.tokens, costMinor: known.costMinor + own.costMinor }));
      }
      if (known) heard.delete(counterKey);
      return read(counterKey, tenantId, runId);
    },
    add(tenantId, runId, tokens, costMinor) {
      if (tokens === 0 && costMinor === 0) return;
      const counterKey = key(tenantId, runId);
      addTo(held, counterKey, tokens, costMinor);
      if (lingerMs <= 0) void send(counterKey);
      else timer ??= setTimeout(() => void sendAll(), lingerMs);
    },
    flush: sendAll,
  };
}
