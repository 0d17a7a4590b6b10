import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UnrecoverableError } from "bullmq";
import { eq } from "drizzle-orm";
import { agents, createDatabase, type Database } from "@clawea/db";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { SandboxError } from "../sandbox/sandbox.provider.js";
import { createAgentLifecycleHandlers, type AgentJobHandlers, type JobContext } from "./agent-lifecycle.handlers.js";
import { GATEWAY, NOW, insertAgent, insertTenant, payloadFor, silentLogger } from "./fixtures.test-support.js";
import { MemorySandboxProvider } from "./sandbox-doubles.test-support.js";

let testDb: TestDatabase;
let database: Database;
let provider: MemorySandboxProvider;
let handlers: AgentJobHandlers;

const ctx = (overrides: Partial<JobContext> = {}): JobContext => ({ jobId: "job", attempt: 1, finalAttempt: false, ...overrides });

async function row(agentId: string) {
  const [found] = await database.db.select().from(agents).where(eq(agents.id, agentId));
  return found!;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  await insertTenant(database.db);
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
});

beforeEach(() => {
  provider = new MemorySandboxProvider();
  handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => NOW, gateway: GATEWAY, logger: silentLogger });
});

describe("lifecycle handlers", () => {
  it("deploy creates the sandbox from the agent's settings, reports running, clears pending; twice is once", async () => {
    const { agentId, actionId } = await insertAgent(database.db);
    const payload = payloadFor("agent.deploy", agentId, actionId);
    expect(await handlers["agent.deploy"](payload, ctx())).toEqual({ outcome: "done", status: "running" });
    expect(await handlers["agent.deploy"](payload, ctx({ attempt: 2 }))).toEqual({ outcome: "superseded" });

    const agent = await row(agentId);
    expect(agent).toMatchObject({ status: "running", sandboxId: agentId, lastActiveAt: NOW, pendingAction: null, pendingActionId: null, pendingActionAt: null, lastErrorCode: null });
    expect(provider.sandboxes.size).toBe(1);
    expect(provider.sandboxes.get(agentId)?.spec).toMatchObject({ id: agentId, tenantId: agent.tenantId, runtime: "reference", cpuMillis: 500, memoryMb: 512, diskMb: 1024, stateless: true, gateway: GATEWAY });
  });

  it("a deploy re-run after a crash between create and the row update creates nothing new", async () => {
    const { agentId, actionId } = await insertAgent(database.db);
    await provider.create({ id: agentId, tenantId: "x", runtime: "reference", cpuMillis: 1, memoryMb: 1, diskMb: 1, stateless: true, gateway: GATEWAY });
    expect(await handlers["agent.deploy"](payloadFor("agent.deploy", agentId, actionId), ctx({ attempt: 2 }))).toMatchObject({ outcome: "done" });
    expect(provider.sandboxes.size).toBe(1);
    expect((await row(agentId)).status).toBe("running");
  });

  it.each([
    { job: "agent.sleep", from: "running", to: "sleeping", op: "stop", state: "stopped" },
    { job: "agent.wake", from: "sleeping", to: "running", op: "start", state: "running" },
    { job: "agent.destroy", from: "running", to: "destroyed", op: "destroy", state: "destroyed" },
  ] as const)("$job moves $from to $to through provider.$op, and is idempotent", async ({ job, from, to, op, state }) => {
    const { agentId, actionId } = await insertAgent(database.db, { status: from, pending: job.slice("agent.".length) as "sleep", sandboxId: "sbx_pre" });
    provider.sandboxes.set("sbx_pre", { spec: {} as never, state: from === "sleeping" ? "stopped" : "running" });
    const payload = payloadFor(job, agentId, actionId);
    expect(await handlers[job](payload, ctx())).toEqual({ outcome: "done", status: to });
    expect(await handlers[job](payload, ctx())).toEqual({ outcome: "superseded" });
    expect(await row(agentId)).toMatchObject({ status: to, pendingAction: null, pendingActionId: null });
    expect(provider.calls).toEqual([{ op, id: "sbx_pre" }]);
    expect(provider.sandboxes.get("sbx_pre")?.state).toBe(state);
  });

  it("destroy of an agent whose deploy never recorded its sandbox destroys the sandbox named after the agent", async () => {
    const { agentId, actionId } = await insertAgent(database.db, { status: "provisioning", pending: "destroy" });
    await handlers["agent.destroy"](payloadFor("agent.destroy", agentId, actionId), ctx());
    expect(provider.calls).toEqual([{ op: "destroy", id: agentId }]);
    expect((await row(agentId)).status).toBe("destroyed");
  });

  it("a superseded action (destroy replaced a pending sleep) is a no-op that leaves the row and sandbox alone", async () => {
    const { agentId, actionId: sleepAction } = await insertAgent(database.db, { status: "running", pending: "sleep", sandboxId: "sbx_s" });
    await database.db.update(agents).set({ pendingAction: "destroy", pendingActionId: "act_destroy_wins" }).where(eq(agents.id, agentId));
    expect(await handlers["agent.sleep"](payloadFor("agent.sleep", agentId, sleepAction), ctx())).toEqual({ outcome: "superseded" });
    expect(provider.calls).toEqual([]);
    expect(await row(agentId)).toMatchObject({ status: "running", pendingAction: "destroy", pendingActionId: "act_destroy_wins" });
  });

  it("a transient fault is rethrown for retry and leaves the action pending", async () => {
    const { agentId, actionId } = await insertAgent(database.db);
    const fault = new SandboxError("SANDBOX_UNAVAILABLE", "busy", true);
    provider.failNext("create", fault);
    await expect(handlers["agent.deploy"](payloadFor("agent.deploy", agentId, actionId), ctx())).rejects.toBe(fault);
    expect(await row(agentId)).toMatchObject({ status: "provisioning", pendingActionId: actionId });
    expect(await handlers["agent.deploy"](payloadFor("agent.deploy", agentId, actionId), ctx({ attempt: 2 }))).toMatchObject({ outcome: "done" });
  });

  it("a non-retryable fault records failed + reason code, clears pending, and ends the job unrecoverably", async () => {
    const { agentId, actionId } = await insertAgent(database.db);
    provider.failNext("create", new SandboxError("SANDBOX_CREATE_FAILED", "no such image"));
    const error = await handlers["agent.deploy"](payloadFor("agent.deploy", agentId, actionId), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe("SANDBOX_CREATE_FAILED");
    expect(await row(agentId)).toMatchObject({ status: "failed", lastErrorCode: "SANDBOX_CREATE_FAILED", pendingAction: null, pendingActionId: null });
  });

  it("a transient fault on the last attempt is recorded as the agent's failure", async () => {
    const { agentId, actionId } = await insertAgent(database.db, { status: "running", pending: "sleep", sandboxId: "sbx_t" });
    provider.failNext("stop", new SandboxError("SANDBOX_UNAVAILABLE", "still busy", true));
    await expect(handlers["agent.sleep"](payloadFor("agent.sleep", agentId, actionId), ctx({ attempt: 5, finalAttempt: true }))).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await row(agentId)).toMatchObject({ status: "failed", lastErrorCode: "SANDBOX_UNAVAILABLE", pendingActionId: null });
  });

  it("sleep of an agent without a sandbox fails with SANDBOX_ID_MISSING", async () => {
    const { agentId, actionId } = await insertAgent(database.db, { status: "running", pending: "sleep" });
    await expect(handlers["agent.sleep"](payloadFor("agent.sleep", agentId, actionId), ctx())).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await row(agentId)).toMatchObject({ status: "failed", lastErrorCode: "SANDBOX_ID_MISSING" });
  });

  it("policy_update confirms the agent holds the assigned hash, touches it, and is idempotent; a stale hash is a no-op", async () => {
    const { agentId } = await insertAgent(database.db, { status: "running", pending: null, sandboxId: "sbx_p", policyHash: "hash_new" });
    await database.db.update(agents).set({ updatedAt: new Date("2020-01-01T00:00:00Z") }).where(eq(agents.id, agentId));
    const current = payloadFor("agent.policy_update", agentId, "pas_1", { policy_hash: "hash_new" });
    expect(await handlers["agent.policy_update"](current, ctx())).toEqual({ outcome: "done", status: "running" });
    expect(await handlers["agent.policy_update"](current, ctx())).toEqual({ outcome: "done", status: "running" });
    expect((await row(agentId)).updatedAt).toEqual(NOW);

    await database.db.update(agents).set({ updatedAt: new Date("2020-01-01T00:00:00Z") }).where(eq(agents.id, agentId));
    const stale = payloadFor("agent.policy_update", agentId, "pas_0", { policy_hash: "hash_old" });
    expect(await handlers["agent.policy_update"](stale, ctx())).toEqual({ outcome: "superseded" });
    expect(await row(agentId)).toMatchObject({ policyHash: "hash_new", updatedAt: new Date("2020-01-01T00:00:00Z") });
  });

  it("health samples cpu/mem of a running agent; twice is fine (lifecycle/agent-health.test.ts has the rest)", async () => {
    const { agentId } = await insertAgent(database.db, { status: "running", pending: null, sandboxId: "sbx_h", lastActiveAt: NOW });
    provider.sandboxes.set("sbx_h", { spec: {} as never, state: "running" });
    const payload = payloadFor("agent.health", agentId, "hlt_1");
    expect(await handlers["agent.health"](payload, ctx())).toEqual({ outcome: "done", status: "running", health: "sampled" });
    expect(await handlers["agent.health"](payload, ctx())).toEqual({ outcome: "done", status: "running", health: "sampled" });
    expect(await row(agentId)).toMatchObject({ cpuUsageMillis: 1234, memoryUsageMb: 64, lastActiveAt: NOW, status: "running" });
  });

  it("health skips an agent that is not running or has an action pending, without touching its sandbox", async () => {
    const sleeping = await insertAgent(database.db, { status: "sleeping", pending: null, sandboxId: "sbx_z" });
    expect(await handlers["agent.health"](payloadFor("agent.health", sleeping.agentId, "hlt_2"), ctx())).toMatchObject({ outcome: "skipped" });
    const pending = await insertAgent(database.db, { status: "running", pending: "sleep", sandboxId: "sbx_y" });
    expect(await handlers["agent.health"](payloadFor("agent.health", pending.agentId, "hlt_3"), ctx())).toMatchObject({ outcome: "skipped" });
    expect(provider.calls).toEqual([]);
  });
});
