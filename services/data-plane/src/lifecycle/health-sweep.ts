/**
 * The fleet's periodic health check: one BullMQ job scheduler, under a fixed id, so however many data
 * planes start it there is one; each tick runs one sweep job (on a data-plane-internal queue) that
 * pages through every tenant's running agents and enqueues an `agent.health` job per agent on the
 * agents queue, where any data plane's worker takes it.
 */
import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import { and, asc, eq, gt, isNull } from "drizzle-orm";
import type { Logger } from "pino";
import { agents, type Db } from "@clawea/db";
import { QUEUES, jobIdFor, type JobPayload } from "@clawea/queue";

/** Internal to the data plane (not a contract between planes, so not in `@clawea/queue`'s catalog). */
export const HEALTH_SWEEP_QUEUE = "clawea-agent-health-sweep";
/** Deterministic: every data plane upserts the same scheduler. */
export const HEALTH_SCHEDULER_ID = "agent-health";
const SWEEP_JOB = "agent.health_sweep";
const PAGE_SIZE = 500;

/**
 * Health jobs are not retried: the next tick is the retry. A completed one is dropped at once (a
 * fleet makes one per agent per tick); a failed one (an agent the check failed) stays a day.
 */
const HEALTH_JOB_OPTIONS = { attempts: 1, removeOnComplete: true, removeOnFail: { age: 24 * 3600, count: 10_000 } } as const;

export interface SweepDeps {
  db: Db;
  /** The `clawea-agents` queue. */
  agentsQueue: Queue;
  pageSize?: number;
}

/**
 * Enqueues one `agent.health` per running agent without a pending action, page by page (keyset on
 * id), and returns how many agents it covered. The job ids derive from the tick, so a sweep run twice
 * for one tick enqueues nothing twice.
 */
export async function sweepRunningAgents({ db, agentsQueue, pageSize = PAGE_SIZE }: SweepDeps, tick: number, requestedAt: Date): Promise<number> {
  let covered = 0;
  for (let cursor = ""; ; ) {
    const page = await db
      .select({ id: agents.id, tenantId: agents.tenantId })
      .from(agents)
      .where(and(eq(agents.status, "running"), isNull(agents.pendingActionId), gt(agents.id, cursor)))
      .orderBy(asc(agents.id))
      .limit(pageSize);
    if (page.length === 0) return covered;
    await agentsQueue.addBulk(
      page.map((agent) => {
        const actionId = `hlt_${tick}_${agent.id}`;
        const data: JobPayload<"agent.health"> = { tenant_id: agent.tenantId, agent_id: agent.id, action_id: actionId, requested_at: requestedAt.toISOString() };
        return { name: "agent.health", data, opts: { ...HEALTH_JOB_OPTIONS, jobId: jobIdFor("agent.health", actionId) } };
      }),
    );
    covered += page.length;
    if (page.length < pageSize) return covered;
    cursor = page[page.length - 1]!.id;
  }
}

/** The tick a scheduler job stands for: the time it was due (the last part of BullMQ's `repeat:<id>:<ms>` job id). */
export function tickOf(job: Pick<Job, "id" | "timestamp">): number {
  const due = Number(job.id?.split(":").at(-1));
  return Number.isSafeInteger(due) ? due : job.timestamp;
}

/** Creates the fleet's scheduler, or updates its interval; idempotent across processes. */
export async function scheduleHealthSweep(queue: Queue, everyMs: number): Promise<void> {
  await queue.upsertJobScheduler(
    HEALTH_SCHEDULER_ID,
    { every: everyMs },
    { name: SWEEP_JOB, data: {}, opts: { attempts: 3, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
}

export interface HealthSweepOptions {
  connection: ConnectionOptions;
  db: Db;
  everyMs: number;
  logger: Logger;
  prefix?: string;
  pageSize?: number;
  now?: () => Date;
}

export interface HealthSweep {
  worker: Worker;
  close(): Promise<void>;
}

/** Upserts the fleet's scheduler and runs this process's share of the sweeps. */
export async function startHealthSweep(options: HealthSweepOptions): Promise<HealthSweep> {
  const prefix = options.prefix === undefined ? {} : { prefix: options.prefix };
  const now = options.now ?? (() => new Date());
  const sweepQueue = new Queue(HEALTH_SWEEP_QUEUE, { connection: options.connection, ...prefix });
  const agentsQueue = new Queue(QUEUES.agents, { connection: options.connection, ...prefix });
  await scheduleHealthSweep(sweepQueue, options.everyMs);
  const deps: SweepDeps = { db: options.db, agentsQueue, ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }) };
  const worker = new Worker(
    HEALTH_SWEEP_QUEUE,
    async (job) => {
      const tick = tickOf(job);
      const covered = await sweepRunningAgents(deps, tick, now());
      options.logger.debug({ job_id: job.id, tick, agents: covered }, "health sweep enqueued checks");
      return { agents: covered };
    },
    { connection: options.connection, concurrency: 1, ...prefix },
  );
  return {
    worker,
    async close() {
      await worker.close();
      await Promise.all([sweepQueue.close(), agentsQueue.close()]);
    },
  };
}
