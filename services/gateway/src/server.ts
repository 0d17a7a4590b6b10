/** One gateway server process: pool, Redis (revocations warmed from PostgreSQL), both listeners, graceful shutdown. */
import type { Logger } from "pino";
import { Redis } from "ioredis";
import { createDatabase } from "@clawea/db";
import { warmRevocations } from "@clawea/runs";
import { buildGatewayApp } from "./app.js";
import { createRunAuthenticator } from "./auth/run-context.js";
import type { GatewayConfig } from "./config.js";
import { startEgressProxy, type EgressProxy } from "./features/egress-proxy/index.js";
import { asWorker } from "./process/workers.js";
import { approvedScopeFor } from "./runs/run-evidence.js";
import { createGatewayPush } from "./push/gateway-push.js";

// A connect that takes longer than this is answered 504 (EGRESS_UPSTREAM_TIMEOUT); established tunnels are not limited.
const EGRESS_CONNECT_TIMEOUT_MS = 10_000;
// On shutdown, open egress requests and tunnels get this long before their sockets are destroyed.
const EGRESS_DRAIN_MS = 10_000;

export async function serveGateway(config: Readonly<GatewayConfig>, logger: Logger): Promise<void> {
  const database = createDatabase(config.databaseUrl, { applicationName: "clawea-gateway" });
  // Auto-pipelining: the revocation, budget and idempotency commands of calls in flight share writes.
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true, enableAutoPipelining: true });
  const now = () => new Date();
  try {
    await database.pool.query("select 1");
    await redis.connect();
  } catch (error) {
    logger.fatal({ err: error }, "PostgreSQL or Redis is unreachable (DATABASE_URL, REDIS_URL); start them with `docker compose up -d postgres redis`");
    process.exit(1);
  }
  logger.info({ revocations: await warmRevocations({ db: database.db, redis, now }) }, "revocations loaded into Redis");

  // Revocations and run budget counts pushed by Redis, so a warm token and run need no read per call.
  const push = createGatewayPush(redis, { log: logger });
  const authenticator = createRunAuthenticator({ db: database.db, redis, trustedIssuers: config.cstIssuers, now, push });
  const app = await buildGatewayApp({
    db: database.db,
    redis,
    keyring: config.keyring,
    signer: config.signer,
    gatewayId: config.gatewayId,
    providers: config.providers,
    authenticator,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    now,
    chainCommit: config.chainCommit,
    push,
  });

  let egress: EgressProxy | null = null;

  let closing = false;
  async function shutdown(signal: string): Promise<void> {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    // Both listeners drain before the pool closes: an egress attempt in flight still writes its record.
    await Promise.all([app.close(), egress?.close(EGRESS_DRAIN_MS)]);
    await push.close();
    await redis.quit();
    await database.close();
    drained();
  }
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  const drained = asWorker(shutdown);

  await app.listen({ host: config.host, port: config.port });
  egress = await startEgressProxy({
    authenticator,
    db: database.db,
    now,
    approvedScopeOf: approvedScopeFor(database.db),
    logger: logger.child({ listener: "egress" }),
    connectTimeoutMs: EGRESS_CONNECT_TIMEOUT_MS,
    host: config.host,
    port: config.egressPort,
  });
  if (closing) await egress.close();
  logger.info({ url: egress.url }, "egress proxy listening (HTTP_PROXY / HTTPS_PROXY with the run's CST as password)");
  logger.info({ did: config.signer.did, gateway_id: config.gatewayId }, "gateway receipts are signed by this DID");
}
