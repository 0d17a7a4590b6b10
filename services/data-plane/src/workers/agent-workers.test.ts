import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue, type Job } from "bullmq";
import { eq } from "drizzle-orm";
import { agents, createDatabase, type Database } from "@clawea/db";
import { JOB_OPTIONS, QUEUES, jobIdFor } from "@clawea/queue";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { SandboxError, type SandboxProvider } from "../sandbox/sandbox.provider.js";
import { createAgentLifecycleHandlers } from "./agent-lifecycle.handlers.js";
import { startWorkers, type Workers } from "./agent-workers.js";
import { GATEWAY, insertAgent, insertTenant, payloadFor, silentLogger } from "./fixtures.test-support.js";
import { FileSandboxProvider, MemorySandboxProvider } from "./sandbox-doubles.test-support.js";

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const connection = { host: new URL(redisUrl).hostname, port: Number(new URL(redisUrl).port || 6379) };
const prefix = `clawea-test-workers-${process.pid}-${Date.now()}`;
// The production retry policy, with a short backoff so the test does not wait seconds.
const jobOptions = { ...JOB_OPTIONS, backoff: { type: "exponential", delay: 20 } };

let testDb: TestDatabase;
let database: Database;
let queue: Queue;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  await insertTenant(database.db);
  queue = new Queue(QUEUES.agents, { connection, prefix, defaultJobOptions: jobOptions });
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await database.close();
  await testDb.drop();
});

function workersWith(provider: SandboxProvider, extra: { lockDuration?: number; stalledInterval?: number } = {}): Workers {
  const handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => new Date(), gateway: GATEWAY, logger: silentLogger });
  // Every worker on the queue checks for stalled jobs often: the check is throttled by one queue-wide
  // key that lives for the interval of whichever worker set it last.
  return startWorkers({ connection, handlers, concurrency: 2, prefix, stalledInterval: 300, ...extra });
}

async function settled(jobId: string, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await queue.getJob(jobId);
    const state = job ? await job.getState() : "missing";
    // Read the job again once it has settled: the copy read before `getState` may predate its last attempt.
    if (job && (state === "completed" || state === "failed")) return (await queue.getJob(jobId))!;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function row(agentId: string) {
  const [found] = await database.db.select().from(agents).where(eq(agents.id, agentId));
  return found!;
}

async function addDeploy(agentId: string, actionId: string): Promise<string> {
  const jobId = jobIdFor("agent.deploy", actionId);
  await queue.add("agent.deploy", payloadFor("agent.deploy", agentId, actionId), { jobId });
  return jobId;
}

describe("agent workers on the real queue", () => {
  it("process a job added with its deterministic id, end to end", async () => {
    const provider = new MemorySandboxProvider();
    const workers = workersWith(provider);
    try {
      const { agentId, actionId } = await insertAgent(database.db);
      const jobId = await addDeploy(agentId, actionId);
      const job = await settled(jobId);
      expect(await job.getState()).toBe("completed");
      expect(job.returnvalue).toEqual({ outcome: "done", status: "running" });
      expect(await row(agentId)).toMatchObject({ status: "running", sandboxId: agentId, pendingActionId: null });
    } finally {
      await workers.close();
    }
  });

  it("retry a transient fault with backoff until it succeeds", async () => {
    const provider = new MemorySandboxProvider();
    provider.failNext("create", new SandboxError("SANDBOX_UNAVAILABLE", "busy", true));
    provider.failNext("create", new SandboxError("SANDBOX_UNAVAILABLE", "busy", true));
    const workers = workersWith(provider);
    try {
      const { agentId, actionId } = await insertAgent(database.db);
      const job = await settled(await addDeploy(agentId, actionId));
      expect(await job.getState()).toBe("completed");
      expect(job.attemptsMade).toBe(3);
      expect(provider.calls.filter((call) => call.op === "create")).toHaveLength(3);
      expect(provider.sandboxes.size).toBe(1);
      expect((await row(agentId)).status).toBe("running");
    } finally {
      await workers.close();
    }
  });

  it("end a non-retryable fault at once: job failed with the reason code, agent failed, pending cleared", async () => {
    const provider = new MemorySandboxProvider();
    provider.failNext("create", new SandboxError("SANDBOX_CREATE_FAILED", "bad image"));
    const workers = workersWith(provider);
    try {
      const { agentId, actionId } = await insertAgent(database.db);
      const job = await settled(await addDeploy(agentId, actionId));
      expect(await job.getState()).toBe("failed");
      expect(job.failedReason).toBe("SANDBOX_CREATE_FAILED");
      expect(job.attemptsMade).toBe(1);
      expect(await queue.getFailed()).toEqual(expect.arrayContaining([expect.objectContaining({ id: job.id })]));
      expect(await row(agentId)).toMatchObject({ status: "failed", lastErrorCode: "SANDBOX_CREATE_FAILED", pendingAction: null, pendingActionId: null });
    } finally {
      await workers.close();
    }
  });

  it("fail an unknown job name or a malformed payload without retrying", async () => {
    const workers = workersWith(new MemorySandboxProvider());
    try {
      await queue.add("agent.reticulate", { tenant_id: "t", agent_id: "a", action_id: "x" }, { jobId: "unknown-1" });
      await queue.add("agent.sleep", { agent_id: "a" }, { jobId: "malformed-1" });
      const unknown = await settled("unknown-1");
      const malformed = await settled("malformed-1");
      expect([unknown.failedReason, unknown.attemptsMade]).toEqual(["JOB_UNKNOWN", 1]);
      expect([malformed.failedReason, malformed.attemptsMade]).toEqual(["JOB_PAYLOAD_INVALID", 1]);
    } finally {
      await workers.close();
    }
  });

  it("finish a deploy whose worker was SIGKILLed after creating the sandbox: one sandbox, consistent row", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawea-sbx-"));
    const lockDurationMs = 1_000;
    const stalledIntervalMs = 300;
    // node itself with tsx's loader (not the tsx CLI, which would run the worker in a grandchild the kill misses).
    const tsxLoader = new URL("../../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
    const child = spawn(process.execPath, ["--import", tsxLoader, fileURLToPath(new URL("./crash-worker.test-support.ts", import.meta.url))], {
      env: { ...process.env, DATABASE_URL: testDb.url, REDIS_URL: redisUrl, SANDBOX_DIR: dir, BULL_PREFIX: prefix, LOCK_DURATION_MS: String(lockDurationMs), STALLED_INTERVAL_MS: String(stalledIntervalMs) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    let second: Workers | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
        child.once("exit", () => reject(new Error("crash worker exited before it was ready")));
      });
      const files = new FileSandboxProvider(dir);
      const { agentId, actionId } = await insertAgent(database.db);
      const jobId = await addDeploy(agentId, actionId);

      // The child creates the sandbox, then hangs inside the job.
      for (const deadline = Date.now() + 15_000; files.createLog.length === 0; ) {
        if (Date.now() > deadline) throw new Error("the crash worker never created the sandbox");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await (await queue.getJob(jobId))!.getState()).toBe("active");
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      expect(await row(agentId)).toMatchObject({ status: "provisioning", pendingActionId: actionId });

      // A fresh worker finds the job stalled once its lock lapses, and runs it again.
      second = workersWith(files, { lockDuration: lockDurationMs, stalledInterval: stalledIntervalMs });
      const job = await settled(jobId);
      expect(await job.getState()).toBe("completed");
      expect(files.createLog).toHaveLength(2);
      expect(files.createLog[0]).not.toBe(files.createLog[1]);
      expect(files.sandboxIds()).toEqual([agentId]);
      expect(await row(agentId)).toMatchObject({ status: "running", sandboxId: agentId, pendingAction: null, pendingActionId: null, lastErrorCode: null });
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await second?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
