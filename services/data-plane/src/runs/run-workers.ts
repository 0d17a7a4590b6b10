/**
 * The BullMQ worker on `clawea-runs`. A handler fault is retried with backoff (JOB_OPTIONS); on the
 * last attempt the run is marked `failed` with DATA_PLANE_INTERNAL and its evidence still written, so
 * no run is left hanging in a phase.
 */
import { UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { QUEUES } from "@clawea/queue";
import type { RunHandlers, RunOutcome } from "./run.handlers.js";

export interface StartRunWorkersOptions {
  connection: ConnectionOptions;
  handlers: RunHandlers;
  /** Called when the last attempt of a job failed. */
  onGiveUp: (payload: { tenant_id: string; run_id: string }, error: unknown) => Promise<void>;
  concurrency: number;
  prefix?: string;
}

const NAMES = ["run.plan", "run.apply", "run.finalize"] as const;
type RunJobName = (typeof NAMES)[number];

export function startRunWorkers(options: StartRunWorkersOptions): Worker {
  return new Worker(
    QUEUES.runs,
    async (job): Promise<RunOutcome> => {
      if (!(NAMES as readonly string[]).includes(job.name)) throw new UnrecoverableError("JOB_UNKNOWN");
      const data = job.data as { tenant_id?: unknown; run_id?: unknown };
      if (typeof data.tenant_id !== "string" || typeof data.run_id !== "string") throw new UnrecoverableError("JOB_PAYLOAD_INVALID");
      try {
        return await options.handlers[job.name as RunJobName](job.data as never);
      } catch (error) {
        const final = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (final) await options.onGiveUp({ tenant_id: data.tenant_id, run_id: data.run_id }, error);
        throw error;
      }
    },
    { connection: options.connection, concurrency: options.concurrency, ...(options.prefix ? { prefix: options.prefix } : {}) },
  );
}
