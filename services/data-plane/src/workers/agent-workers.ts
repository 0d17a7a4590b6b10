/** The BullMQ worker on `clawea-agents`: validates each job, dispatches it by name to its handler. */
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import { JOBS, QUEUES } from "@clawea/queue";
import type { AgentJobHandlers, AgentJobName, HandlerOutcome, JobContext } from "./agent-lifecycle.handlers.js";

export interface StartWorkersOptions {
  connection: ConnectionOptions;
  handlers: AgentJobHandlers;
  concurrency: number;
  prefix?: string;
  /** How long a job's lock lives without renewal: a killed worker's job is taken back after it. */
  lockDuration?: number;
  /** How often this worker looks for jobs whose worker died (stalled jobs). */
  stalledInterval?: number;
}

export interface Workers {
  worker: Worker;
  /** Stops taking jobs, waits for the running ones, disconnects. */
  close(): Promise<void>;
}

const isJobName = (name: string): name is AgentJobName => Object.hasOwn(JOBS, name) && JOBS[name as keyof typeof JOBS].queue === QUEUES.agents;

function checkPayload(data: unknown): void {
  const record = (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>;
  for (const field of ["tenant_id", "agent_id", "action_id"]) {
    if (typeof record[field] !== "string" || record[field] === "") throw new UnrecoverableError("JOB_PAYLOAD_INVALID");
  }
}

export function dispatch(handlers: AgentJobHandlers, job: Job): Promise<HandlerOutcome> {
  if (!isJobName(job.name)) throw new UnrecoverableError("JOB_UNKNOWN");
  checkPayload(job.data);
  const attempt = job.attemptsMade + 1;
  const context: JobContext = { jobId: job.id ?? "", attempt, finalAttempt: attempt >= (job.opts.attempts ?? 1) };
  // The payload was checked for the fields every handler reads; the catalog types the rest.
  const handler = handlers[job.name] as (payload: unknown, context: JobContext) => Promise<HandlerOutcome>;
  return handler(job.data, context);
}

export function startWorkers(options: StartWorkersOptions): Workers {
  const worker = new Worker(QUEUES.agents, (job) => dispatch(options.handlers, job), {
    connection: options.connection,
    concurrency: options.concurrency,
    ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    ...(options.lockDuration === undefined ? {} : { lockDuration: options.lockDuration }),
    ...(options.stalledInterval === undefined ? {} : { stalledInterval: options.stalledInterval }),
  });
  return { worker, close: () => worker.close() };
}
