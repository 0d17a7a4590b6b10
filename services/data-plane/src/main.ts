#!/usr/bin/env node
/** The data-plane process: config, pool, Redis, sandbox provider, agent and run workers, the fleet's health sweep, graceful shutdown. */
import { Redis } from "ioredis";
import pino from "pino";
import { createDatabase } from "@clawea/db";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { startHealthSweep } from "./lifecycle/health-sweep.js";
import { CloudflareSandboxProvider } from "./sandbox/cloudflare.provider.js";
import { LocalSandboxProvider } from "./sandbox/local.provider.js";
import type { SandboxProvider } from "./sandbox/sandbox.provider.js";
import { createAgentLifecycleHandlers } from "./workers/agent-lifecycle.handlers.js";
import { startWorkers } from "./workers/agent-workers.js";
import { artifactBlobsFor } from "@clawea/runs";
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

function sandboxProvider({ sandboxProvider: name, sandboxRoot, cloudflareBridge }: Readonly<Config>): SandboxProvider {
  switch (name) {
    case "local":
      return new LocalSandboxProvider({ root: sandboxRoot });
    case "cloudflare":
      // loadConfig requires the bridge settings whenever this provider is chosen.
      if (cloudflareBridge === null) throw new ConfigError("SANDBOX_PROVIDER=cloudflare needs CLOUDFLARE_BRIDGE_URL and CLOUDFLARE_BRIDGE_TOKEN");
      return new CloudflareSandboxProvider({ bridgeUrl: cloudflareBridge.url, token: cloudflareBridge.token });
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
const handlers = createAgentLifecycleHandlers({
  db: database.db,
  provider,
  now: () => new Date(),
  gateway: config.gateway,
  logger,
  maxRestartFailures: config.maxRestartFailures,
});
const workers = startWorkers({ connection: redis, handlers, concurrency: config.concurrency, prefix: config.queuePrefix });
const runtime = createRunRuntime({
  db: database.db,
  redis,
  keyring: config.keyring,
  provider,
  signer: config.signer,
  logSigner: config.logSigner,
  cstIssuers: config.cstIssuers,
  artifactBlobs: artifactBlobsFor(config.artifactStore),
  agentTimeoutMs: config.agentTimeoutMs,
  gateway: config.gateway,
  logger,
});
const runWorker = startRunWorkers({ connection: redis.duplicate(), handlers: runtime.handlers, onGiveUp: runtime.giveUp, concurrency: config.concurrency, prefix: config.queuePrefix });
runWorker.on("failed", (job, err) => logger.warn({ job_id: job?.id, job: job?.name, err }, "run job failed"));
runWorker.on("error", (err) => logger.error({ err }, "run worker error"));
workers.worker.on("failed", (job, err) => logger.warn({ job_id: job?.id, job: job?.name, err }, "job failed"));
workers.worker.on("error", (err) => logger.error({ err }, "worker error"));
// One scheduler for the whole fleet (a fixed id); every data plane takes its share of the sweeps.
const healthSweep = await startHealthSweep({ connection: redis.duplicate(), db: database.db, everyMs: config.healthIntervalMs, logger, prefix: config.queuePrefix });
healthSweep.worker.on("failed", (job, err) => logger.warn({ job_id: job?.id, job: job?.name, err }, "health sweep failed"));
healthSweep.worker.on("error", (err) => logger.error({ err }, "health sweep worker error"));
logger.info(
  { provider: provider.name, concurrency: config.concurrency, attester: config.signer.did, log: config.logSigner.did, health_interval_ms: config.healthIntervalMs },
  "data plane started",
);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down: finishing running jobs");
  await Promise.all([healthSweep.close(), workers.close(), runWorker.close()]);
  await redis.quit();
  await database.close();
  logger.info("stopped");
  // Sandboxes outlive this process; whatever the provider still holds open must not keep it alive.
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
