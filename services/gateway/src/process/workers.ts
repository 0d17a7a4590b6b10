/**
 * Runs the gateway as several processes on one port (node:cluster). One Node process queues every
 * caller behind one event loop, and the gateway's work per call (signatures, hashing, sockets) is CPU:
 * workers are replicas on one machine, sharing what replicas share (PostgreSQL, Redis). The primary
 * only supervises: it restarts a worker that dies, and on SIGTERM/SIGINT passes the signal on and
 * exits once every worker has drained.
 */
import cluster, { type Worker } from "node:cluster";

export interface WorkerLog {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** A worker that dies sooner than this after starting counts as a crash loop: restarts back off. */
const HEALTHY_AFTER_MS = 5_000;
const MAX_RESTART_DELAY_MS = 10_000;

export function isWorkerPrimary(count: number): boolean {
  return count > 1 && cluster.isPrimary;
}

/**
 * In a worker: shut down when the primary goes away (a killed primary leaves no orphan serving traffic),
 * and exit once shut down (the channel to the primary would otherwise keep the process alive).
 * Returns what to call when the server has drained; outside a cluster it does nothing.
 */
export function asWorker(shutdown: (reason: string) => Promise<void>): () => void {
  if (!cluster.isWorker) return () => undefined;
  cluster.worker!.on("disconnect", () => void shutdown("primary exited"));
  return () => process.exit(0);
}

/** Forks `count` workers of this same program and supervises them; resolves when all have exited after a stop signal. */
export function superviseWorkers(options: { count: number; log: WorkerLog; env?: NodeJS.ProcessEnv }): Promise<void> {
  const { count, log } = options;
  let stopping = false;
  let delayMs = 250;
  const startedAt = new Map<Worker, number>();

  const fork = () => {
    const worker = cluster.fork(options.env);
    startedAt.set(worker, Date.now());
  };

  return new Promise((resolve) => {
    cluster.on("exit", (worker, code, signal) => {
      const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
      startedAt.delete(worker);
      if (stopping) {
        if (startedAt.size === 0) resolve();
        return;
      }
      delayMs = lived >= HEALTHY_AFTER_MS ? 250 : Math.min(delayMs * 2, MAX_RESTART_DELAY_MS);
      log.error({ pid: worker.process.pid, code, signal, restart_in_ms: delayMs }, "gateway worker exited; starting another");
      setTimeout(() => {
        if (!stopping) fork();
      }, delayMs);
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal, workers: startedAt.size }, "stopping gateway workers");
      if (startedAt.size === 0) return resolve();
      for (const worker of startedAt.keys()) worker.process.kill(signal);
    };
    process.on("SIGTERM", () => stop("SIGTERM"));
    process.on("SIGINT", () => stop("SIGINT"));
    for (let i = 0; i < count; i++) fork();
    log.info({ workers: count }, "gateway workers started");
  });
}
