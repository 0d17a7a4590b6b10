import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UnrecoverableError } from "bullmq";
import { asc, eq } from "drizzle-orm";
import { agents, createDatabase, usageEvents, type Database } from "@clawea/db";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { SandboxError } from "../sandbox/sandbox.provider.js";
import { createAgentLifecycleHandlers, type AgentJobHandlers } from "../workers/agent-lifecycle.handlers.js";
import { NOW, insertAgent, insertReceipt, insertRun, insertTenant, payloadFor, silentLogger } from "../workers/fixtures.test-support.js";
import { MemorySandboxProvider } from "../workers/sandbox-doubles.test-support.js";

let testDb: TestDatabase;
let database: Database;
let provider: MemorySandboxProvider;
let handlers: AgentJobHandlers;

const ago = (seconds: number): Date => new Date(NOW.getTime() - seconds * 1000);
const ctx = { jobId: "job", attempt: 1, finalAttempt: true };
const GATEWAY = { modelUrl: "http://127.0.0.1:9/v1", egressProxyUrl: "http://127.0.0.1:9" };
let tick = 0;
const check = (agentId: string) => handlers["agent.health"](payloadFor("agent.health", agentId, `hlt_${++tick}`), ctx);

async function row(agentId: string) {
  const [found] = await database.db.select().from(agents).where(eq(agents.id, agentId));
  return found!;
}

async function usage(agentId: string) {
  return database.db.select().from(usageEvents).where(eq(usageEvents.agentId, agentId)).orderBy(asc(usageEvents.id));
}

/** A running agent with its sandbox up in the memory provider. */
async function runningAgent(options: { lastActiveAt?: Date; sleepAfterSeconds?: number } = {}) {
  const sandboxId = `sbx_${++tick}`;
  const { agentId } = await insertAgent(database.db, { status: "running", pending: null, sandboxId, lastActiveAt: options.lastActiveAt ?? NOW, ...(options.sleepAfterSeconds ? { sleepAfterSeconds: options.sleepAfterSeconds } : {}) });
  provider.sandboxes.set(sandboxId, { spec: {} as never, state: "running" });
  return { agentId, sandboxId };
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
  handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => NOW, gateway: GATEWAY, logger: silentLogger, maxRestartFailures: 3 });
});

describe("health: sampling and metering", () => {
  it("writes cpu/mem and meters the CPU used since the last sample as compute_seconds (a reset counter counts whole)", async () => {
    const { agentId, sandboxId } = await runningAgent();
    provider.usage.set(sandboxId, { cpuMillisUsed: 1000, memoryBytes: 32 * 1024 * 1024 });
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "sampled" });
    expect(await row(agentId)).toMatchObject({ cpuUsageMillis: 1000, memoryUsageMb: 32 });
    await check(agentId);
    provider.usage.set(sandboxId, { cpuMillisUsed: 3500, memoryBytes: 32 * 1024 * 1024 });
    await check(agentId);
    provider.usage.set(sandboxId, { cpuMillisUsed: 200, memoryBytes: 32 * 1024 * 1024 });
    await check(agentId);
    const events = await usage(agentId);
    expect(events.map((event) => event.quantity)).toEqual([1, 2.5, 0.2]);
    expect(events[0]).toMatchObject({ kind: "compute_seconds", runId: null, templateId: "tpl_reference_small", occurredAt: NOW });
  });

  it("writes last_active_at from the agent's latest run or gateway receipt, never from the check itself", async () => {
    const { agentId } = await runningAgent({ lastActiveAt: ago(3600), sleepAfterSeconds: 7200 });
    await check(agentId);
    expect((await row(agentId)).lastActiveAt).toEqual(ago(3600));

    const runId = await insertRun(database.db, agentId, { state: "completed", createdAt: ago(1800), updatedAt: ago(1700) });
    await check(agentId);
    expect((await row(agentId)).lastActiveAt).toEqual(ago(1700));

    await insertReceipt(database.db, agentId, runId, ago(60));
    await insertRun(database.db, agentId, { state: "completed", createdAt: ago(5000) });
    await check(agentId);
    expect((await row(agentId)).lastActiveAt).toEqual(ago(60));
  });
});

describe("health: idle sleep", () => {
  it("puts an agent idle past sleep_after_seconds to sleep like agent.sleep: sandbox stopped, row sleeping, nothing pending", async () => {
    const { agentId, sandboxId } = await runningAgent({ lastActiveAt: ago(601), sleepAfterSeconds: 600 });
    expect(await check(agentId)).toEqual({ outcome: "done", status: "sleeping", health: "slept" });
    expect(await row(agentId)).toMatchObject({ status: "sleeping", pendingAction: null, pendingActionId: null, lastActiveAt: ago(601) });
    expect(provider.calls).toEqual([{ op: "stats", id: sandboxId }, { op: "stop", id: sandboxId }]);
    expect(provider.sandboxes.get(sandboxId)?.state).toBe("stopped");
    // Asleep, it is no longer checked.
    expect(await check(agentId)).toMatchObject({ outcome: "skipped" });
  });

  it("keeps an agent awake while a recent receipt or an unfinished run says it is in use", async () => {
    const chatty = await runningAgent({ lastActiveAt: ago(3600), sleepAfterSeconds: 600 });
    const oldRun = await insertRun(database.db, chatty.agentId, { state: "completed", createdAt: ago(3600) });
    await insertReceipt(database.db, chatty.agentId, oldRun, ago(30));
    expect(await check(chatty.agentId)).toEqual({ outcome: "done", status: "running", health: "sampled" });

    const waiting = await runningAgent({ lastActiveAt: ago(3600), sleepAfterSeconds: 600 });
    await insertRun(database.db, waiting.agentId, { state: "awaiting_approval", createdAt: ago(3600) });
    expect(await check(waiting.agentId)).toEqual({ outcome: "done", status: "running", health: "sampled" });
    expect(await row(waiting.agentId)).toMatchObject({ status: "running", lastActiveAt: ago(3600) });
    expect(provider.calls.filter((call) => call.op === "stop")).toEqual([]);
  });

  it("yields to a request that lands first: the check writes nothing and leaves the sandbox alone", async () => {
    const { agentId, sandboxId } = await runningAgent({ lastActiveAt: ago(3600), sleepAfterSeconds: 600 });
    provider.beforeNext("stats", async () => {
      await database.db.update(agents).set({ pendingAction: "destroy", pendingActionId: "act_user_destroy" }).where(eq(agents.id, agentId));
    });
    expect(await check(agentId)).toEqual({ outcome: "superseded" });
    expect(provider.calls).toEqual([{ op: "stats", id: sandboxId }]);
    expect(await row(agentId)).toMatchObject({ status: "running", pendingAction: "destroy", cpuUsageMillis: null });
  });

  it("follows a wake that lands between its sleep and its stop: the sandbox is started again for it", async () => {
    const { agentId, sandboxId } = await runningAgent({ lastActiveAt: ago(3600), sleepAfterSeconds: 600 });
    // The control plane sees `sleeping` and records a wake; its job may start the sandbox before our stop.
    provider.beforeNext("stop", async () => {
      await database.db.update(agents).set({ pendingAction: "wake", pendingActionId: "act_user_wake" }).where(eq(agents.id, agentId));
    });
    expect(await check(agentId)).toEqual({ outcome: "done", status: "sleeping", health: "slept" });
    expect(provider.calls.map((call) => call.op)).toEqual(["stats", "stop", "start"]);
    expect(provider.sandboxes.get(sandboxId)?.state).toBe("running");
    expect(await row(agentId)).toMatchObject({ status: "sleeping", pendingAction: "wake" });
  });
});

describe("health: crash detection and restart", () => {
  it("re-creates a sandbox that vanished under a running agent, by id and with the agent's settings, and counts it", async () => {
    const { agentId, sandboxId } = await runningAgent();
    provider.sandboxes.delete(sandboxId);
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "restarted" });
    expect(provider.sandboxes.get(sandboxId)).toMatchObject({ state: "running", spec: { id: sandboxId, runtime: "reference", cpuMillis: 500, memoryMb: 512, diskMb: 1024, stateless: true, gateway: GATEWAY } });
    expect(await row(agentId)).toMatchObject({
      status: "running",
      sandboxId,
      restartCount: 1,
      failureCount: 1,
      consecutiveRestartFailures: 0,
      lastRestartAt: NOW,
      lastFailureAt: NOW,
      lastFailureCode: "SANDBOX_NOT_FOUND",
      lastErrorCode: null,
    });
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "sampled" });
  });

  it("restarts a sandbox that is there but whose stats fail (dead): stop, then start", async () => {
    const { agentId } = await runningAgent();
    provider.failNext("stats", new Error("ENOENT: cpuacct.usage"));
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "restarted" });
    expect(provider.calls.map((call) => call.op)).toEqual(["stats", "stop", "create", "start", "stats"]);
    expect(await row(agentId)).toMatchObject({ restartCount: 1, lastFailureCode: "DATA_PLANE_INTERNAL" });
  });

  it("fails the agent with SANDBOX_RESTART_FAILED after 3 failed restarts in a row; a good restart resets the count", async () => {
    const { agentId, sandboxId } = await runningAgent();
    provider.sandboxes.delete(sandboxId);
    provider.failNext("create", new SandboxError("SANDBOX_CREATE_FAILED", "no capacity"));
    provider.failNext("create", new SandboxError("SANDBOX_CREATE_FAILED", "no capacity"));
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "restart_failed" });
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "restart_failed" });
    expect(await row(agentId)).toMatchObject({ consecutiveRestartFailures: 2, failureCount: 2, restartCount: 0, lastFailureCode: "SANDBOX_CREATE_FAILED", status: "running" });
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "restarted" });
    expect(await row(agentId)).toMatchObject({ consecutiveRestartFailures: 0, failureCount: 3, restartCount: 1 });

    provider.sandboxes.delete(sandboxId);
    for (let i = 0; i < 3; i++) provider.failNext("create", new SandboxError("SANDBOX_CREATE_FAILED", "no capacity"));
    await check(agentId);
    await check(agentId);
    const error = await check(agentId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toBe("SANDBOX_RESTART_FAILED");
    expect(await row(agentId)).toMatchObject({ status: "failed", lastErrorCode: "SANDBOX_RESTART_FAILED", consecutiveRestartFailures: 3, failureCount: 6, restartCount: 1 });
    expect(await check(agentId)).toMatchObject({ outcome: "skipped" });
  });

  it("restarts nothing when the provider itself is unreachable", async () => {
    const { agentId } = await runningAgent();
    provider.failNext("stats", new SandboxError("SANDBOX_UNAVAILABLE", "bridge down", true));
    expect(await check(agentId)).toEqual({ outcome: "done", status: "running", health: "provider_unavailable" });
    expect(provider.calls.map((call) => call.op)).toEqual(["stats"]);
    expect(await row(agentId)).toMatchObject({ failureCount: 0, restartCount: 0 });
  });

  it("yields to a destroy that lands while it restarts: the re-created sandbox is destroyed again, nothing is counted", async () => {
    const { agentId, sandboxId } = await runningAgent();
    provider.sandboxes.delete(sandboxId);
    provider.beforeNext("create", async () => {
      await database.db.update(agents).set({ pendingAction: "destroy", pendingActionId: "act_user_destroy" }).where(eq(agents.id, agentId));
    });
    expect(await check(agentId)).toEqual({ outcome: "superseded" });
    expect(provider.calls.map((call) => call.op)).toEqual(["stats", "stop", "create", "stats", "destroy"]);
    expect(provider.sandboxes.get(sandboxId)?.state).toBe("destroyed");
    expect(await row(agentId)).toMatchObject({ restartCount: 0, failureCount: 0, pendingAction: "destroy" });
  });
});
