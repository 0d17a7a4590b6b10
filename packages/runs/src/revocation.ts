/**
 * CST revocation: PostgreSQL is the record, Redis the per-request check. A revocation writes both, and
 * announces the token's jti on `REVOCATION_CHANNEL` (in the same transaction as the key) for replicas
 * that keep what they have checked (the gateway). `warmRevocations` reloads Redis from PostgreSQL
 * (Redis keeps nothing on disk on our machines). An unreachable Redis makes `isRevoked` throw, and
 * CST verification then fails closed.
 */
import { gt } from "drizzle-orm";
import type { Redis } from "ioredis";
import { cstRevocations, type Db } from "@clawea/db";

const key = (jti: string) => `clawea:cst:revoked:${jti}`;

/** Pub/sub channel on which each revoked token's jti is published. */
export const REVOCATION_CHANNEL = "clawea:cst:revocations";

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
    const results = await deps.redis.multi().set(key(input.jti), "1", "EX", ttlSeconds(input.expiresAt, now)).publish(REVOCATION_CHANNEL, input.jti).exec();
    const failure = results === null ? new Error("Redis aborted the revocation's transaction") : results.find(([error]) => error)?.[0];
    if (failure) throw failure;
  }
}

export async function isRevoked(redis: Redis, jti: string): Promise<boolean> {
  return (await redis.exists(key(jti))) === 1;
}

/** Copies every still-relevant revocation into Redis; returns how many. */
export async function warmRevocations(deps: { db: Db; redis: Redis; now: () => Date }): Promise<number> {
  const now = deps.now();
  const rows = await deps.db.select().from(cstRevocations).where(gt(cstRevocations.expiresAt, now));
  if (rows.length === 0) return 0;
  const pipeline = deps.redis.pipeline();
  for (const row of rows) pipeline.set(key(row.jti), "1", "EX", ttlSeconds(row.expiresAt, now));
  await pipeline.exec();
  return rows.length;
}
