/**
 * CST revocation: PostgreSQL is the record, Redis the per-request check. A revocation writes both, and
 * announces the token's jti on `REVOCATION_CHANNEL` (in the same transaction as the key) for replicas
 * that keep what they have checked (the gateway). `warmRevocations` reloads Redis from PostgreSQL
 * (Redis keeps nothing on disk on our machines), and `isRevoked` does it again whenever it finds Redis
 * emptied. An unreachable Redis makes `isRevoked` throw, and CST verification then fails closed.
 */
import { gt } from "drizzle-orm";
import type { ChainableCommander, Redis } from "ioredis";
import { cstRevocations, type Db } from "@clawea/db";

const key = (jti: string) => `clawea:cst:revoked:${jti}`;

/** Pub/sub channel on which each revoked token's jti is published. */
export const REVOCATION_CHANNEL = "clawea:cst:revocations";

/** Runs a pipeline or transaction; ioredis reports each command's failure in the results, this throws it. */
async function execOrThrow(commands: ChainableCommander, what: string): Promise<void> {
  const results = await commands.exec();
  const failure = results === null ? new Error(`Redis aborted ${what}`) : results.find(([error]) => error)?.[0];
  if (failure) throw failure;
}

function ttlSeconds(expiresAt: Date, now: Date): number {
  return Math.max(1, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
}

export async function revokeCst(
  deps: { db: Db; redis: Redis; now: () => Date },
  input: { jti: string; tenantId: string; expiresAt: Date; reason?: string },
): Promise<void> {
  const now = deps.now();
  await deps.db
    .insert(cstRevocations)
    .values({ jti: input.jti, tenantId: input.tenantId, revokedAt: now, expiresAt: input.expiresAt, reason: input.reason ?? null })
    .onConflictDoNothing();
  if (input.expiresAt > now) {
    // Key first, then message, in one transaction: whoever hears the message and reads finds the key.
    await execOrThrow(deps.redis.multi().set(key(input.jti), "1", "EX", ttlSeconds(input.expiresAt, now)).publish(REVOCATION_CHANNEL, input.jti), "the revocation");
  }
}

/** Set by `warmRevocations` once Redis holds every revocation; gone when Redis lost them (restarted). */
const LOADED_KEY = "clawea:cst:revocations:loaded";

export interface RevocationDeps {
  db: Db;
  redis: Redis;
  now: () => Date;
}

/**
 * Whether the token is revoked, asked of Redis. A Redis that no longer holds the revocations (it keeps
 * nothing on disk: a restart empties it) is reloaded from PostgreSQL before it is believed, so a restart
 * never lets a revoked token through. Throws when Redis or PostgreSQL cannot answer: callers fail closed.
 */
export async function isRevoked(deps: RevocationDeps, jti: string): Promise<boolean> {
  const [revoked, loaded] = await deps.redis.mget(key(jti), LOADED_KEY);
  if (loaded !== null) return revoked !== null;
  await reloadOnce(deps);
  return (await deps.redis.exists(key(jti))) === 1;
}

/** One reload at a time per Redis connection: every check that finds Redis empty waits for the same one. */
const reloading = new WeakMap<Redis, Promise<number>>();

function reloadOnce(deps: RevocationDeps): Promise<number> {
  let reload = reloading.get(deps.redis);
  if (!reload) {
    reload = warmRevocations(deps).finally(() => reloading.delete(deps.redis));
    reloading.set(deps.redis, reload);
  }
  return reload;
}

/** Copies every still-relevant revocation into Redis, then marks it loaded; returns how many. */
export async function warmRevocations(deps: RevocationDeps): Promise<number> {
  const now = deps.now();
  const rows = await deps.db.select().from(cstRevocations).where(gt(cstRevocations.expiresAt, now));
  const pipeline = deps.redis.pipeline();
  for (const row of rows) pipeline.set(key(row.jti), "1", "EX", ttlSeconds(row.expiresAt, now));
  pipeline.set(LOADED_KEY, now.toISOString());
  await execOrThrow(pipeline, "the revocations' reload");
  return rows.length;
}
