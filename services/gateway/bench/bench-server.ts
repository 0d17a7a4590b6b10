/**
 * The gateway as the benchmark measures it: a real app on a fresh database and the real Redis, one
 * tenant with a running agent under a WPC with an unlimited budget and a provider key, pointed at the
 * instant upstream named by BENCH_UPSTREAM_URL; in its own process so the load generator does not
 * share its event loop. Prints one JSON line {url, token} when ready.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { agents, createDatabase, keyringFrom, newId, policies, seal, sealBinding, secrets, tenants } from "@clawea/db";
import { mintCst } from "@clawea/policy";
import { generateKeyPair, hashJcsB64u } from "@clawea/protocol";
import { createTestDatabase } from "@clawea/testkit";
import { buildGatewayApp } from "../src/app.js";
import { createRunAuthenticator, GATEWAY_AUDIENCE } from "../src/auth/run-context.js";

const upstreamUrl = process.env.BENCH_UPSTREAM_URL;
if (!upstreamUrl) throw new Error("BENCH_UPSTREAM_URL is not set");
const testDb = await createTestDatabase();
const database = createDatabase(testDb.url, { max: Number(process.env.BENCH_POOL ?? 10) });
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
const keyring = keyringFrom(randomBytes(32).toString("base64url"));
const controlPlane = generateKeyPair();
const now = () => new Date();

const tenantId = newId("tenant");
await database.db.insert(tenants).values({ id: tenantId, name: "bench" });
const policy = {
  policy_version: "2",
  policy_id: "gateway-bench",
  issuer_did: controlPlane.did,
  statements: [{ sid: "models", effect: "Allow", actions: ["model:invoke"], resources: ["*"] }],
  metadata: { clawea: { budget: { max_tokens_per_run: Number.MAX_SAFE_INTEGER, max_cost_minor_per_run: Number.MAX_SAFE_INTEGER } } },
};
const policyHash = hashJcsB64u(policy);
await database.db.insert(policies).values({ tenantId, hash: policyHash, policyVersion: "2", document: policy });
const agentKey = generateKeyPair();
await database.db.insert(agents).values({
  id: newId("agent"),
  tenantId,
  templateId: "tpl_reference_small",
  name: "bench",
  status: "running",
  did: agentKey.did,
  signingKeySealed: "unused",
  policyHash,
  runtime: "reference",
  model: "openai/gpt-bench",
  cpuMillis: 500,
  memoryMb: 512,
  diskMb: 1024,
  sleepAfterSeconds: 600,
  stateless: true,
});
await database.db.insert(secrets).values({ tenantId, name: "openai", kind: "provider_key", sealed: seal(keyring, "sk-bench", sealBinding.secret(tenantId, "openai")) });

const app = await buildGatewayApp({
  db: database.db,
  redis,
  keyring,
  signer: generateKeyPair(),
  gatewayId: "gw_bench",
  providers: { openai: { baseUrl: upstreamUrl, api: "openai" } },
  authenticator: createRunAuthenticator({ db: database.db, redis, trustedIssuers: [controlPlane.did], now }),
  upstreamTimeoutMs: 30_000,
  logger: false,
  now,
});
const url = await app.listen({ host: "127.0.0.1", port: 0 });
const token = await mintCst({
  claims: {
    sub: agentKey.did,
    aud: GATEWAY_AUDIENCE,
    exp: Math.floor(Date.now() / 1000) + 3600,
    policy_hash_b64u: policyHash,
    scope: ["model:invoke"],
    jti: `cst_${randomBytes(8).toString("hex")}`,
  },
  binding: { tenant_id: tenantId, run_id: "run_bench", phase: "plan" },
  signer: controlPlane,
  now: new Date().toISOString(),
});

async function shutdown(): Promise<void> {
  await app.close();
  const keys = await redis.keys(`clawea:gw:*:${tenantId}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await database.close();
  await testDb.drop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
process.stdout.write(`${JSON.stringify({ url, token })}\n`);
