/**
 * The gateway as the benchmark measures it, in processes of its own so the load generator does not
 * share their event loops. The primary prepares a fresh database: one tenant with a running agent
 * under a WPC with an unlimited budget, a provider key, and platform runs (one per load connection,
 * so every call appends to its run's chain, as in production). It then runs BENCH_WORKERS gateway
 * processes (default 1) on one port, as GATEWAY_WORKERS does, each a real app on that database and the
 * real Redis, pointed at the instant upstream named by BENCH_UPSTREAM_URL. Prints one JSON line
 * {url, tokens} when every worker listens: one token per run.
 */
import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { Redis } from "ioredis";
import { agents, createDatabase, keyringFrom, newId, policies, runs, seal, sealBinding, secrets, tenants } from "@clawea/db";
import { mintCst } from "@clawea/policy";
import { b64uDecode, b64uEncode, generateKeyPair, hashJcsB64u, keyPairFromSeed } from "@clawea/protocol";
import { createTestDatabase } from "@clawea/testkit";
import { buildGatewayApp } from "../src/app.js";
import { createRunAuthenticator, GATEWAY_AUDIENCE } from "../src/auth/run-context.js";
import { chainCommitOf } from "../src/config.js";
import { createGatewayPush } from "../src/push/gateway-push.js";
import { superviseWorkers } from "../src/process/workers.js";

interface WorkerSetup {
  databaseUrl: string;
  kek: string;
  signerSeed: string;
  issuer: string;
  upstreamUrl: string;
}

const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function serve(setup: WorkerSetup): Promise<void> {
  const database = createDatabase(setup.databaseUrl, { max: Number(process.env.BENCH_POOL ?? 10) });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableAutoPipelining: true });
  const now = () => new Date();
  // As the server runs it; BENCH_PUSH=0 reads revocation and budget from Redis on every call instead.
  const push = process.env.BENCH_PUSH === "0" ? undefined : createGatewayPush(redis, { log: { warn: () => undefined } });
  const app = await buildGatewayApp({
    db: database.db,
    redis,
    keyring: keyringFrom(setup.kek),
    signer: keyPairFromSeed(b64uDecode(setup.signerSeed)),
    gatewayId: "gw_bench",
    providers: { openai: { baseUrl: setup.upstreamUrl, api: "openai" } },
    authenticator: createRunAuthenticator({ db: database.db, redis, trustedIssuers: [setup.issuer], now, push }),
    upstreamTimeoutMs: 30_000,
    logger: false,
    now,
    chainCommit: chainCommitOf(process.env),
    push,
  });
  // Workers of one primary that all listen on port 0 share one port.
  await app.listen({ host: "127.0.0.1", port: 0 });
  if (process.env.BENCH_LOOP === "1") watchLoop();
  const stop = async () => {
    await app.close();
    await push?.close();
    await redis.quit();
    await database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

/**
 * BENCH_LOOP=1: every 2 s, the worker's event-loop delay (p50/p99/max) and its GC pauses (count, p50,
 * max, total) on stderr: where a latency's tail comes from.
 */
function watchLoop(): void {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const pauses: number[] = [];
  new PerformanceObserver((list) => pauses.push(...list.getEntries().map((entry) => entry.duration))).observe({ entryTypes: ["gc"] });
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  setInterval(() => {
    const gc = pauses.splice(0).sort((a, b) => a - b);
    process.stderr.write(
      `event-loop delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms | ` +
        `gc ${gc.length} pauses, p50 ${(gc[gc.length >> 1] ?? 0).toFixed(1)} max ${(gc.at(-1) ?? 0).toFixed(1)} total ${gc.reduce((a, b) => a + b, 0).toFixed(0)} ms\n`,
    );
    delay.reset();
  }, 2000).unref();
}

async function prepare(upstreamUrl: string): Promise<{ setup: WorkerSetup; tokens: string[]; cleanUp: () => Promise<void> }> {
  const testDb = await createTestDatabase();
  const database = createDatabase(testDb.url, { max: 2 });
  const kek = randomBytes(32).toString("base64url");
  const keyring = keyringFrom(kek);
  const controlPlane = generateKeyPair();
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
  const agentId = newId("agent");
  await database.db.insert(agents).values({
    id: agentId,
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
  const runIds = Array.from({ length: Number(process.env.BENCH_RUNS ?? 50) }, () => newId("run"));
  await database.db.insert(runs).values(runIds.map((id) => ({ id, tenantId, agentId, task: "bench", state: "planning" as const, phase: "plan" as const, policyHash })));
  const tokens = await Promise.all(
    runIds.map((runId) =>
      mintCst({
        claims: {
          sub: agentKey.did,
          aud: GATEWAY_AUDIENCE,
          exp: Math.floor(Date.now() / 1000) + 3600,
          policy_hash_b64u: policyHash,
          scope: ["model:invoke"],
          jti: `cst_${randomBytes(8).toString("hex")}`,
        },
        binding: { tenant_id: tenantId, run_id: runId, phase: "plan" },
        signer: controlPlane,
        now: new Date().toISOString(),
      }),
    ),
  );
  const signerSeed = b64uEncode(generateKeyPair().privateKey);
  return {
    setup: { databaseUrl: testDb.url, kek, signerSeed, issuer: controlPlane.did, upstreamUrl },
    tokens,
    async cleanUp() {
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`clawea:gw:*:${tenantId}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await database.close();
      await testDb.drop();
    },
  };
}

if (cluster.isWorker) {
  await serve(JSON.parse(process.env.BENCH_WORKER_SETUP!) as WorkerSetup);
} else {
  const upstreamUrl = process.env.BENCH_UPSTREAM_URL;
  if (!upstreamUrl) throw new Error("BENCH_UPSTREAM_URL is not set");
  const { setup, tokens, cleanUp } = await prepare(upstreamUrl);
  const count = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1));
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    if (++listening === count) process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}`, tokens })}\n`);
  });
  const log = { info: () => undefined, error: (fields: Record<string, unknown>, message: string) => process.stderr.write(`${message} ${JSON.stringify(fields)}\n`) };
  await superviseWorkers({ count, log, env: { BENCH_WORKER_SETUP: JSON.stringify(setup) } });
  await cleanUp();
  process.exit(0);
}
