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
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from "node:perf_hooks";
import { Redis } from "ioredis";
import { agents, createDatabase, keyringFrom, newId, policies, runs, seal, sealBinding, secrets, tenants } from "@clawea/db";
import { mintCst } from "@clawea/policy";
import { b64uDecode, b64uEncode, generateKeyPair, hashJcsB64u, keyPairFromSeed } from "@clawea/protocol";
import { createTestDatabase } from "@clawea/testkit";

// The gateway as production runs it, compiled (its `bench` script compiles it first), not tsx's transpile of its
// source, which keeps function names by wrapping them in calls (1% of a call's CPU); typed by the source.
const dist = (path: string): Promise<unknown> => import(new URL(`../dist/${path}`, import.meta.url).href);
const { buildGatewayApp } = (await dist("app.js")) as typeof import("../src/app.js");
const { createRunAuthenticator, GATEWAY_AUDIENCE } = (await dist("auth/run-context.js")) as typeof import("../src/auth/run-context.js");
const { chainCommitOf } = (await dist("config.js")) as typeof import("../src/config.js");
const { createGatewayPush } = (await dist("push/gateway-push.js")) as typeof import("../src/push/gateway-push.js");
const { superviseWorkers } = (await dist("process/workers.js")) as typeof import("../src/process/workers.js");

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
  if (process.env.BENCH_LOOP === "1") watchLoop(app.server);
  const allocations = process.env.BENCH_ALLOC;
  const stopSampling = allocations ? await sampleAllocations() : undefined;
  const stop = async () => {
    if (allocations && stopSampling) await stopSampling(`${allocations}.${process.pid}.heapprofile`);
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
 * BENCH_LOOP=1: every 2 s, the worker's CPU time per call served (user + system), its own time to a
 * stream's first byte (from the request event to the first body write: what of a caller's TTFB is
 * spent inside the gateway once it reads the request), its event-loop delay (p50/p99/max) and its GC
 * pauses (count, p50, max, total) on stderr: what a call costs, and where a latency's tail comes from.
 * CPU per call is steadier than calls/s on a machine whose speed drifts.
 */
function watchLoop(server: import("node:http").Server): void {
  let calls = 0;
  const firstBytes: number[] = [];
  server.prependListener("request", (_req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => {
    calls++;
    const t0 = performance.now();
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    let seen = false;
    res.write = ((...args: unknown[]) => {
      if (!seen) firstBytes.push(performance.now() - t0);
      seen = true;
      return write(...args);
    }) as typeof res.write;
  });
  let cpu = process.cpuUsage();
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const pauses: number[] = [];
  let major = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      pauses.push(entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) major++;
    }
  }).observe({ entryTypes: ["gc"] });
  const ms = (ns: number) => (ns / 1e6).toFixed(1);
  setInterval(() => {
    const gc = pauses.splice(0).sort((a, b) => a - b);
    const used = process.cpuUsage(cpu);
    cpu = process.cpuUsage();
    const fb = firstBytes.splice(0).sort((a, b) => a - b);
    const fbText = fb.length ? `first body byte p50 ${fb[fb.length >> 1]!.toFixed(2)} p99 ${fb[Math.floor(fb.length * 0.99)]!.toFixed(2)} max ${fb.at(-1)!.toFixed(1)} | ` : "";
    const perCall = calls > 0 ? `${Math.round((used.user + used.system) / calls)} us CPU per call (${Math.round(used.system / calls)} system), ${calls} calls | ` : "";
    calls = 0;
    process.stderr.write(
      `${perCall}${fbText}event-loop delay p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms | ` +
        `gc ${gc.length} pauses, p50 ${(gc[gc.length >> 1] ?? 0).toFixed(1)} max ${(gc.at(-1) ?? 0).toFixed(1)} total ${gc.reduce((a, b) => a + b, 0).toFixed(0)} ms (${major} not scavenges), heap ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB\n`,
    );
    delay.reset();
    major = 0;
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

/**
 * BENCH_ALLOC=<path prefix>: V8's sampling heap profile of everything each worker allocates until it
 * stops, collected objects included (what `--heap-prof` leaves out, and what the scavenger pays for),
 * written to `<prefix>.<pid>.heapprofile`, which Chrome's DevTools open.
 */
async function sampleAllocations(): Promise<(path: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  await post("HeapProfiler.enable");
  await post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async (path) => {
    const { profile } = await post<{ profile: unknown }>("HeapProfiler.stopSampling");
    writeFileSync(path, JSON.stringify(profile));
  };
}
