// Revocation checks a replica answers itself: only while the push channel vouches for them.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { revokeCst } from "@clawea/runs";
import { killRedisClient, startTestGateway, type TestGateway } from "../gateway.test-support.js";
import { createRevocationView } from "./revocation-view.js";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});

afterAll(async () => {
  await gw.close();
});

const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 5_000, interval: 10 });
const revocationDeps = () => ({ db: gw.database.db, redis: gw.redis, now: () => new Date() });
const newJti = () => `cst_${randomBytes(8).toString("hex")}`;
const revoke = (jti: string) => revokeCst({ db: gw.database.db, redis: gw.redis, now: () => new Date() }, { jti, tenantId: gw.agent.tenantId, expiresAt: new Date(Date.now() + 600_000) });

describe("the revocation view", () => {
  it("reads a token once while the channel is live, then hears its revocation without reading again", async () => {
    await waitFor(() => expect(gw.push.live).toBe(true));
    const view = createRevocationView(revocationDeps(), gw.push);
    const reads = vi.spyOn(gw.redis, "mget");
    try {
      const jti = newJti();
      expect(await view.isRevoked(jti)).toBe(false);
      expect(view.isRevoked(jti)).toBe(false);
      expect(reads).toHaveBeenCalledTimes(1);
      await revoke(jti);
      await waitFor(() => expect(view.isRevoked(jti)).toBe(true));
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it("reads Redis for every question without a channel, and again after the channel's link was cut", async () => {
    await waitFor(() => expect(gw.push.live).toBe(true));
    const reads = vi.spyOn(gw.redis, "mget");
    try {
      const alone = createRevocationView(revocationDeps());
      const jti = newJti();
      expect(await alone.isRevoked(jti)).toBe(false);
      expect(await alone.isRevoked(jti)).toBe(false);
      expect(reads).toHaveBeenCalledTimes(2);

      const view = createRevocationView(revocationDeps(), gw.push);
      const other = newJti();
      expect(await view.isRevoked(other)).toBe(false);
      expect(reads).toHaveBeenCalledTimes(3);
      const epoch = gw.push.epoch;
      await killRedisClient(gw.redis, gw.pushConnectionName);
      await waitFor(() => expect(gw.push.epoch).toBeGreaterThan(epoch));
      // Messages may have been missed: what was read before the cut is read again.
      expect(await view.isRevoked(other)).toBe(false);
      expect(reads).toHaveBeenCalledTimes(4);
      await revoke(other);
      await waitFor(async () => expect(await view.isRevoked(other)).toBe(true));
    } finally {
      reads.mockRestore();
    }
  });
});
