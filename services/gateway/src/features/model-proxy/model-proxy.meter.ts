/**
 * Per-run usage for budgets, shared by every gateway replica: a Redis hash per run that each call
 * increments. PostgreSQL's receipts are the record: when the counter is missing (expired, Redis
 * restarted) it is rebuilt from them. A call finishing during a rebuild can be missed once, so the
 * budget is enforced to within one call after a Redis loss, and exactly otherwise.
 */
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
  add(tenantId: string, runId: string, tokens: number, costMinor: number): Promise<void>;
}

function usage(values: (string | null)[]): Usage {
  return { tokens_used: Number(values[0] ?? 0), cost_used_minor: Number(values[1] ?? 0) };
}

export function createUsageMeter(deps: { db: Db; redis: Redis }): UsageMeter {
  return {
    async usedBy(tenantId, runId) {
      const values = await deps.redis.hmget(key(tenantId, runId), "tokens", "cost");
      if (values[0] !== null) return usage(values);
      // Receipts carry each priced call's cost, so a rebuilt counter has both dimensions.
      const used = await modelProxyRepo.usageFromReceipts(deps.db, tenantId, runId);
      return usage((await LOAD(deps.redis, [key(tenantId, runId)], [used.tokens, used.costMinor, COUNTER_TTL_S])) as (string | null)[]);
    },
    async add(tenantId, runId, tokens, costMinor) {
      if (tokens === 0 && costMinor === 0) return;
      await ADD(deps.redis, [key(tenantId, runId)], [tokens, costMinor, COUNTER_TTL_S]);
    },
  };
}
