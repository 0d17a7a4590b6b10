/**
 * Enqueue after commit: a job is written to the outbox in the transaction that causes it, and a relay
 * moves committed rows to BullMQ. "Row written, job lost" cannot happen: a crash before the relay
 * leaves the row pending; a crash after `add` but before marking re-adds a job id BullMQ already has.
 */
import { and, asc, inArray, isNull } from "drizzle-orm";
import { outbox, type Db, type Executor } from "@clawea/db";
import { JOBS, jobIdFor, type JobName, type JobPayload } from "./jobs.js";

export interface Enqueue {
  <N extends JobName>(executor: Executor, tenantId: string, name: N, payload: JobPayload<N> & { action_id: string }): Promise<string>;
}

/** Writes the job into the caller's transaction and returns its job id. */
export const enqueue: Enqueue = async (executor, tenantId, name, payload) => {
  const jobId = jobIdFor(name, payload.action_id);
  await executor
    .insert(outbox)
    .values({ tenantId, queue: JOBS[name].queue, jobName: name, jobId, payload })
    .onConflictDoNothing({ target: outbox.jobId });
  return jobId;
};

/** The slice of a BullMQ Queue the relay needs (a test can give it a real Queue on the real Redis). */
export interface JobSink {
  add(name: string, payload: unknown, options: { jobId: string }): Promise<unknown>;
}

/** Moves up to `batch` committed jobs to their queues; returns how many it moved. */
export async function relayOutbox(db: Db, sinks: Record<string, JobSink>, batch = 100): Promise<number> {
  return db.transaction(async (tx) => {
    // SKIP LOCKED: several control-plane replicas relay in parallel without double work.
    const rows = await tx
      .select()
      .from(outbox)
      .where(isNull(outbox.relayedAt))
      .orderBy(asc(outbox.id))
      .limit(batch)
      .for("update", { skipLocked: true });
    if (rows.length === 0) return 0;
    for (const row of rows) {
      const sink = sinks[row.queue];
      if (!sink) throw new Error(`no queue ${row.queue} for job ${row.jobId}`);
      await sink.add(row.jobName, row.payload, { jobId: row.jobId });
    }
    await tx
      .update(outbox)
      .set({ relayedAt: new Date() })
      .where(and(inArray(outbox.id, rows.map((r) => r.id)), isNull(outbox.relayedAt)));
    return rows.length;
  });
}

export interface OutboxRelay {
  /** Relay now instead of at the next tick (called after a commit that wrote jobs). */
  kick(): void;
  stop(): Promise<void>;
}

/** Polls the outbox every `intervalMs` and whenever kicked; errors are reported, never fatal. */
export function startOutboxRelay(options: {
  db: Db;
  sinks: Record<string, JobSink>;
  intervalMs?: number;
  onError?: (error: unknown) => void;
}): OutboxRelay {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        while ((await relayOutbox(options.db, options.sinks)) > 0 && !stopped);
      } catch (error) {
        options.onError?.(error);
      } finally {
        running = null;
        if (again) {
          again = false;
          tick();
        }
      }
    })();
  };
  const timer = setInterval(tick, options.intervalMs ?? 250);
  timer.unref();
  return {
    kick: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
