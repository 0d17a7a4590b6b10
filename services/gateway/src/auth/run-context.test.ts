import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { agents } from "@clawea/db";
import { defaultPolicy, startTestGateway, type TestGateway } from "../gateway.test-support.js";
import { revokeCst, warmRevocations } from "@clawea/runs";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());

function jtiOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { jti: string }).jti;
}

describe("run authentication", () => {
  it("accepts the run's CST and loads the agent and its WPC", async () => {
    const result = await gw.authenticator.authenticate(await gw.token({ runId: "run_a", phase: "plan" }), "model:invoke");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.run).toMatchObject({ agentId: gw.agent.agentId, runId: "run_a", phase: "plan", policyHash: gw.agent.policyHash });
  });

  it.each([
    ["no token", undefined, "CST_MALFORMED"],
    ["garbage", "not.a.token", "CST_MALFORMED"],
  ])("refuses %s", async (_name, token, code) => {
    expect(await gw.authenticator.authenticate(token)).toMatchObject({ ok: false, reasonCode: code });
  });

  it("refuses expired, ungranted and revoked tokens, and revocation survives a Redis flush via PostgreSQL", async () => {
    expect(await gw.authenticator.authenticate(await gw.token({ issuedSecondsAgo: 1200, ttlSeconds: 600 }))).toMatchObject({ ok: false, reasonCode: "CST_EXPIRED" });
    expect(await gw.authenticator.authenticate(await gw.token({ grants: ["model:invoke"] }), "side_effect:network_egress")).toMatchObject({
      ok: false,
      reasonCode: "CST_SCOPE_DENIED",
    });
    const token = await gw.token();
    const jti = jtiOf(token);
    // Verified once (and cached), then revoked: the revocation still wins.
    expect(await gw.authenticator.authenticate(token)).toMatchObject({ ok: true });
    const deps = { db: gw.database.db, redis: gw.redis, now: () => new Date() };
    await revokeCst(deps, { jti, tenantId: gw.agent.tenantId, expiresAt: new Date(Date.now() + 600_000) });
    expect(await gw.authenticator.authenticate(token)).toMatchObject({ ok: false, reasonCode: "CST_REVOKED" });
    await gw.redis.del(`clawea:cst:revoked:${jti}`);
    expect(await warmRevocations(deps)).toBeGreaterThanOrEqual(1);
    expect(await gw.authenticator.authenticate(token)).toMatchObject({ ok: false, reasonCode: "CST_REVOKED" });
  });

  it("refuses a token minted by anyone but the control plane", async () => {
    const forged = await gw.token();
    const [h, p] = forged.split(".");
    expect(await gw.authenticator.authenticate(`${h}.${p}.${"A".repeat(86)}`)).toMatchObject({ ok: false, reasonCode: "CST_SIGNATURE_INVALID" });
  });

  it("refuses runs of agents that are not running or have no WPC", async () => {
    const sleeping = await gw.addAgent(defaultPolicy(), "sleeping");
    expect(await gw.authenticator.authenticate(await gw.token({ agent: sleeping }))).toMatchObject({ ok: false, reasonCode: "AGENT_NOT_RUNNING" });
    const bare = await gw.addAgent(defaultPolicy());
    await gw.database.db.update(agents).set({ policyHash: null }).where(eq(agents.id, bare.agentId));
    expect(await gw.authenticator.authenticate(await gw.token({ agent: bare }))).toMatchObject({ ok: false, reasonCode: "POLICY_NOT_ASSIGNED" });
  });
});
