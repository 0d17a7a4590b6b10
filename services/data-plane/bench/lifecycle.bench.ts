/**
 * Prints deploy-to-running time (median, p95) for 20 `reference` agents deployed at once, through the
 * real agent worker (BullMQ on Redis, rows in PostgreSQL) and the `local` provider; then the round
 * trip of `exec true` in one of their sandboxes (median, p95). Targets (issue 4): deploy median
 * < 2 s, exec median < 20 ms. No assertions. Needs root (namespaces), PostgreSQL and Redis.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Queue } from "bullmq";
import { createDatabase } from "@clawea/db";
import { QUEUES, jobIdFor } from "@clawea/queue";
import { createTestDatabase } from "@clawea/testkit";
import { LocalSandboxProvider } from "../src/sandbox/local.provider.js";
import { createAgentLifecycleHandlers } from "../src/workers/agent-lifecycle.handlers.js";
import { startWorkers } from "../src/workers/agent-workers.js";
import { GATEWAY, insertAgent, insertTenant, payloadFor, silentLogger } from "../src/workers/fixtures.test-support.js";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 20);
const EXECS = Number(process.env.BENCH_EXECS ?? 100);
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 8);

if (process.getuid?.() !== 0) {
  process.stderr.write("lifecycle bench: the local provider needs root (mount/pid/net namespaces)\n");
  process.exit(2);
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const line = (label: string, samples: readonly number[]): string =>
  `${label.padEnd(44)} median ${percentile(samples, 50).toFixed(1).padStart(7)} ms   p95 ${percentile(samples, 95).toFixed(1).padStart(7)} ms   (n=${samples.length})`;

const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
const connection = { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) };
const prefix = `clawea-bench-lifecycle-${process.pid}`;
const testDb = await createTestDatabase();
const database = createDatabase(testDb.url, { max: CONCURRENCY + 2 });
const root = await mkdtemp(join(tmpdir(), "clawea-bench-"));
const provider = new LocalSandboxProvider({ root });
const queue = new Queue(QUEUES.agents, { connection, prefix });
const handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => new Date(), gateway: GATEWAY, logger: silentLogger });
const workers = startWorkers({ connection, handlers, concurrency: CONCURRENCY, prefix });
const agentIds: string[] = [];

try {
  await insertTenant(database.db);
  await workers.worker.waitUntilReady();
  const pending = [];
  for (let i = 0; i < AGENTS; i++) pending.push(await insertAgent(database.db));
  agentIds.push(...pending.map((agent) => agent.agentId));

  // Deploy: all jobs added at once (as the outbox relay would), each timed until its worker reports the agent running.
  const deployedMs = new Map<string, number>();
  const allDone = new Promise<void>((resolve, reject) => {
    workers.worker.on("completed", (job) => {
      deployedMs.set(job.id!, performance.now() - started);
      if (deployedMs.size === AGENTS) resolve();
    });
    workers.worker.on("failed", (job, err) => reject(new Error(`deploy ${job?.id} failed: ${err.message}`)));
  });
  const started = performance.now();
  await queue.addBulk(pending.map(({ agentId, actionId }) => ({ name: "agent.deploy", data: payloadFor("agent.deploy", agentId, actionId), opts: { jobId: jobIdFor("agent.deploy", actionId) } })));
  await allDone;
  const wallMs = performance.now() - started;

  // Exec: `true` in a running sandbox, one after another, after a few warm-up calls.
  const sandbox = agentIds[0]!;
  for (let i = 0; i < 5; i++) await provider.exec(sandbox, ["true"]);
  const execMs: number[] = [];
  for (let i = 0; i < EXECS; i++) {
    const t0 = performance.now();
    const result = await provider.exec(sandbox, ["true"]);
    execMs.push(performance.now() - t0);
    if (result.exitCode !== 0) throw new Error(`exec true exited ${result.exitCode}`);
  }

  console.log(`data plane lifecycle, local provider (${(await provider.limits())}), worker concurrency ${CONCURRENCY}, node ${process.version}`);
  console.log(line(`deploy -> running, ${AGENTS} agents at once`, [...deployedMs.values()]));
  console.log(`${"  all running after".padEnd(44)} ${wallMs.toFixed(0).padStart(7)} ms`);
  console.log(line("exec `true` round trip", execMs));
} finally {
  await workers.close();
  await queue.obliterate({ force: true });
  await queue.close();
  for (const id of agentIds) await provider.destroy(id);
  await rm(root, { recursive: true, force: true });
  await database.close();
  await testDb.drop();
}
// The provider's gateway bridges may hold handles open; the bench is over.
process.exit(0);
