#!/usr/bin/env node
/** The control-plane process: config, pool, Redis, migrations, outbox relay, listen, graceful shutdown. */
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { createDatabase, migrateDatabase } from "@clawea/db";
import { JOB_OPTIONS, QUEUES, startOutboxRelay } from "@clawea/queue";
import { artifactBlobsFor } from "@clawea/runs";
import { buildApp } from "./app.js";
import { createApprovalsService } from "./features/approvals/approvals.service.js";
import { startApprovalsWorker } from "./workers/approvals.worker.js";
import { createCardSender } from "./features/channels/card-sender.js";
import { ConfigError, loadConfig } from "./config.js";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`control-plane: configuration error: ${error.message}\n`);
  process.exit(2);
}

const logger = pino({ level: config.logLevel, base: { service: "control-plane" } });
const database = createDatabase(config.databaseUrl, { applicationName: "clawea-control-plane" });
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });

try {
  await database.pool.query("select 1");
  await redis.connect();
} catch (error) {
  logger.fatal({ err: error }, "PostgreSQL or Redis is unreachable (DATABASE_URL, REDIS_URL); start them with `docker compose up -d postgres redis`");
  process.exit(1);
}
if (config.migrateOnStart) await migrateDatabase(database.pool);

const queues = Object.fromEntries(Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redis, prefix: config.queuePrefix, defaultJobOptions: JOB_OPTIONS })]));
const relay = startOutboxRelay({ db: database.db, sinks: queues, onError: (err) => logger.error({ err }, "outbox relay failed; will retry") });

const app = await buildApp({
  db: database.db,
  keyring: config.keyring,
  bootstrapKeyHash: config.bootstrapKeyHash,
  signer: config.signer,
  redis,
  artifactBlobs: artifactBlobsFor(config.artifactStore),
  trustedSigners: config.trustedSigners,
  ...(config.dashboardUrl ? { dashboardUrl: config.dashboardUrl } : {}),
  ...(config.logSigner ? { logSigner: config.logSigner } : {}),
  jobsWritten: relay.kick,
  readiness: async () => ({
    database: await database.pool.query("select 1").then(() => true, () => false),
    redis: await redis.ping().then(() => true, () => false),
  }),
  logger,
  bodyLimitBytes: config.bodyLimitBytes,
});

// BullMQ blocks on its worker connection: one of its own, closed after the worker.
const workerConnection = redis.duplicate();
const approvals = createApprovalsService({
  db: database.db,
  keyring: config.keyring,
  signer: config.signer,
  jobsWritten: relay.kick,
  now: () => new Date(),
  sendCard: createCardSender({ db: database.db, keyring: config.keyring }),
  ...(config.dashboardUrl ? { dashboardUrl: config.dashboardUrl } : {}),
});
const approvalsWorker = startApprovalsWorker({ connection: workerConnection, service: approvals, prefix: config.queuePrefix });
// Approvals nobody decides in time deny their runs; every replica sweeps, each expiry happens once (row lock).
const expirySweep = setInterval(() => {
  approvals.expireDue().catch((err: unknown) => logger.error({ err }, "approval expiry sweep failed; will retry"));
}, 30_000);
expirySweep.unref();
approvalsWorker.on("failed", (job, err) => logger.warn({ job_id: job?.id, err }, "approval job failed"));
approvalsWorker.on("error", (err) => logger.error({ err }, "approvals worker error"));

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  await app.close();
  clearInterval(expirySweep);
  await approvalsWorker.close();
  workerConnection.disconnect();
  await relay.stop();
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
  await redis.quit();
  await database.close();
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

await app.listen({ host: config.host, port: config.port });
