import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { eq } from "drizzle-orm";
import { agents, createDatabase, usageEvents, type Database } from "@clawea/db";
import { QUEUES } from "@clawea/queue";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { createAgentLifecycleHandlers } from "../workers/agent-lifecycle.handlers.js";
import { startWorkers } from "../workers/agent-workers.js";
import { GATEWAY, NOW, insertAgent, insertTenant, silentLogger } from "../workers/fixtures.test-support.js";
import { MemorySandboxProvider } from "../workers/sandbox-doubles.test-support.js";
import { HEALTH_SCHEDULER_ID, HEALTH_SWEEP_QUEUE, scheduleHealthSweep, startHealthSweep, sweepRunningAgents, tickOf } from "./health-sweep.js";

const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const connection = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };
const prefix = `clawea-test-health-${process.pid}-${Date.now()}`;

let testDb: TestDatabase;
let database: Database;
const queues: Queue[] = [];

function queue(name: string, queuePrefix = prefix): Queue {
  const created = new Queue(name, { connection, prefix: queuePrefix });
  queues.push(created);
  return created;
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  for (const deadline = Date.now() + timeoutMs; ; ) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  await insertTenant(database.db);
});

afterAll(async () => {
  for (const created of queues) {
    await created.obliterate({ force: true });
    await created.close();
  }
  await database.close();
  await testDb.drop();
});

describe("health sweep", () => {
  it("keeps one scheduler for the fleet however many data planes upsert it", async () => {
    const ownPrefix = `${prefix}-sched`;
    const first = queue(HEALTH_SWEEP_QUEUE, ownPrefix);
    const second = queue(HEALTH_SWEEP_QUEUE, ownPrefix);
    await scheduleHealthSweep(first, 60_000);
    await scheduleHealthSweep(second, 60_000);
    await scheduleHealthSweep(first, 60_000);
    expect(await first.getJobSchedulersCount()).toBe(1);
    expect(await first.getJobScheduler(HEALTH_SCHEDULER_ID)).toMatchObject({ key: HEALTH_SCHEDULER_ID, every: 60_000 });
    // The first tick is due at once; the next ones follow from it.
    const due = await first.getJobs(["waiting", "delayed"]);
    expect(due).toHaveLength(1);
    expect(due[0]?.id).toMatch(new RegExp(`^repeat:${HEALTH_SCHEDULER_ID}:\\d+$`));
    expect(tickOf(due[0]!)).toBe(Number(due[0]!.id!.split(":").at(-1)));
  });

  it("enqueues one check per running agent without a pending action, page by page, once per tick", async () => {
    const ownPrefix = `${prefix}-pages`;
    const agentsQueue = queue(QUEUES.agents, ownPrefix);
    await database.db.delete(agents);
    const running: string[] = [];
    for (let i = 0; i < 5; i++) running.push((await insertAgent(database.db, { status: "running", pending: null, sandboxId: `sbx_${i}` })).agentId);
    await insertAgent(database.db, { status: "sleeping", pending: null });
    await insertAgent(database.db, { status: "running", pending: "sleep" });
    await insertAgent(database.db, { status: "provisioning" });

    expect(await sweepRunningAgents({ db: database.db, agentsQueue, pageSize: 2 }, 1000, NOW)).toBe(5);
    expect(await sweepRunningAgents({ db: database.db, agentsQueue, pageSize: 2 }, 1000, NOW)).toBe(5);
    const jobs = await agentsQueue.getWaiting();
    expect(jobs).toHaveLength(5);
    expect(jobs.map((job) => job.data.agent_id).sort()).toEqual([...running].sort());
    expect(jobs.every((job) => job.name === "agent.health" && job.opts.attempts === 1)).toBe(true);
    expect(jobs.find((job) => job.data.agent_id === running[0])).toMatchObject({ id: `agent-health-hlt_1000_${running[0]}`, data: { action_id: `hlt_1000_${running[0]}`, requested_at: NOW.toISOString() } });

    await sweepRunningAgents({ db: database.db, agentsQueue, pageSize: 2 }, 2000, NOW);
    expect(await agentsQueue.getWaitingCount()).toBe(10);
  });

  it("runs end to end: the scheduler ticks, the sweep fans out, the agent workers sample, meter and restart", async () => {
    const ownPrefix = `${prefix}-e2e`;
    const provider = new MemorySandboxProvider();
    await database.db.delete(agents);
    const healthy = await insertAgent(database.db, { status: "running", pending: null, sandboxId: "sbx_ok", lastActiveAt: new Date() });
    const crashed = await insertAgent(database.db, { status: "running", pending: null, sandboxId: "sbx_crashed", lastActiveAt: new Date() });
    provider.sandboxes.set("sbx_ok", { spec: {} as never, state: "running" });
    const handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => new Date(), gateway: GATEWAY, logger: silentLogger });
    const workers = startWorkers({ connection, handlers, concurrency: 2, prefix: ownPrefix });
    const sweep = await startHealthSweep({ connection, db: database.db, everyMs: 200, logger: silentLogger, prefix: ownPrefix });
    // For the clean-up in afterAll.
    queue(HEALTH_SWEEP_QUEUE, ownPrefix);
    queue(QUEUES.agents, ownPrefix);
    try {
      const sampled = await until(async () => {
        const [found] = await database.db.select().from(agents).where(eq(agents.id, healthy.agentId));
        return found?.cpuUsageMillis === null ? undefined : found;
      });
      expect(sampled).toMatchObject({ cpuUsageMillis: 1234, memoryUsageMb: 64, status: "running" });
      const restarted = await until(async () => {
        const [found] = await database.db.select().from(agents).where(eq(agents.id, crashed.agentId));
        return found?.restartCount === 1 ? found : undefined;
      });
      expect(restarted).toMatchObject({ status: "running", failureCount: 1, lastFailureCode: "SANDBOX_NOT_FOUND" });
      expect(provider.sandboxes.get("sbx_crashed")?.state).toBe("running");
      const metered = await database.db.select().from(usageEvents).where(eq(usageEvents.agentId, healthy.agentId));
      expect(metered).toEqual([expect.objectContaining({ kind: "compute_seconds", quantity: 1.234 })]);
    } finally {
      await sweep.close();
      await workers.close();
    }
  });
});
