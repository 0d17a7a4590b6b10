#!/usr/bin/env node
/** The data-plane process: config, pool, Redis, sandbox provider, agent workers, graceful shutdown. */
import { Redis } from "ioredis";
import pino from "pino";
import { createDatabase } from "@clawea/db";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { LocalSandboxProvider } from "./sandbox/local.provider.js";
import type { SandboxProvider } from "./sandbox/sandbox.provider.js";
import { createAgentLifecycleHandlers } from "./workers/agent-lifecycle.handlers.js";
import { startWorkers } from "./workers/agent-workers.js";
import { createRunRuntime } from "./runs/run-runtime.js";
import { startRunWorkers } from "./runs/run-workers.js";

let config: Readonly<Config>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`data-plane: configuration error: ${error.message}\n`);
  process.exit(2);
}

function sandboxProvider({ sandboxProvider: name, sandboxRoot }: Readonly<Config>): SandboxProvider {
  switch (name) {
    case "local":
      return new LocalSandboxProvider({ root: sandboxRoot });
  }
}

const logger = pino({ level: config.logLevel, base: { service: "data-plane" } });
const database = createDatabase(config.databaseUrl, { applicationName: "clawea-data-plane" });
// BullMQ's workers block on Redis: no per-request retry limit.
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });

try {
  await database.pool.query("select 1");
  await redis.connect();
} catch (error) {
  logger.fatal({ err: error }, "PostgreSQL or Redis is unreachable (DATABASE_URL, REDIS_URL); start them with `docker compose up -d postgres redis`");
  process.exit(1);
}

const provider = sandboxProvider(config);
const handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => new Date(), gateway: config.gateway, logger });
const workers = startWorkers({ connection: redis, handlers, concurrency: config.concurrency });
const runtime = createRunRuntime({
  db: database.db,
  redis,
  keyring: config.keyring,
  provider,
  signer: config.signer,
  logSigner: config.logSigner,
  cstIssuers: config.cstIssuers,
  artifactRoot: config.artifactRoot,
  agentTimeoutMs: config.agentTimeoutMs,
  logger,
});
const runWorker = startRunWorkers({ connection: redis.duplicate(), handlers: runtime.handlers, onGiveUp: runtime.giveUp, concurrency: config.concurrency });
runWorker.on("failed", (job, err) => logger.warn({ job_id: job?.id, job: job?.name, err }, "run job failed"));
runWorker.on("error", (err) => logger.error({ err }, "run worker error"));
workers.worker.on("failed", (job, err) => logger.warn({ job_id: job?.id, job: job?.name, err }, "job failed"));
workers.worker.on("error", (err) => logger.error({ err }, "worker error"));
logger.info({ provider: provider.name, concurrency: config.concurrency, attester: config.signer.did, log: config.logSigner.did }, "data plane started");

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down: finishing running jobs");
  await Promise.all([workers.close(), runWorker.close()]);
  await redis.quit();
  await database.close();
  logger.info("stopped");
  // Sandboxes outlive this process; whatever the provider still holds open must not keep it alive.
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
