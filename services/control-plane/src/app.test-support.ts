// Test-only: the real app on a fresh database and the real Redis, listening on a loopback port,
// driven through the generated SDK.
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createHash, randomBytes } from "node:crypto";
import { createDatabase, keyringFrom, type Database, type Keyring } from "@clawea/db";
import { generateKeyPair, type KeyPair } from "@clawea/protocol";
import { JOB_OPTIONS, QUEUES, startOutboxRelay, type OutboxRelay } from "@clawea/queue";
import { ClaweaApiError, createClaweaClient, unwrap, type ClaweaClient } from "@clawea/sdk";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { buildApp, type App } from "./app.js";

export interface TestPlatform {
  url: string;
  app: App;
  database: Database;
  keyring: Keyring;
  /** The control plane's key (CST issuer, receipts). */
  signer: KeyPair;
  bootstrapKey: string;
  /** The agents queue, under a prefix of this test file's own. */
  agentsQueue: Queue;
  /** Every queue, under that prefix. */
  queues: Record<string, Queue>;
  /** The BullMQ prefix of this platform's queues (a worker in the test must use it). */
  prefix: string;
  /** Moves committed outbox jobs to the queue now. */
  relay: OutboxRelay;
  platform: ClaweaClient;
  client(token: string): ClaweaClient;
  /** A new tenant and a client with its admin key. */
  tenant(name?: string): Promise<{ id: string; adminToken: string; admin: ClaweaClient }>;
  /** A client holding a fresh key with exactly these roles. */
  keyWith(admin: ClaweaClient, roles: string[]): Promise<ClaweaClient>;
  close(): Promise<void>;
}

export async function startTestPlatform(options: { now?: () => Date; logSigner?: KeyPair } = {}): Promise<TestPlatform> {
  const testDb: TestDatabase = await createTestDatabase();
  const database = createDatabase(testDb.url, { max: 5 });
  const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const prefix = `clawea-test-${testDb.name}`;
  const queues = Object.fromEntries(
    Object.values(QUEUES).map((name) => [name, new Queue(name, { connection: redis, prefix, defaultJobOptions: JOB_OPTIONS })]),
  ) as Record<(typeof QUEUES)[keyof typeof QUEUES], Queue>;
  const agentsQueue = queues[QUEUES.agents];
  const relay = startOutboxRelay({ db: database.db, sinks: queues, intervalMs: 50 });
  const bootstrapKey = randomBytes(24).toString("base64url");
  const keyring = keyringFrom(randomBytes(32).toString("base64url"));
  const signer = generateKeyPair();
  const app = await buildApp({
    db: database.db,
    keyring,
    bootstrapKeyHash: createHash("sha256").update(bootstrapKey).digest(),
    signer,
    redis,
    jobsWritten: relay.kick,
    readiness: async () => ({
      database: await database.pool.query("select 1").then(() => true, () => false),
      redis: await redis.ping().then(() => true, () => false),
    }),
    logger: false,
    bodyLimitBytes: 64 * 1024,
    ...(options.now ? { now: options.now } : {}),
    ...(options.logSigner ? { logSigner: options.logSigner } : {}),
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  const client = (token: string) => createClaweaClient({ baseUrl: url, token });

  return {
    url,
    app,
    database,
    keyring,
    signer,
    bootstrapKey,
    agentsQueue,
    queues,
    prefix,
    relay,
    platform: client(bootstrapKey),
    client,
    async tenant(name = "acme") {
      const created = unwrap(await client(bootstrapKey).POST("/v1/tenants", { body: { name } }));
      return { id: created.tenant.id, adminToken: created.admin_key.token, admin: client(created.admin_key.token) };
    },
    async keyWith(admin, roles) {
      const created = unwrap(await admin.POST("/v1/api-keys", { body: { name: roles.join("+"), roles: roles as never } }));
      return client(created.token);
    },
    async close() {
      await app.close();
      await relay.stop();
      for (const queue of Object.values(queues)) {
        await queue.obliterate({ force: true });
        await queue.close();
      }
      await redis.quit();
      await database.close();
      await testDb.drop();
    },
  };
}

/** Raw HTTP for what a typed client cannot send: wrong types, unknown fields, bad JSON, huge bodies. */
export interface RawResponse {
  status: number;
  body: Record<string, unknown> | null;
  headers: Headers;
}

export async function raw(
  url: string,
  method: string,
  path: string,
  init: { token?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...init.headers,
    },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null, headers: response.headers };
}

/** `"<status> <reason code>"` of a failed call, or "ok". */
export async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClaweaApiError) return `${error.status} ${error.reasonCode}`;
    throw error;
  }
  return "ok";
}
