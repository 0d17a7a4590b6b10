// Test-only: a gateway on a fresh database and the real Redis, with a tenant, a policy, a running
// agent, a control-plane key to mint CSTs, and (through `upstream`) scripted providers on loopback.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { agents, createDatabase, keyringFrom, newId, policies, tenants, type Database, type Keyring } from "@clawea/db";
import { generateKeyPair, hashJcsB64u, type KeyPair } from "@clawea/protocol";
import { mintCst, type RunPhase } from "@clawea/policy";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { buildGatewayApp, type GatewayApp } from "./app.js";
import { createRunAuthenticator, GATEWAY_AUDIENCE, type RunAuthenticator } from "./auth/run-context.js";
import type { ProviderRoute } from "./config.js";
import { createGatewayPush } from "./push/gateway-push.js";
import type { RedisPush } from "./push/redis-push.js";

export interface TestAgent {
  tenantId: string;
  agentId: string;
  key: KeyPair;
  policyHash: string;
}

export interface TestGateway {
  url: string;
  app: GatewayApp;
  database: Database;
  redis: Redis;
  /** The gateway's subscription to pushed revocations and budget counts, and its connection's name. */
  push: RedisPush;
  pushConnectionName: string;
  keyring: Keyring;
  signer: KeyPair;
  controlPlane: KeyPair;
  authenticator: RunAuthenticator;
  agent: TestAgent;
  /** Adds a running agent under `policy` (a WPC document) in a tenant of its own. */
  addAgent(policy: Record<string, unknown>, status?: string): Promise<TestAgent>;
  /** A CST for `agent`'s run, as the control plane mints it at run start. */
  token(options?: {
    agent?: TestAgent;
    runId?: string;
    phase?: RunPhase;
    approvedScopeHash?: string;
    /** Seconds before now the token was minted (to make expired tokens). */
    issuedSecondsAgo?: number;
    /** When the token was minted, for a test on a clock of its own (wins over issuedSecondsAgo). */
    issuedAt?: Date;
    ttlSeconds?: number;
    grants?: string[];
    /** Whom the token is for (the gateway's audience unless said). */
    audience?: string;
  }): Promise<string>;
  close(): Promise<void>;
}

/** A WPC v2 that lets the test agent call any model, reach api.example.test over HTTPS and loopback over HTTP. */
export function defaultPolicy(): Record<string, unknown> {
  return {
    policy_version: "2",
    policy_id: "gateway-test",
    issuer_did: "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7",
    statements: [
      { sid: "models", effect: "Allow", actions: ["model:invoke"], resources: ["*"] },
      { sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["https://api.example.test:443", "http://127.0.0.1:*"] },
    ],
    metadata: { clawea: { budget: { max_tokens_per_run: 100_000, max_cost_minor_per_run: 100_000 } } },
  };
}

export async function startTestGateway(options: { providers?: Record<string, ProviderRoute>; now?: () => Date } = {}): Promise<TestGateway> {
  const testDb: TestDatabase = await createTestDatabase();
  const database = createDatabase(testDb.url, { max: 5 });
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  const keyring = keyringFrom(randomBytes(32).toString("base64url"));
  const signer = generateKeyPair();
  const controlPlane = generateKeyPair();
  const now = options.now ?? (() => new Date());
  // As in production: revocations and budget counts are pushed, so warm tokens and runs skip Redis reads.
  // Its own name, so a test can cut this gateway's link alone (killRedisClient) while other files run.
  const pushConnectionName = `clawea-gateway-push-${randomBytes(6).toString("hex")}`;
  const push = createGatewayPush(redis, { connectionName: pushConnectionName, log: { warn: () => undefined } });
  const authenticator = createRunAuthenticator({ db: database.db, redis, trustedIssuers: [controlPlane.did], now, agentCacheMs: 0, push });

  async function addAgent(policy: Record<string, unknown>, status = "running"): Promise<TestAgent> {
    const tenantId = newId("tenant");
    await database.db.insert(tenants).values({ id: tenantId, name: "t" });
    const policyHash = hashJcsB64u(policy);
    await database.db.insert(policies).values({ tenantId, hash: policyHash, policyVersion: String(policy["policy_version"]), document: policy });
    const key = generateKeyPair();
    const agentId = newId("agent");
    await database.db.insert(agents).values({
      id: agentId,
      tenantId,
      templateId: "tpl_reference_small",
      name: "a",
      status: status as "running",
      did: key.did,
      signingKeySealed: "unused",
      policyHash,
      runtime: "reference",
      model: "openai/gpt-test",
      cpuMillis: 500,
      memoryMb: 512,
      diskMb: 1024,
      sleepAfterSeconds: 600,
      stateless: true,
    });
    return { tenantId, agentId, key, policyHash };
  }

  const agent = await addAgent(defaultPolicy());
  const app = await buildGatewayApp({
    db: database.db,
    redis,
    keyring,
    signer,
    gatewayId: "gw_test",
    providers: options.providers ?? {},
    authenticator,
    upstreamTimeoutMs: 2_000,
    logger: false,
    bodyLimitBytes: 256 * 1024,
    now,
    push,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });

  return {
    url,
    app,
    database,
    redis,
    push,
    pushConnectionName,
    keyring,
    signer,
    controlPlane,
    authenticator,
    agent,
    addAgent,
    async token(o = {}) {
      const who = o.agent ?? agent;
      const phase = o.phase ?? "plan";
      const issuedAt = o.issuedAt ?? new Date(now().getTime() - (o.issuedSecondsAgo ?? 0) * 1000);
      return mintCst({
        claims: {
          sub: who.key.did,
          aud: o.audience ?? GATEWAY_AUDIENCE,
          exp: Math.floor(issuedAt.getTime() / 1000) + (o.ttlSeconds ?? 600),
          policy_hash_b64u: who.policyHash,
          scope: o.grants ?? ["model:invoke", "side_effect:network_egress"],
          jti: `cst_${randomBytes(8).toString("hex")}`,
        },
        binding: {
          tenant_id: who.tenantId,
          run_id: o.runId ?? "run_test_1",
          phase,
          ...(o.approvedScopeHash ? { approved_scope_hash_b64u: o.approvedScopeHash } : {}),
        },
        signer: controlPlane,
        now: issuedAt.toISOString(),
      });
    },
    async close() {
      await app.close();
      await push.close();
      await redis.quit();
      await database.close();
      await testDb.drop();
    },
  };
}

/** Closes the Redis connection named `name` from the server's side, as a network failure would. */
export async function killRedisClient(redis: Redis, name: string): Promise<void> {
  const line = String(await redis.client("LIST")).split("\n").find((entry) => entry.includes(` name=${name} `));
  const id = line?.match(/^id=(\d+)/)?.[1];
  if (!id) throw new Error(`no Redis client named ${name}`);
  await redis.client("KILL", "ID", id);
}
