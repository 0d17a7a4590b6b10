/**
 * Per-run usage for budgets, shared by every gateway replica: a Redis hash per run that each call
 * increments. PostgreSQL's receipts are the record: when the counter is missing (expired, Redis
 * restarted) it is rebuilt from them. A call finishing during a rebuild can be missed once, so the
 * budget is enforced to within one call after a Redis loss; otherwise exactly on the replica that
 * counted a run's calls, and to within another replica's last `lingerMs` of counts.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import type { Db } from "@clawea/db";
import type { Usage } from "@clawea/policy";
import { luaScript } from "./model-proxy.lua.js";
import { modelProxyRepo } from "./model-proxy.repo.js";

const COUNTER_TTL_S = 7 * 24 * 60 * 60;
const key = (tenantId: string, runId: string) => `clawea:gw:usage:${tenantId}:${runId}`;

// Increment only a counter that exists: a missing one is rebuilt from receipts, which include this call.
const ADD = luaScript(`if redis.call('exists', KEYS[1]) == 1 then
  redis.call('hincrby', KEYS[1], 'tokens', ARGV[1])
  redis.call('hincrby', KEYS[1], 'cost', ARGV[2])
  redis.call('expire', KEYS[1], ARGV[3])
end
return 0`);
const LOAD = luaScript(`if redis.call('exists', KEYS[1]) == 0 then
  redis.call('hset', KEYS[1], 'tokens', ARGV[1], 'cost', ARGV[2])
  redis.call('expire', KEYS[1], ARGV[3])
end
return redis.call('hmget', KEYS[1], 'tokens', 'cost')`);

export interface UsageMeter {
  usedBy(tenantId: string, runId: string): Promise<Usage>;
  /** Counts a call's usage against its run; failures are logged (the receipts stay the record). */
  add(tenantId: string, runId: string, tokens: number, costMinor: number): void;
  /** Sends every count still held here. */
  flush(): Promise<void>;
}

function usage(values: (string | null)[]): Usage {
  return { tokens_used: Number(values[0] ?? 0), cost_used_minor: Number(values[1] ?? 0) };
}

const DEFAULT_METER_LINGER_MS = 10;

/**
 * Counts are held up to `lingerMs` and summed per run, then sent: a run's next budget read sends its
 * held count first, in the same pipeline and ahead of the read (one connection applies commands in
 * order), so this replica always judges a run by every call it counted, at one Redis write per call
 * instead of two. Another replica sees a count at most `lingerMs` late.
 */
export function createUsageMeter(deps: { db: Db; redis: Redis; log: Pick<FastifyBaseLogger, "error">; lingerMs?: number }): UsageMeter {
  const lingerMs = deps.lingerMs ?? DEFAULT_METER_LINGER_MS;
  const held = new Map<string, { tokens: number; costMinor: number }>();
  let timer: NodeJS.Timeout | null = null;

  function send(counterKey: string): Promise<void> | undefined {
    const count = held.get(counterKey);
    if (!count) return undefined;
    held.delete(counterKey);
    return ADD(deps.redis, [counterKey], [count.tokens, count.costMinor, COUNTER_TTL_S]).then(
      () => undefined,
      (error: unknown) => deps.log.error({ err: error, counter: counterKey }, "run budget usage not counted"),
    );
  }

  function sendAll(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    return Promise.all([...held.keys()].map(send)).then(() => undefined);
  }

  return {
    async usedBy(tenantId, runId) {
      const counterKey = key(tenantId, runId);
      void send(counterKey);
      const values = await deps.redis.hmget(counterKey, "tokens", "cost");
      if (values[0] !== null) return usage(values);
      // Receipts carry each priced call's cost, so a rebuilt counter has both dimensions.
      const used = await modelProxyRepo.usageFromReceipts(deps.db, tenantId, runId);
      return usage((await LOAD(deps.redis, [counterKey], [used.tokens, used.costMinor, COUNTER_TTL_S])) as (string | null)[]);
    },
    add(tenantId, runId, tokens, costMinor) {
      if (tokens === 0 && costMinor === 0) return;
      const counterKey = key(tenantId, runId);
      const count = held.get(counterKey);
      if (count) {
        count.tokens += tokens;
        count.costMinor += costMinor;
      } else held.set(counterKey, { tokens, costMinor });
      if (lingerMs <= 0) void send(counterKey);
      else timer ??= setTimeout(() => void sendAll(), lingerMs);
    },
    flush: sendAll,
  };
}
