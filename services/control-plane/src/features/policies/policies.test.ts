import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents, newId } from "@clawea/db";
import { hashJcsB64u } from "@clawea/protocol";
import { unwrap, type ClaweaClient } from "@clawea/sdk";
import { validateUpstream } from "@clawea/testkit";
import { raw, reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";

let platform: TestPlatform;
let clock = new Date("2025-03-01T09:00:00.000Z");
beforeAll(async () => {
  platform = await startTestPlatform({ now: () => clock });
});
afterAll(() => platform.close());


const ISSUER = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";

/** A realistic v1 contract: provider/model allowlists, redaction, private receipts, egress allowlist. */
function wpcV1(policyId = "acme-coding-v1"): Record<string, unknown> {
  return {
    policy_version: "1",
    policy_id: policyId,
    issuer_did: ISSUER,
    allowed_providers: ["anthropic", "openai"],
    allowed_models: ["claude-sonnet-4*", "gpt-4.1-mini"],
    minimum_model_identity_tier: "closed_provider_manifest",
    required_audit_packs: ["Zm9vYmFyYmF6cXV4"],
    redaction_rules: [
      { path: "$.messages[*].content", action: "hash" },
      { path: "$.metadata.customer_email", action: "mask" },
    ],
    receipt_privacy_mode: "hash_only",
    egress_allowlist: ["api.github.com", "*.internal.acme.example"],
    metadata: { owner: "platform-security", ticket: "SEC-1432", review: { approved: true, rounds: 2 } },
  };
}

/** A realistic v2 contract: IAM-style statements with conditions, inheritance and witnessed-web controls. */
function wpcV2(policyId = "acme-repo-maintainer"): Record<string, unknown> {
  return {
    policy_version: "2",
    policy_id: policyId,
    issuer_did: ISSUER,
    inherits: "acme-baseline",
    coverage_enforcement: "enforce",
    witnessed_web_policy: { mode: "enforce", quorum: { m: 2, n: 3 }, transparency: { mode: "warn", required_after: "2025-01-01T00:00:00Z" } },
    statements: [
      {
        sid: "models",
        effect: "Allow",
        actions: ["model:invoke"],
        resources: ["*"],
        conditions: { StringEquals: { "Model:Provider": "anthropic" }, StringLike: { "Model:Name": "claude-*" } },
      },
      { sid: "read-src", effect: "Allow", actions: ["side_effect:filesystem_read", "tool:execute"], resources: ["src/**/*.ts"] },
      {
        sid: "github-egress",
        effect: "Allow",
        actions: ["side_effect:network_egress"],
        resources: ["api.github.com"],
        conditions: { Bool: { "Request:HasHumanApproval": "true" }, NumericLessThan: { "Context:Hour": "20" } },
      },
      { sid: "no-secrets", effect: "Deny", actions: ["*"], resources: ["**/secrets/**"] },
    ],
    metadata: { owner: "repo-team" },
  };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const result = await platform.database.pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`, params);
  return result.rows[0]!.n;
}

async function insertAgent(tenantId: string, status: "running" | "destroyed" | "sleeping" = "running"): Promise<string> {
  const id = newId("agent");
  await platform.database.db.insert(agents).values({
    id,
    tenantId,
    templateId: "tpl_reference_small",
    name: `agent-${id.slice(-6)}`,
    status,
    did: `did:key:test-${id}`,
    signingKeySealed: "test-not-a-real-sealed-key",
    runtime: "reference",
    model: "openai/gpt-4.1-mini",
    cpuMillis: 500,
    memoryMb: 512,
    diskMb: 1024,
    sleepAfterSeconds: 600,
    stateless: true,
  });
  return id;
}

async function register(client: ClaweaClient, document: Record<string, unknown>, name?: string) {
  return unwrap(await client.POST("/v1/policies", { body: { document, ...(name ? { name } : {}) } }));
}

describe("the WPC registry", () => {
  it("accepts upstream-valid v1 and v2 documents, stored under their JCS hash", async () => {
    const { admin, id } = await platform.tenant();
    for (const document of [wpcV1(), wpcV2()]) {
      const upstreamPath = `policy/work_policy_contract.v${String(document["policy_version"])}.json`;
      expect(validateUpstream(upstreamPath, document)).toMatchObject({ ok: true });
      const response = await admin.POST("/v1/policies", { body: { document, name: "Coding agents" } });
      expect(response.response.status).toBe(201);
      const policy = unwrap(response);
      expect(policy.hash).toBe(hashJcsB64u(document));
      expect(policy).toMatchObject({ policy_version: document["policy_version"], policy_id: document["policy_id"], name: "Coding agents" });
      expect(policy.document).toEqual(document);
      const fetched = unwrap(await admin.GET("/v1/policies/{hash}", { params: { path: { hash: policy.hash } } }));
      expect(hashJcsB64u(fetched.document)).toBe(policy.hash);
    }
    expect(await count("policies where tenant_id = $1", [id])).toBe(2);
  });

  it("is content-addressed and immutable: the same document again answers 200 with the stored policy", async () => {
    const { admin, adminToken, id } = await platform.tenant();
    const first = await admin.POST("/v1/policies", { body: { document: wpcV2(), name: "first name" } });
    expect(first.response.status).toBe(201);
    // Same content, other member order and another name: the same policy, unchanged.
    const reordered = Object.fromEntries(Object.entries(wpcV2()).reverse());
    const again = await admin.POST("/v1/policies", { body: { document: reordered, name: "second name" } });
    expect(again.response.status).toBe(200);
    expect(unwrap(again)).toEqual(unwrap(first));
    expect(await count("policies where tenant_id = $1", [id])).toBe(1);
    const hash = unwrap(first).hash;
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await raw(platform.url, method, `/v1/policies/${hash}`, { token: adminToken, body: JSON.stringify({ document: wpcV1() }) });
      expect(response, method).toMatchObject({ status: 404, body: { reason_code: "NOT_FOUND" } });
    }
    expect(unwrap(await admin.GET("/v1/policies/{hash}", { params: { path: { hash } } })).document).toEqual(wpcV2());
  });

  it.each([
    ["an unknown policy_version", { ...wpcV1(), policy_version: "3" }, "/policy_version"],
    ["no policy_version", (({ policy_version: _v, ...rest }) => rest)(wpcV1()), "/policy_version"],
    ["a missing issuer_did", (({ issuer_did: _i, ...rest }) => rest)(wpcV1()), "/issuer_did"],
    ["an issuer that is not a DID", { ...wpcV1(), issuer_did: "acme" }, "/issuer_did"],
    ["an unknown member", { ...wpcV1(), allow_everything: true }, "/allow_everything"],
    ["an unknown provider", { ...wpcV1(), allowed_providers: ["openai", "mistral"] }, "/allowed_providers/1"],
    ["a v1 document with v2 statements", { ...wpcV1(), statements: (wpcV2()["statements"] as unknown[]).slice(0, 1) }, "/statements"],
    ["a v2 document without statements", (({ statements: _s, ...rest }) => rest)(wpcV2()), "/statements"],
    ["a v2 statement with a lower-case effect", { ...wpcV2(), statements: [{ sid: "a", effect: "allow", actions: ["*"], resources: ["*"] }] }, "/statements/0/effect"],
    ["a v2 statement with no actions", { ...wpcV2(), statements: [{ sid: "a", effect: "Allow", actions: [], resources: ["*"] }] }, "/statements/0/actions"],
    ["a NUL character", { ...wpcV1(), policy_id: "acme\u0000v1" }, "/policy_id"],
  ])("refuses %s with 422 POLICY_INVALID listing the errors, and writes nothing", async (_name, document, path) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "POST", "/v1/policies", { token: adminToken, body: JSON.stringify({ document }) });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ reason_code: "POLICY_INVALID" });
    const errors = response.body!["errors"] as { path: string; message: string }[];
    expect(errors.map((e) => e.path)).toContain(path);
    if (path !== "/policy_id") expect(validateUpstream(`policy/work_policy_contract.v${document["policy_version"] === "2" ? 2 : 1}.json`, document).ok).toBe(false);
    expect(await count("policies where tenant_id = $1", [id])).toBe(0);
  });

  it("refuses a document that has no canonical form (a number beyond double range)", async () => {
    const { adminToken, id } = await platform.tenant();
    const body = JSON.stringify({ document: wpcV1() }).replace('"rounds":2', '"rounds":1e400');
    const response = await raw(platform.url, "POST", "/v1/policies", { token: adminToken, body });
    expect(response).toMatchObject({ status: 400, body: { reason_code: "CANONICALIZATION_FAILED" } });
    expect(await count("policies where tenant_id = $1", [id])).toBe(0);
  });

  it.each([
    ["wrong type of document", JSON.stringify({ document: "policy_version: 1" })],
    ["array document", JSON.stringify({ document: [wpcV1()] })],
    ["wrong type of name", JSON.stringify({ document: wpcV1(), name: 5 })],
    ["unknown field", JSON.stringify({ document: wpcV1(), hash: "x".repeat(43) })],
    ["no document", JSON.stringify({ name: "x" })],
    ["control characters in the name", JSON.stringify({ document: wpcV1(), name: "a\nb" })],
    ["bad JSON", '{"document": {'],
  ])("answers %s with 400 VALIDATION_FAILED and writes nothing", async (_name, body) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "POST", "/v1/policies", { token: adminToken, body });
    expect(response).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    expect(await count("policies where tenant_id = $1", [id])).toBe(0);
  });

  it("answers oversized bodies 413, malformed hashes 400 and unknown hashes 404", async () => {
    const { adminToken, id } = await platform.tenant();
    const huge = JSON.stringify({ document: { ...wpcV1(), metadata: { padding: "x".repeat(70 * 1024) } } });
    expect(await raw(platform.url, "POST", "/v1/policies", { token: adminToken, body: huge })).toMatchObject({ status: 413, body: { reason_code: "BODY_TOO_LARGE" } });
    expect(await count("policies where tenant_id = $1", [id])).toBe(0);
    for (const bad of ["short", "x".repeat(44), `${"a".repeat(42)}=`, `${"a".repeat(42)}+`]) {
      const response = await raw(platform.url, "GET", `/v1/policies/${encodeURIComponent(bad)}`, { token: adminToken });
      expect(response, bad).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    }
    expect(await raw(platform.url, "GET", `/v1/policies/${hashJcsB64u(wpcV1())}`, { token: adminToken })).toMatchObject({ status: 404, body: { reason_code: "NOT_FOUND" } });
  });

  it("lists newest first with a cursor, and refuses cursors it did not issue", async () => {
    const { admin, adminToken } = await platform.tenant();
    const hashes: string[] = [];
    for (let i = 0; i < 5; i++) hashes.push((await register(admin, wpcV1(`paged-${i}`))).hash);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const listed = unwrap(await admin.GET("/v1/policies", { params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } } }));
      seen.push(...listed.items.map((p) => p.hash));
      expect(listed.items.every((p) => !("document" in p))).toBe(true);
      cursor = listed.next_cursor ?? undefined;
    }
    expect(cursor).toBeUndefined();
    expect(seen).toEqual([...hashes].reverse());
    const forged = Buffer.from("not a position", "utf8").toString("base64url");
    expect(await raw(platform.url, "GET", `/v1/policies?limit=2&cursor=${forged}`, { token: adminToken })).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    expect(await raw(platform.url, "GET", "/v1/policies?limit=2&sort=asc", { token: adminToken })).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
  });
});

describe("the tenant's default policy", () => {
  it("is set to a registered policy, refused for an unknown one, and cleared with null", async () => {
    const { admin, adminToken, id } = await platform.tenant();
    const policy = await register(admin, wpcV1());
    const security = await platform.keyWith(admin, ["security"]);
    const tenant = unwrap(await security.PUT("/v1/tenant/default-policy", { body: { policy_hash: policy.hash } }));
    expect(tenant).toMatchObject({ id, default_policy_hash: policy.hash });
    expect(unwrap(await admin.GET("/v1/tenant")).default_policy_hash).toBe(policy.hash);

    expect(await reason(admin.PUT("/v1/tenant/default-policy", { body: { policy_hash: hashJcsB64u(wpcV2()) } }).then(unwrap))).toBe("422 REFERENCE_NOT_FOUND");
    for (const body of ['{"policy_hash": 5}', '{"policy_hash": "short"}', "{}", `{"policy_hash": "${policy.hash}", "force": true}`]) {
      expect(await raw(platform.url, "PUT", "/v1/tenant/default-policy", { token: adminToken, body }), body).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    }
    expect(unwrap(await admin.GET("/v1/tenant")).default_policy_hash).toBe(policy.hash);

    expect(unwrap(await admin.PUT("/v1/tenant/default-policy", { body: { policy_hash: null } })).default_policy_hash).toBeNull();
  });
});

describe("assigning a policy to an agent", () => {
  it("updates the agent, keeps the history and writes an agent.policy_update job in the same transaction", async () => {
    const { admin, id } = await platform.tenant();
    const agentId = await insertAgent(id);
    const v1 = await register(admin, wpcV1(), "v1 policy");
    const v2 = await register(admin, wpcV2());
    const t1 = new Date(clock);
    const first = unwrap(await admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: v1.hash } }));
    expect(first).toMatchObject({ agent_id: agentId, policy_hash: v1.hash, policy_id: "acme-coding-v1", policy_name: "v1 policy", effective_from: t1.toISOString(), effective_to: null });
    expect(first.id).toMatch(/^pas_[0-9a-f]{32}$/);
    expect(first.assigned_by_key_id).toMatch(/^key_/);

    const jobId = `agent-policy_update-${first.id}`;
    const outbox = await platform.database.pool.query("select job_name, payload from outbox where job_id = $1", [jobId]);
    expect(outbox.rows[0]).toEqual({
      job_name: "agent.policy_update",
      payload: { tenant_id: id, agent_id: agentId, action_id: first.id, requested_at: t1.toISOString(), policy_hash: v1.hash },
    });
    await expect.poll(async () => (await platform.agentsQueue.getJob(jobId))?.name, { timeout: 5000 }).toBe("agent.policy_update");

    clock = new Date(clock.getTime() + 3_600_000);
    const t2 = new Date(clock);
    const second = unwrap(await admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: v2.hash } }));
    expect(second).toMatchObject({ policy_hash: v2.hash, effective_from: t2.toISOString(), effective_to: null });
    const stored = await platform.database.pool.query("select policy_hash from agents where id = $1", [agentId]);
    expect(stored.rows[0].policy_hash).toBe(v2.hash);

    // Assigning the policy in force again changes nothing: no new span, no job.
    const repeat = unwrap(await admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: v2.hash } }));
    expect(repeat).toEqual(second);
    expect(await count("agent_policy_history where agent_id = $1", [agentId])).toBe(2);
    expect(await count("outbox where tenant_id = $1 and job_name = 'agent.policy_update'", [id])).toBe(2);

    const auditor = await platform.keyWith(admin, ["auditor"]);
    const history = unwrap(await auditor.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: agentId }, query: { limit: 50 } } }));
    expect(history.items.map((a) => [a.policy_hash, a.effective_from, a.effective_to])).toEqual([
      [v2.hash, t2.toISOString(), null],
      [v1.hash, t1.toISOString(), t2.toISOString()],
    ]);

    const at = async (instant: Date) =>
      unwrap(await auditor.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: agentId }, query: { limit: 50, at: instant.toISOString() } } })).items.map(
        (a) => a.policy_hash,
      );
    expect(await at(new Date(t1.getTime() - 1))).toEqual([]);
    expect(await at(t1)).toEqual([v1.hash]);
    expect(await at(new Date(t2.getTime() - 1))).toEqual([v1.hash]);
    expect(await at(t2)).toEqual([v2.hash]);
    expect(await at(new Date(t2.getTime() + 86_400_000))).toEqual([v2.hash]);
  });

  it("pages the history with a cursor", async () => {
    const { admin, id } = await platform.tenant();
    const agentId = await insertAgent(id, "sleeping");
    for (let i = 0; i < 3; i++) {
      const policy = await register(admin, wpcV1(`history-${i}`));
      clock = new Date(clock.getTime() + 1000);
      unwrap(await admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: policy.hash } }));
    }
    const first = unwrap(await admin.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: agentId }, query: { limit: 2 } } }));
    const second = unwrap(await admin.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: agentId }, query: { limit: 2, cursor: first.next_cursor! } } }));
    expect([...first.items, ...second.items].map((a) => a.policy_id)).toEqual(["history-2", "history-1", "history-0"]);
    expect(second.next_cursor).toBeNull();
  });

  it("answers 404 for an unknown agent, 409 for a destroyed one, 422 for an unknown policy, and writes nothing", async () => {
    const { admin, adminToken, id } = await platform.tenant();
    const policy = await register(admin, wpcV1());
    const destroyed = await insertAgent(id, "destroyed");
    const live = await insertAgent(id);
    const patch = (agentId: string, policyHash: string) =>
      admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: policyHash } }).then(unwrap);
    expect(await reason(patch(newId("agent"), policy.hash))).toBe("404 NOT_FOUND");
    expect(await reason(patch(destroyed, policy.hash))).toBe("409 ILLEGAL_TRANSITION");
    expect(await reason(patch(live, hashJcsB64u(wpcV2())))).toBe("422 REFERENCE_NOT_FOUND");
    expect(await reason(admin.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: newId("agent") }, query: { limit: 10 } } }).then(unwrap))).toBe("404 NOT_FOUND");

    const badBodies = ['{"policy_hash": 5}', '{"policy_hash": null}', "{}", `{"policy_hash": "${policy.hash}", "note": "x"}`, "[]"];
    for (const body of badBodies) {
      expect(await raw(platform.url, "PATCH", `/v1/agents/${live}/policy`, { token: adminToken, body }), body).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    }
    for (const path of [`/v1/agents/not-an-agent/policy`, `/v1/agents/${live.toUpperCase()}/policy`, `/v1/agents/${policy.hash}/policy`]) {
      expect(await raw(platform.url, "PATCH", path, { token: adminToken, body: JSON.stringify({ policy_hash: policy.hash }) }), path).toMatchObject({
        status: 400,
        body: { reason_code: "VALIDATION_FAILED" },
      });
    }
    expect(await raw(platform.url, "GET", `/v1/agents/${live}/policy-history?limit=10&at=yesterday`, { token: adminToken })).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    expect(await raw(platform.url, "GET", `/v1/agents/${live}/policy-history?limit=0`, { token: adminToken })).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });

    expect(await count("agent_policy_history where tenant_id = $1", [id])).toBe(0);
    expect(await count("outbox where tenant_id = $1", [id])).toBe(0);
    expect(await count("agents where tenant_id = $1 and policy_hash is not null", [id])).toBe(0);
  });

  it("writes nothing when the job cannot be written: row and job commit together or not at all", async () => {
    const { admin, id } = await platform.tenant();
    const agentId = await insertAgent(id);
    const before = await register(admin, wpcV1());
    unwrap(await admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: before.hash } }));
    const after = await register(admin, wpcV2());
    const pool = platform.database.pool;
    await pool.query(`create function refuse_outbox() returns trigger language plpgsql as $$ begin raise exception 'outbox down'; end $$`);
    await pool.query(`create trigger refuse_outbox before insert on outbox for each row execute function refuse_outbox()`);
    try {
      expect(await reason(admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: after.hash } }).then(unwrap))).toBe(
        "500 INTERNAL_ERROR",
      );
    } finally {
      await pool.query("drop trigger refuse_outbox on outbox; drop function refuse_outbox()");
    }
    expect((await pool.query("select policy_hash from agents where id = $1", [agentId])).rows[0].policy_hash).toBe(before.hash);
    const open = await pool.query("select policy_hash from agent_policy_history where agent_id = $1 and effective_to is null", [agentId]);
    expect(open.rows).toEqual([{ policy_hash: before.hash }]);
    expect(await count("agent_policy_history where agent_id = $1", [agentId])).toBe(1);
  });
});

describe("roles", () => {
  it("admit only the roles each route declares", async () => {
    const { admin, id } = await platform.tenant();
    const policy = await register(admin, wpcV1());
    const agentId = await insertAgent(id);
    const keys = Object.fromEntries(
      await Promise.all(["security", "operator", "auditor", "finance", "developer"].map(async (role) => [role, await platform.keyWith(admin, [role])] as const)),
    ) as Record<string, ClaweaClient>;
    const calls: Record<string, (client: ClaweaClient) => Promise<unknown>> = {
      createPolicy: (c) => c.POST("/v1/policies", { body: { document: wpcV2() } }).then(unwrap),
      listPolicies: (c) => c.GET("/v1/policies", { params: { query: { limit: 10 } } }).then(unwrap),
      getPolicy: (c) => c.GET("/v1/policies/{hash}", { params: { path: { hash: policy.hash } } }).then(unwrap),
      setDefaultPolicy: (c) => c.PUT("/v1/tenant/default-policy", { body: { policy_hash: policy.hash } }).then(unwrap),
      assignAgentPolicy: (c) => c.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: agentId } }, body: { policy_hash: policy.hash } }).then(unwrap),
      getAgentPolicyHistory: (c) => c.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: agentId }, query: { limit: 10 } } }).then(unwrap),
    };
    const admitted: Record<string, string[]> = {
      createPolicy: ["security"],
      listPolicies: ["security", "operator", "auditor", "developer"],
      getPolicy: ["security", "operator", "auditor", "developer"],
      setDefaultPolicy: ["security"],
      assignAgentPolicy: ["security"],
      getAgentPolicyHistory: ["security", "auditor"],
    };
    for (const [operation, call] of Object.entries(calls)) {
      for (const [role, client] of Object.entries(keys)) {
        const outcome = await reason(call(client));
        expect(`${operation} as ${role}: ${outcome}`).toBe(`${operation} as ${role}: ${admitted[operation]!.includes(role) ? "ok" : "403 ROLE_NOT_PERMITTED"}`);
      }
      expect(await reason(call(platform.client("garbage"))), operation).toBe("401 API_KEY_INVALID");
    }
    // The refused creates wrote nothing: only the security key's v2 document joined the admin's v1.
    expect(await count("policies where tenant_id = $1", [id])).toBe(2);
  });
});

describe("tenant isolation", () => {
  it("keeps policies, defaults, assignments and history to their tenant: 404 or 422, never the other's data", async () => {
    const a = await platform.tenant("a");
    const b = await platform.tenant("b");
    const aPolicy = await register(a.admin, wpcV1(), "a's policy");
    const aAgent = await insertAgent(a.id);
    const bAgent = await insertAgent(b.id);
    unwrap(await a.admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: aAgent } }, body: { policy_hash: aPolicy.hash } }));

    expect(await reason(b.admin.GET("/v1/policies/{hash}", { params: { path: { hash: aPolicy.hash } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(unwrap(await b.admin.GET("/v1/policies", { params: { query: { limit: 200 } } })).items).toEqual([]);
    expect(await reason(b.admin.PUT("/v1/tenant/default-policy", { body: { policy_hash: aPolicy.hash } }).then(unwrap))).toBe("422 REFERENCE_NOT_FOUND");
    expect(await reason(b.admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: bAgent } }, body: { policy_hash: aPolicy.hash } }).then(unwrap))).toBe(
      "422 REFERENCE_NOT_FOUND",
    );
    const bPolicy = await register(b.admin, wpcV2());
    expect(await reason(b.admin.PATCH("/v1/agents/{agent_id}/policy", { params: { path: { agent_id: aAgent } }, body: { policy_hash: bPolicy.hash } }).then(unwrap))).toBe(
      "404 NOT_FOUND",
    );
    expect(await reason(b.admin.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: aAgent }, query: { limit: 10 } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(
      await reason(
        b.admin.GET("/v1/agents/{agent_id}/policy-history", { params: { path: { agent_id: aAgent }, query: { limit: 10, at: clock.toISOString() } } }).then(unwrap),
      ),
    ).toBe("404 NOT_FOUND");

    // The same document registered by b is b's own row; a's name and author stay a's.
    const bCopy = await b.admin.POST("/v1/policies", { body: { document: wpcV1(), name: "b's copy" } });
    expect(bCopy.response.status).toBe(201);
    expect(unwrap(bCopy)).toMatchObject({ hash: aPolicy.hash, name: "b's copy" });
    expect(unwrap(await a.admin.GET("/v1/policies/{hash}", { params: { path: { hash: aPolicy.hash } } })).name).toBe("a's policy");

    expect((await platform.database.pool.query("select policy_hash from agents where id = $1", [aAgent])).rows[0].policy_hash).toBe(aPolicy.hash);
    expect(await count("agent_policy_history where tenant_id = $1", [b.id])).toBe(0);
    expect(unwrap(await a.admin.GET("/v1/tenant")).default_policy_hash).toBeNull();
  });
});
