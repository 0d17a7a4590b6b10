import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { agents, policies } from "@clawea/db";
import { hashJcsB64u } from "@clawea/protocol";
import { defaultPolicy, startTestGateway, type TestGateway } from "../gateway.test-support.js";
import { revokeCst, warmRevocations } from "@clawea/runs";
import { createRunAuthenticator } from "./run-context.js";

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
    // Once its message has arrived (or at once, when the token was read while the push was not live).
    await vi.waitFor(async () => expect(await gw.authenticator.authenticate(token)).toMatchObject({ ok: false, reasonCode: "CST_REVOKED" }), { timeout: 5_000, interval: 10 });
    await gw.redis.del(`clawea:cst:revoked:${jti}`);
    expect(await warmRevocations(deps)).toBeGreaterThanOrEqual(1);
    expect(await gw.authenticator.authenticate(token)).toMatchObject({ ok: false, reasonCode: "CST_REVOKED" });
  });

  it("fails closed with DEPENDENCY_UNAVAILABLE when a known token's revocation cannot be checked", async () => {
    const token = await gw.token();
    // No push channel: every call asks Redis.
    const authenticator = createRunAuthenticator({ db: gw.database.db, redis: gw.redis, trustedIssuers: [gw.controlPlane.did], now: () => new Date() });
    expect(await authenticator.authenticate(token)).toMatchObject({ ok: true });
    const down = vi.spyOn(gw.redis, "mget").mockRejectedValueOnce(new Error("Redis is down"));
    try {
      expect(await authenticator.authenticate(token)).toMatchObject({ ok: false, reasonCode: "DEPENDENCY_UNAVAILABLE" });
    } finally {
      down.mockRestore();
    }
    expect(await authenticator.authenticate(token)).toMatchObject({ ok: true });
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

describe("the agent's WPC and the parents it inherits", () => {
  const ISSUER = "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7";
  const child = {
    policy_version: "2",
    policy_id: "team",
    issuer_did: ISSUER,
    inherits: "org",
    statements: [{ sid: "team-egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] }],
    metadata: { clawea: { budget: { max_tokens_per_run: 10, max_cost_minor_per_run: 10 } } },
  };
  const org = (denied: string) => ({
    policy_version: "2",
    policy_id: "org",
    issuer_did: ISSUER,
    statements: [
      { sid: "org-egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] },
      { sid: "org-deny", effect: "Deny", actions: ["side_effect:network_egress"], resources: [denied] },
    ],
  });

  /** An authenticator on the test gateway's database whose clock the test moves. */
  function withClock() {
    const clock = { ms: Date.now() };
    const authenticator = createRunAuthenticator({
      db: gw.database.db,
      redis: gw.redis,
      trustedIssuers: [gw.controlPlane.did],
      now: () => new Date(clock.ms),
      agentCacheMs: 0,
      inheritedPolicyCacheMs: 1_000,
    });
    return { clock, authenticator };
  }

  async function register(tenantId: string, document: Record<string, unknown>): Promise<string> {
    const hash = hashJcsB64u(document);
    await gw.database.db.insert(policies).values({ tenantId, hash, policyVersion: "2", document });
    return hash;
  }

  it("resolves parents from the tenant's registry (the newest document with the policy_id), re-read after a short TTL", async () => {
    const agent = await gw.addAgent(child);
    const token = await gw.token({ agent });
    // The test's clock starts after the token is minted: under load, minting can take longer than the skew allows.
    const { clock, authenticator } = withClock();
    const parentHash = async () => {
      const result = await authenticator.authenticate(token);
      return result.ok ? result.run.policy.layers.map((l) => l.policy_hash_b64u) : result.reasonCode;
    };

    // Registered before its parent: unusable, and not cached for ever.
    expect(await parentHash()).toBe("POLICY_NOT_ASSIGNED");
    const first = await register(agent.tenantId, org("a.example"));
    expect(await parentHash()).toBe("POLICY_NOT_ASSIGNED");
    clock.ms += 1_001;
    expect(await parentHash()).toEqual([agent.policyHash, first]);

    // A newer document takes over the policy_id: enforced once the cached resolution expires.
    const second = await register(agent.tenantId, org("b.example"));
    expect(await parentHash()).toEqual([agent.policyHash, first]);
    clock.ms += 1_001;
    expect(await parentHash()).toEqual([agent.policyHash, second]);

    // Another tenant's documents are never parents: this tenant has no "org".
    const elsewhere = await gw.addAgent(child);
    expect(await authenticator.authenticate(await gw.token({ agent: elsewhere }))).toMatchObject({ ok: false, reasonCode: "POLICY_NOT_ASSIGNED" });
  });

  it("keeps a policy that inherits nothing for good: its hash fixes it", async () => {
    const agent = await gw.addAgent(defaultPolicy());
    const token = await gw.token({ agent });
    const { clock, authenticator } = withClock();
    expect(await authenticator.authenticate(token)).toMatchObject({ ok: true });
    await gw.database.db.delete(policies).where(and(eq(policies.tenantId, agent.tenantId), eq(policies.hash, agent.policyHash)));
    clock.ms += 3_600_000;
    // Minted at the test's clock, not an hour after the real one: `iat` has whole seconds and no skew is
    // allowed, so a token minted a moment later could land in the next second, "not valid yet".
    const later = await gw.token({ agent, issuedAt: new Date(clock.ms) });
    expect(await authenticator.authenticate(later)).toMatchObject({ ok: true });
  });
});
