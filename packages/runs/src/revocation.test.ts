// CST revocation: PostgreSQL is the record; a Redis that lost it is reloaded before it is believed.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDatabase, newId, tenants, type Database } from "@clawea/db";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { isRevoked, REVOCATION_CHANNEL, revokeCst, type RevocationDeps } from "./index.js";

let testDb: TestDatabase;
let database: Database;
let redis: Redis;
let deps: RevocationDeps;
const tenantId = newId("tenant");
const newJti = () => `cst_${randomBytes(8).toString("hex")}`;
const revoke = (jti: string) => revokeCst(deps, { jti, tenantId, expiresAt: new Date(Date.now() + 600_000) });

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 2 });
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  deps = { db: database.db, redis, now: () => new Date() };
  await database.db.insert(tenants).values({ id: tenantId, name: "t" });
});

afterAll(async () => {
  await redis.quit();
  await database.close();
  await testDb.drop();
});

describe("CST revocation", () => {
  it("announces each revocation on its channel, after its key is written", async () => {
    const listener = redis.duplicate();
    const heard: string[] = [];
    const jti = newJti();
    try {
      await listener.subscribe(REVOCATION_CHANNEL);
      // Whoever hears the message and then asks finds the token revoked.
      const found = new Promise<boolean>((resolve) => listener.on("message", (_channel, message: string) => message === jti && resolve(isRevoked(deps, jti))));
      listener.on("message", (_channel, message: string) => heard.push(message));
      await revoke(jti);
      expect(await found).toBe(true);
      expect(heard).toContain(jti);
    } finally {
      listener.disconnect();
    }
  });

  it("reloads a Redis that lost the revocations (a restart empties it) before believing it, once for concurrent checks", async () => {
    const revoked = newJti();
    await revoke(revoked);
    // What a Redis restart leaves: neither the key nor the mark that the revocations were loaded.
    await redis.del(`clawea:cst:revoked:${revoked}`, "clawea:cst:revocations:loaded");
    const reads = vi.spyOn(database.db, "select");
    try {
      const answers = await Promise.all([isRevoked(deps, revoked), isRevoked(deps, revoked), isRevoked(deps, newJti())]);
      expect(answers).toEqual([true, true, false]);
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
    expect(await redis.exists(`clawea:cst:revoked:${revoked}`, "clawea:cst:revocations:loaded")).toBe(2);
  });

  it("fails closed: an unreachable Redis throws instead of answering", async () => {
    const down = new Redis("redis://127.0.0.1:1", { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
    down.on("error", () => undefined);
    try {
      await expect(isRevoked({ ...deps, redis: down }, newJti())).rejects.toThrow();
    } finally {
      down.disconnect();
    }
  });
});
