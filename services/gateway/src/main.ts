#!/usr/bin/env node
/** The gateway process: config, pool, Redis (revocations warmed from PostgreSQL), listeners, graceful shutdown. */
import { Redis } from "ioredis";
import pino from "pino";
import { createDatabase } from "@clawea/db";
import { buildGatewayApp } from "./app.js";
import { createRunAuthenticator } from "./auth/run-context.js";
import { warmRevocations } from "./auth/revocation.js";
import { ConfigError, loadConfig } from "./config.js";

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`gateway: configuration error: ${error.message}\n`);
  process.exit(2);
}

const logger = pino({ level: config.logLevel, base: { service: "gateway" } });
const database = createDatabase(config.databaseUrl, { applicationName: "clawea-gateway" });
const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
const now = () => new Date();
try {
  await database.pool.query("select 1");
  await redis.connect();
} catch (error) {
  logger.fatal({ err: error }, "PostgreSQL or Redis is unreachable (DATABASE_URL, REDIS_URL); start them with `docker compose up -d postgres redis`");
  process.exit(1);
}
logger.info({ revocations: await warmRevocations({ db: database.db, redis, now }) }, "revocations loaded into Redis");

const app = await buildGatewayApp({
  db: database.db,
  redis,
  keyring: config.keyring,
  signer: config.signer,
  gatewayId: config.gatewayId,
  providers: config.providers,
  authenticator: createRunAuthenticator({ db: database.db, redis, trustedIssuers: config.cstIssuers, now }),
  upstreamTimeoutMs: config.upstreamTimeoutMs,
  logger,
  bodyLimitBytes: config.bodyLimitBytes,
  now,
});

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  await app.close();
  await redis.quit();
  await database.close();
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));

await app.listen({ host: config.host, port: config.port });
logger.info({ did: config.signer.did, gateway_id: config.gatewayId }, "gateway receipts are signed by this DID");
