import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { agents, SealError, sealBinding, unseal } from "@clawea/db";
import { isDidKey, keyPairFromSeed } from "@clawea/protocol";
import { jobIdFor } from "@clawea/queue";
import { unwrap, type ClaweaClient } from "@clawea/sdk";
import { raw, reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";
import { ROLES } from "../../http/auth.js";
import { agentsRepo } from "./agents.repo.js";
import { AGENT_READERS, AGENT_WRITERS, FLEET_READERS } from "./agents.routes.js";
import { counts, insertPolicy, insertSecret, jobInQueue, problemOf, reportFromDataPlane } from "./agents.test-support.js";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const SMALL = "tpl_reference_small";
const STANDARD = "tpl_openclaw_standard";

async function deploy(client: ClaweaClient, name = "worker", templateId = SMALL) {
  return unwrap(await client.POST("/v1/agents", { body: { template_id: templateId, name } }));
}

const at = (agent_id: string) => ({ params: { path: { agent_id } } });

async function sealedKeyOf(agentId: string): Promise<string> {
  const { rows } = await platform.database.pool.query("select signing_key_sealed from agents where id = $1", [agentId]);
  return rows[0].signing_key_sealed;
}

async function outboxJobs(agentId: string): Promise<{ job_name: string; job_id: string }[]> {
  const { rows } = await platform.database.pool.query("select job_name, job_id from outbox where payload->>'agent_id' = $1 order by id", [agentId]);
  return rows;
}

describe("deploying an agent", () => {
  it("answers 202 with the agent provisioning, its deploy pending, and the deploy job in the queue", async () => {
    const { admin, id: tenantId } = await platform.tenant();
    const agent = await deploy(admin, "first");
    expect(agent).toMatchObject({
      id: expect.stringMatching(/^agt_[0-9a-f]{32}$/),
      name: "first",
      template_id: SMALL,
      status: "provisioning",
      pending_action: { action: "deploy", action_id: expect.stringMatching(/^act_[0-9a-f]{32}$/) },
      policy_hash: null,
      runtime: "reference",
      model: "openai/gpt-4.1-mini",
      resources: { cpu_millis: 500, memory_mb: 512, disk_mb: 1024 },
      sleep_after_seconds: 600,
      stateless: true,
      secret_refs: [],
      config: {},
    });
    const jobId = jobIdFor("agent.deploy", agent.pending_action!.action_id);
    const job = await jobInQueue(platform, jobId);
    expect(job.name).toBe("agent.deploy");
    expect(job.data).toEqual({ tenant_id: tenantId, agent_id: agent.id, action_id: agent.pending_action!.action_id, requested_at: agent.pending_action!.requested_at });
    expect(await outboxJobs(agent.id)).toEqual([{ job_name: "agent.deploy", job_id: jobId }]);
  });

  it("mints a did:key whose seed is stored sealed, bound to tenant and agent, and never returned", async () => {
    const { admin, id: tenantId } = await platform.tenant();
    const agent = await deploy(admin);
    const other = await deploy(admin, "other");
    expect(isDidKey(agent.did)).toBe(true);
    expect(agent.did).not.toBe(other.did);
    const sealed = await sealedKeyOf(agent.id);
    const seed = unseal(platform.keyring, sealed, sealBinding.agentKey(tenantId, agent.id));
    expect(seed).toHaveLength(32);
    expect(keyPairFromSeed(seed).did).toBe(agent.did);
    expect(() => unseal(platform.keyring, sealed, sealBinding.agentKey(tenantId, other.id))).toThrow(SealError);
    expect(() => unseal(platform.keyring, sealed, sealBinding.agentKey("ten_other", agent.id))).toThrow(SealError);
    const answers = JSON.stringify([
      agent,
      unwrap(await admin.GET("/v1/agents/{agent_id}", at(agent.id))),
      unwrap(await admin.GET("/v1/agents", { params: { query: { limit: 10 } } })),
      unwrap(await admin.GET("/v1/agents/{agent_id}/health", at(agent.id))),
    ]);
    expect(answers).not.toContain(sealed.split(".")[3]!.slice(0, 16));
    expect(answers).not.toContain(Buffer.from(seed).toString("base64url"));
    expect(answers).not.toContain(Buffer.from(seed).toString("hex"));
    expect(answers).not.toContain("signing_key");
  });

  it("starts on the template's policy, else the tenant's default, and writes one policy history row", async () => {
    const { admin, id: tenantId } = await platform.tenant();
    const tenantDefault = await insertPolicy(platform, tenantId);
    const templatePolicy = await insertPolicy(platform, tenantId);
    await platform.database.pool.query("update tenants set default_policy_hash = $2 where id = $1", [tenantId, tenantDefault]);
    const template = unwrap(
      await admin.POST("/v1/templates", {
        body: {
          name: "with policy",
          runtime: "openclaw",
          model: "openai/gpt-4.1",
          resources: { cpu_millis: 1000, memory_mb: 1024, disk_mb: 2048 },
          sleep_after_seconds: 300,
          stateless: false,
          default_policy_hash: templatePolicy,
        },
      }),
    );
    const onTemplatePolicy = await deploy(admin, "a", template.id);
    const onTenantDefault = await deploy(admin, "b", SMALL);
    expect(onTemplatePolicy.policy_hash).toBe(templatePolicy);
    expect(onTenantDefault.policy_hash).toBe(tenantDefault);
    const { rows } = await platform.database.pool.query(
      "select agent_id, policy_hash, effective_to, assigned_by_key_id from agent_policy_history where tenant_id = $1 order by agent_id",
      [tenantId],
    );
    expect(rows).toEqual(
      [
        { agent_id: onTemplatePolicy.id, policy_hash: templatePolicy, effective_to: null, assigned_by_key_id: expect.stringMatching(/^key_/) },
        { agent_id: onTenantDefault.id, policy_hash: tenantDefault, effective_to: null, assigned_by_key_id: expect.stringMatching(/^key_/) },
      ].sort((x, y) => x.agent_id.localeCompare(y.agent_id)),
    );
  });

  it("applies overrides: fields replaced, resources and config merged, secrets checked", async () => {
    const { admin, id: tenantId } = await platform.tenant();
    await insertSecret(platform, tenantId, "anthropic");
    const agent = unwrap(
      await admin.POST("/v1/agents", {
        body: {
          template_id: STANDARD,
          name: "tuned",
          overrides: { model: "openai/gpt-4.1", resources: { memory_mb: 4096 }, sleep_after_seconds: 120, stateless: true, secret_refs: ["anthropic"], config: { depth: 3 } },
        },
      }),
    );
    expect(agent).toMatchObject({
      runtime: "openclaw",
      model: "openai/gpt-4.1",
      resources: { cpu_millis: 2000, memory_mb: 4096, disk_mb: 8192 },
      sleep_after_seconds: 120,
      stateless: true,
      secret_refs: ["anthropic"],
      config: { tools_profile: "coding", depth: 3 },
    });
    const before = await counts(platform, tenantId);
    expect(await reason(admin.POST("/v1/agents", { body: { template_id: STANDARD, name: "x", overrides: { secret_refs: ["missing"] } } }).then(unwrap))).toBe(
      "422 REFERENCE_NOT_FOUND",
    );
    expect(await reason(admin.POST("/v1/agents", { body: { template_id: "tpl_0123456789abcdef0123456789abcdef", name: "x" } }).then(unwrap))).toBe(
      "422 REFERENCE_NOT_FOUND",
    );
    expect(await counts(platform, tenantId)).toEqual(before);
  });

  it("honours Idempotency-Key: one agent, one job, the same answer replayed", async () => {
    const { adminToken, id: tenantId } = await platform.tenant();
    const headers = { "idempotency-key": "deploy-worker-0001" };
    const body = JSON.stringify({ template_id: SMALL, name: "once" });
    const [first, second] = await Promise.all([
      raw(platform.url, "POST", "/v1/agents", { token: adminToken, body, headers }),
      raw(platform.url, "POST", "/v1/agents", { token: adminToken, body, headers }),
    ]);
    const answered = [first, second].filter((r) => r.status === 202);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    for (const r of [first, second]) if (r.status !== 202) expect(r.body).toMatchObject({ status: 409, reason_code: "IDEMPOTENCY_IN_PROGRESS" });
    const again = await raw(platform.url, "POST", "/v1/agents", { token: adminToken, body, headers });
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    expect(again.body).toEqual(answered[0]!.body);
    expect(await counts(platform, tenantId)).toMatchObject({ agents: 1, history: 1, outbox: 1 });
  });
});

describe("bad input", () => {
  const good = { template_id: SMALL, name: "ok" };
  it.each([
    ["wrong type", { ...good, name: 7 }],
    ["wrong type in overrides", { ...good, overrides: { stateless: "yes" } }],
    ["unknown field", { ...good, image: "x" }],
    ["unknown override", { ...good, overrides: { runtime: "openclaw" } }],
    ["unknown resource", { ...good, overrides: { resources: { gpu: 1 } } }],
    ["resource above bounds", { ...good, overrides: { resources: { cpu_millis: 64_000 } } }],
    ["missing name", { template_id: SMALL }],
    ["malformed template id", { ...good, template_id: "reference-small" }],
    ["config too large", { ...good, overrides: { config: { blob: "x".repeat(20 * 1024) } } }],
  ])("%s is answered 400 VALIDATION_FAILED and writes nothing", async (_name, body) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "POST", "/v1/agents", { token: adminToken, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ reason_code: "VALIDATION_FAILED" });
    expect(await counts(platform, id)).toEqual({ agents: 0, templates: 0, history: 0, outbox: 0 });
  });

  it("oversized bodies are 413, non-JSON 415, malformed ids and queries 400, and nothing is written", async () => {
    const { adminToken, id } = await platform.tenant();
    const huge = JSON.stringify({ template_id: SMALL, name: "x".repeat(70 * 1024) });
    expect((await raw(platform.url, "POST", "/v1/agents", { token: adminToken, body: huge })).body).toMatchObject({ status: 413, reason_code: "BODY_TOO_LARGE" });
    expect((await raw(platform.url, "POST", "/v1/agents", { token: adminToken, body: "x", headers: { "content-type": "text/plain" } })).body).toMatchObject({
      status: 415,
      reason_code: "UNSUPPORTED_MEDIA_TYPE",
    });
    for (const bad of ["not-an-agent", "agt_123", "AGT_0123456789ABCDEF0123456789ABCDEF", "tpl_0123456789abcdef0123456789abcdef"]) {
      for (const [method, path] of [
        ["GET", `/v1/agents/${bad}`],
        ["GET", `/v1/agents/${bad}/health`],
        ["POST", `/v1/agents/${bad}/sleep`],
        ["POST", `/v1/agents/${bad}/wake`],
        ["DELETE", `/v1/agents/${bad}`],
      ] as const) {
        expect((await raw(platform.url, method, path, { token: adminToken })).body, `${method} ${path}`).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
      }
    }
    for (const query of ["status=asleep", "template_id=nope", "limit=1000", "limit=x", "cursor=%25%25", "color=red"]) {
      expect((await raw(platform.url, "GET", `/v1/agents?${query}`, { token: adminToken })).body, query).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
    }
    expect(await counts(platform, id)).toEqual({ agents: 0, templates: 0, history: 0, outbox: 0 });
  });
});

describe("the lifecycle", () => {
  async function lifecycle(admin: ClaweaClient, agentId: string) {
    return {
      sleep: () => admin.POST("/v1/agents/{agent_id}/sleep", at(agentId)).then(unwrap),
      wake: () => admin.POST("/v1/agents/{agent_id}/wake", at(agentId)).then(unwrap),
      destroy: () => admin.DELETE("/v1/agents/{agent_id}", at(agentId)).then(unwrap),
    };
  }

  it("sleeps a running agent and wakes a sleeping one: 202, the action pending, its job queued, the status left to the data plane", async () => {
    const { admin, id: tenantId } = await platform.tenant();
    const agent = await deploy(admin);
    const act = await lifecycle(admin, agent.id);
    await reportFromDataPlane(platform, agent.id, "running");

    const sleeping = await act.sleep();
    expect(sleeping).toMatchObject({ status: "running", pending_action: { action: "sleep" } });
    const sleepJob = await jobInQueue(platform, jobIdFor("agent.sleep", sleeping.pending_action!.action_id));
    expect(sleepJob.data).toMatchObject({ tenant_id: tenantId, agent_id: agent.id, action_id: sleeping.pending_action!.action_id });

    await reportFromDataPlane(platform, agent.id, "sleeping");
    const waking = await act.wake();
    expect(waking).toMatchObject({ status: "sleeping", pending_action: { action: "wake" } });
    await jobInQueue(platform, jobIdFor("agent.wake", waking.pending_action!.action_id));

    await reportFromDataPlane(platform, agent.id, "running");
    const destroying = await act.destroy();
    expect(destroying).toMatchObject({ status: "running", pending_action: { action: "destroy" } });
    await jobInQueue(platform, jobIdFor("agent.destroy", destroying.pending_action!.action_id));
    expect((await outboxJobs(agent.id)).map((j) => j.job_name)).toEqual(["agent.deploy", "agent.sleep", "agent.wake", "agent.destroy"]);
  });

  it("answers an illegal request 409 ILLEGAL_TRANSITION with the current status, and enqueues nothing", async () => {
    const { admin } = await platform.tenant();
    const agent = await deploy(admin);
    const act = await lifecycle(admin, agent.id);
    const refused = async (call: () => Promise<unknown>, status: string, pending: string | null) => {
      const jobs = (await outboxJobs(agent.id)).length;
      expect(await problemOf(call())).toMatchObject({ status: 409, reason_code: "ILLEGAL_TRANSITION", current_status: status, pending_action: pending });
      expect(await outboxJobs(agent.id)).toHaveLength(jobs);
    };
    // Provisioning, deploy pending.
    await refused(act.sleep, "provisioning", "deploy");
    await refused(act.wake, "provisioning", "deploy");
    // Running: wake is illegal; a second sleep while one is pending is refused.
    await reportFromDataPlane(platform, agent.id, "running");
    await refused(act.wake, "running", null);
    await act.sleep();
    await refused(act.sleep, "running", "sleep");
    await refused(act.wake, "running", "sleep");
    // Sleeping: a second sleep is illegal.
    await reportFromDataPlane(platform, agent.id, "sleeping");
    await refused(act.sleep, "sleeping", null);
    // Failed: only destroy.
    await reportFromDataPlane(platform, agent.id, "failed", { errorCode: "SANDBOX_START_FAILED" });
    await refused(act.sleep, "failed", null);
    await refused(act.wake, "failed", null);
    await act.destroy();
    await refused(act.destroy, "failed", "destroy");
    // Destroyed: nothing.
    await reportFromDataPlane(platform, agent.id, "destroyed");
    await refused(act.destroy, "destroyed", null);
    await refused(act.sleep, "destroyed", null);
    await refused(act.wake, "destroyed", null);
    expect(unwrap(await admin.GET("/v1/agents/{agent_id}", at(agent.id))).status).toBe("destroyed");
  });

  it("lets destroy supersede a pending deploy", async () => {
    const { admin } = await platform.tenant();
    const agent = await deploy(admin);
    const destroying = unwrap(await admin.DELETE("/v1/agents/{agent_id}", at(agent.id)));
    expect(destroying).toMatchObject({ status: "provisioning", pending_action: { action: "destroy" } });
    expect(destroying.pending_action!.action_id).not.toBe(agent.pending_action!.action_id);
    expect((await outboxJobs(agent.id)).map((j) => j.job_name)).toEqual(["agent.deploy", "agent.destroy"]);
  });

  it("lets exactly one of concurrent requests through", async () => {
    const { admin } = await platform.tenant();
    const agent = await deploy(admin);
    await reportFromDataPlane(platform, agent.id, "running");
    const act = await lifecycle(admin, agent.id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => reason(act.sleep())));
    expect(answers.filter((a) => a === "ok")).toHaveLength(1);
    expect(answers.filter((a) => a !== "ok")).toEqual(Array(5).fill("409 ILLEGAL_TRANSITION"));
    expect((await outboxJobs(agent.id)).map((j) => j.job_name)).toEqual(["agent.deploy", "agent.sleep"]);
  });
});

describe("reading agents", () => {
  it("gets one, and its health as the data plane reported it", async () => {
    const { admin } = await platform.tenant();
    const agent = await deploy(admin);
    expect(unwrap(await admin.GET("/v1/agents/{agent_id}", at(agent.id)))).toEqual(agent);
    expect(unwrap(await admin.GET("/v1/agents/{agent_id}/health", at(agent.id)))).toMatchObject({
      agent_id: agent.id,
      status: "provisioning",
      pending_action: agent.pending_action,
      last_active_at: null,
      cpu_usage_millis: null,
      memory_usage_mb: null,
      sandbox_id: null,
      last_error_code: null,
      restart_count: 0,
      failure_count: 0,
      last_restart_at: null,
    });
    await reportFromDataPlane(platform, agent.id, "failed", { sandboxId: "sbx-1", cpu: 120.5, memory: 300, errorCode: "SANDBOX_OOM" });
    expect(unwrap(await admin.GET("/v1/agents/{agent_id}/health", at(agent.id)))).toMatchObject({
      status: "failed",
      pending_action: null,
      last_active_at: expect.any(String),
      cpu_usage_millis: 120.5,
      memory_usage_mb: 300,
      sandbox_id: "sbx-1",
      last_error_code: "SANDBOX_OOM",
    });
    // Crash restarts as the data plane's health check counts them.
    await platform.database.db
      .update(agents)
      .set({ restartCount: 2, failureCount: 3, lastRestartAt: new Date("2026-11-25T10:00:00Z"), lastFailureCode: "SANDBOX_NOT_FOUND" })
      .where(eq(agents.id, agent.id));
    expect(unwrap(await admin.GET("/v1/agents/{agent_id}/health", at(agent.id)))).toMatchObject({
      restart_count: 2,
      failure_count: 3,
      last_restart_at: "2026-11-25T10:00:00.000Z",
      last_failure_code: "SANDBOX_NOT_FOUND",
    });
    expect(await reason(admin.GET("/v1/agents/{agent_id}", at("agt_0123456789abcdef0123456789abcdef")).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(admin.GET("/v1/agents/{agent_id}/health", at("agt_0123456789abcdef0123456789abcdef")).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(admin.POST("/v1/agents/{agent_id}/sleep", at("agt_0123456789abcdef0123456789abcdef")).then(unwrap))).toBe("404 NOT_FOUND");
  });

  it("answers health reads that arrive together from one statement, each with its own agent's, never another tenant's", async () => {
    const first = await platform.tenant();
    const second = await platform.tenant();
    const mine = [await deploy(first.admin, "a"), await deploy(first.admin, "b"), await deploy(first.admin, "c")];
    const theirs = await deploy(second.admin, "d");
    await reportFromDataPlane(platform, mine[1]!.id, "running", { sandboxId: "sbx-b", cpu: 7, memory: 8 });
    const unknown = "agt_0123456789abcdef0123456789abcdef";
    // In order, duplicates kept, and a key names an agent only together with its tenant.
    const texts = await agentsRepo.healthJsonMany(platform.database.db, [
      { tenantId: first.id, agentId: mine[2]!.id },
      { tenantId: first.id, agentId: theirs.id },
      { tenantId: first.id, agentId: mine[1]!.id },
      { tenantId: second.id, agentId: theirs.id },
      { tenantId: first.id, agentId: unknown },
      { tenantId: first.id, agentId: mine[2]!.id },
    ]);
    expect(texts.map((text) => (text === undefined ? undefined : (JSON.parse(text) as { agent_id: string }).agent_id))).toEqual([
      mine[2]!.id,
      undefined,
      mine[1]!.id,
      theirs.id,
      undefined,
      mine[2]!.id,
    ]);
    // Through the API, all at once (one turn of the event loop shares a statement).
    const answers = await Promise.all([
      ...mine.map((agent) => first.admin.GET("/v1/agents/{agent_id}/health", at(agent.id)).then(unwrap)),
      reason(first.admin.GET("/v1/agents/{agent_id}/health", at(theirs.id)).then(unwrap)),
      second.admin.GET("/v1/agents/{agent_id}/health", at(theirs.id)).then(unwrap),
    ]);
    expect(answers.slice(0, 3).map((health) => (health as { agent_id: string }).agent_id)).toEqual(mine.map((agent) => agent.id));
    expect(answers[1]).toMatchObject({ status: "running", sandbox_id: "sbx-b", cpu_usage_millis: 7 });
    expect(answers[3]).toBe("404 NOT_FOUND");
    expect(answers[4]).toMatchObject({ agent_id: theirs.id, status: "provisioning" });
  });

  it("lists newest first with a cursor, filtered by status and template", async () => {
    const { admin } = await platform.tenant();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await deploy(admin, `a${i}`, i % 2 === 0 ? SMALL : STANDARD));
    await reportFromDataPlane(platform, made[0]!.id, "running");
    await reportFromDataPlane(platform, made[3]!.id, "running");
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = unwrap(await admin.GET("/v1/agents", { params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } } }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((a) => a.id).reverse());
    const running = unwrap(await admin.GET("/v1/agents", { params: { query: { limit: 50, status: "running" } } }));
    expect(running.items.map((a) => a.id)).toEqual([made[3]!.id, made[0]!.id]);
    const standard = unwrap(await admin.GET("/v1/agents", { params: { query: { limit: 50, template_id: STANDARD } } }));
    expect(standard.items.map((a) => a.id)).toEqual([made[3]!.id, made[1]!.id]);
    const both = unwrap(await admin.GET("/v1/agents", { params: { query: { limit: 50, template_id: STANDARD, status: "provisioning" } } }));
    expect(both.items.map((a) => a.id)).toEqual([made[1]!.id]);
  });

  it("reads pages asked for together in one batch, each its own: tenants, limits, cursors and filters mixed", async () => {
    const first = await platform.tenant();
    const second = await platform.tenant();
    const mine = [];
    for (let i = 0; i < 4; i++) mine.push(await deploy(first.admin, `m${i}`, i % 2 === 0 ? SMALL : STANDARD));
    const theirs = [await deploy(second.admin, "t0"), await deploy(second.admin, "t1")];
    const ids = (page: { items: string }) => (JSON.parse(`[${page.items}]`) as { id: string }[]).map((agent) => agent.id);
    const newestFirst = mine.map((agent) => agent.id).reverse();
    const pages = await agentsRepo.listJsonMany(platform.database.db, [
      { tenantId: first.id, filter: {}, limit: 2, before: null },
      { tenantId: second.id, filter: {}, limit: 50, before: null },
      { tenantId: first.id, filter: {}, limit: 2, before: newestFirst[1]! },
      { tenantId: first.id, filter: { templateId: STANDARD }, limit: 50, before: null },
      { tenantId: second.id, filter: { templateId: STANDARD }, limit: 50, before: null },
      { tenantId: first.id, filter: {}, limit: 50, before: newestFirst[3]! },
    ]);
    expect(pages.map(ids)).toEqual([
      newestFirst.slice(0, 2),
      theirs.map((agent) => agent.id).reverse(),
      newestFirst.slice(2, 4),
      [mine[3]!.id, mine[1]!.id],
      [],
      [],
    ]);
    expect(pages.map((page) => page.lastId)).toEqual([newestFirst[1], null, null, null, null, null]);
  });

  it("summarises the fleet: counts by status and template, resource totals of agents not destroyed", async () => {
    const { admin } = await platform.tenant();
    const finance = await platform.keyWith(admin, ["finance"]);
    expect(unwrap(await finance.GET("/v1/fleet/summary"))).toEqual({
      total: 0,
      by_status: { provisioning: 0, running: 0, sleeping: 0, destroyed: 0, failed: 0 },
      by_template: [],
      resources: { cpu_millis: 0, memory_mb: 0, disk_mb: 0 },
    });
    const small = [await deploy(admin, "s1"), await deploy(admin, "s2"), await deploy(admin, "s3"), await deploy(admin, "s4")];
    const standard = [await deploy(admin, "o1", STANDARD), await deploy(admin, "o2", STANDARD)];
    await reportFromDataPlane(platform, small[0]!.id, "running");
    await reportFromDataPlane(platform, small[1]!.id, "destroyed");
    await reportFromDataPlane(platform, standard[0]!.id, "sleeping");
    await reportFromDataPlane(platform, standard[1]!.id, "failed");
    expect(unwrap(await finance.GET("/v1/fleet/summary"))).toEqual({
      total: 5,
      by_status: { provisioning: 2, running: 1, sleeping: 1, destroyed: 1, failed: 1 },
      by_template: [
        { template_id: SMALL, template_name: "reference-small", agents: 3 },
        { template_id: STANDARD, template_name: "openclaw-standard", agents: 2 },
      ],
      resources: { cpu_millis: 3 * 500 + 2 * 2000, memory_mb: 3 * 512 + 2 * 2048, disk_mb: 3 * 1024 + 2 * 8192 },
    });
  });
});

describe("roles", () => {
  it("admit readers to reads, finance to the fleet summary only, admins and operators to writes; others get 403 ROLE_NOT_PERMITTED", async () => {
    const { admin, id: tenantId } = await platform.tenant();
    const agent = await deploy(admin);
    // [route, roles admitted, what an admitted role gets, the call]
    const routes: [string, readonly string[], string, (c: ClaweaClient) => Promise<unknown>][] = [
      ["POST /v1/agents", AGENT_WRITERS, "ok", (c) => c.POST("/v1/agents", { body: { template_id: SMALL, name: "by role" } }).then(unwrap)],
      ["GET /v1/agents", AGENT_READERS, "ok", (c) => c.GET("/v1/agents", { params: { query: { limit: 5 } } }).then(unwrap)],
      ["GET /v1/agents/:id", AGENT_READERS, "ok", (c) => c.GET("/v1/agents/{agent_id}", at(agent.id)).then(unwrap)],
      ["GET /v1/agents/:id/health", AGENT_READERS, "ok", (c) => c.GET("/v1/agents/{agent_id}/health", at(agent.id)).then(unwrap)],
      ["GET /v1/fleet/summary", FLEET_READERS, "ok", (c) => c.GET("/v1/fleet/summary").then(unwrap)],
      // The agent is provisioning: an admitted role gets past the role check to the state check.
      ["POST /v1/agents/:id/sleep", AGENT_WRITERS, "409 ILLEGAL_TRANSITION", (c) => c.POST("/v1/agents/{agent_id}/sleep", at(agent.id)).then(unwrap)],
      ["POST /v1/agents/:id/wake", AGENT_WRITERS, "409 ILLEGAL_TRANSITION", (c) => c.POST("/v1/agents/{agent_id}/wake", at(agent.id)).then(unwrap)],
    ];
    const keys = new Map(await Promise.all(ROLES.map(async (role) => [role, await platform.keyWith(admin, [role])] as const)));
    for (const [route, admitted, answer, call] of routes) {
      for (const role of ROLES) {
        expect(await reason(call(keys.get(role)!)), `${role} ${route}`).toBe(admitted.includes(role) ? answer : "403 ROLE_NOT_PERMITTED");
      }
    }
    for (const role of ROLES.filter((r) => !AGENT_WRITERS.includes(r))) {
      expect(await reason(keys.get(role)!.DELETE("/v1/agents/{agent_id}", at(agent.id)).then(unwrap)), role).toBe("403 ROLE_NOT_PERMITTED");
    }
    expect(unwrap(await keys.get("operator")!.DELETE("/v1/agents/{agent_id}", at(agent.id))).pending_action?.action).toBe("destroy");
    // Only the permitted creations happened: the first agent plus one per writer role.
    expect((await counts(platform, tenantId)).agents).toBe(1 + AGENT_WRITERS.length);
    for (const [method, path] of [
      ["POST", "/v1/agents"],
      ["GET", "/v1/agents"],
      ["GET", `/v1/agents/${agent.id}`],
      ["GET", `/v1/agents/${agent.id}/health`],
      ["GET", "/v1/fleet/summary"],
      ["POST", `/v1/agents/${agent.id}/sleep`],
      ["POST", `/v1/agents/${agent.id}/wake`],
      ["DELETE", `/v1/agents/${agent.id}`],
    ] as const) {
      expect((await raw(platform.url, method, path)).body, `${method} ${path}`).toMatchObject({ status: 401, reason_code: "AUTH_REQUIRED" });
    }
  });
});

describe("tenant isolation", () => {
  it("another tenant's agent is 404 on every route, never listed or counted, and left untouched", async () => {
    const a = await platform.tenant("a");
    const b = await platform.tenant("b");
    const agent = await deploy(a.admin);
    await reportFromDataPlane(platform, agent.id, "running", { sandboxId: "sbx-a" });
    const before = await counts(platform, a.id);
    const calls = [
      b.admin.GET("/v1/agents/{agent_id}", at(agent.id)),
      b.admin.GET("/v1/agents/{agent_id}/health", at(agent.id)),
      b.admin.POST("/v1/agents/{agent_id}/sleep", at(agent.id)),
      b.admin.POST("/v1/agents/{agent_id}/wake", at(agent.id)),
      b.admin.DELETE("/v1/agents/{agent_id}", at(agent.id)),
    ];
    for (const call of calls) {
      const problem = await problemOf(call.then(unwrap));
      expect(problem).toMatchObject({ status: 404, reason_code: "NOT_FOUND" });
      expect(JSON.stringify(problem)).not.toContain("sbx-a");
      expect(problem).not.toHaveProperty("current_status");
    }
    expect(unwrap(await b.admin.GET("/v1/agents", { params: { query: { limit: 200 } } })).items).toEqual([]);
    expect(unwrap(await b.admin.GET("/v1/agents", { params: { query: { limit: 200, template_id: SMALL, status: "running" } } })).items).toEqual([]);
    expect(unwrap(await b.admin.GET("/v1/fleet/summary")).by_status.running).toBe(0);
    expect(await counts(platform, a.id)).toEqual(before);
    expect(unwrap(await a.admin.GET("/v1/agents/{agent_id}", at(agent.id)))).toMatchObject({ status: "running", pending_action: null });
  });
});
