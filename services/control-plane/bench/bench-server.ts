/**
 * The control plane as the benchmark measures it: a real app on a fresh database holding one tenant
 * with 100,000 agents, in its own process so the load generator does not share its event loop.
 * Prints one JSON line {url, token, agentId} when ready.
 */
import { createHash, randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createDatabase, keyringFrom } from "@clawea/db";
import { QUEUES, startOutboxRelay } from "@clawea/queue";
import { createTestDatabase } from "@clawea/testkit";
import { generateKeyPair } from "@clawea/protocol";
import { buildApp } from "../src/app.js";

const AGENTS = Number(process.env.BENCH_AGENTS ?? 100_000);
const testDb = await createTestDatabase();
const database = createDatabase(testDb.url, { max: Number(process.env.BENCH_POOL ?? 10) });
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const queue = new Queue(QUEUES.agents, { connection: redis, prefix: `clawea-bench-${testDb.name}` });
const relay = startOutboxRelay({ db: database.db, sinks: { [QUEUES.agents]: queue } });
const bootstrapKey = randomBytes(24).toString("base64url");
const app = await buildApp({
  db: database.db,
  keyring: keyringFrom(randomBytes(32).toString("base64url")),
  bootstrapKeyHash: createHash("sha256").update(bootstrapKey).digest(),
  signer: generateKeyPair(),
  redis,
  jobsWritten: relay.kick,
  readiness: async () => ({}),
  logger: false,
});
const url = await app.listen({ host: "127.0.0.1", port: 0 });

const created = (await (
  await fetch(`${url}/v1/tenants`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bootstrapKey}` },
    body: JSON.stringify({ name: "bench" }),
  })
).json()) as { tenant: { id: string }; admin_key: { token: string } };

// Seeding through SQL: the API path is what is measured, not 100k inserts through it.
await database.pool.query(
  `insert into agents (id, tenant_id, template_id, name, status, did, signing_key_sealed, runtime, model,
                       cpu_millis, memory_mb, disk_mb, sleep_after_seconds, stateless, last_active_at, sandbox_id)
   select 'agt_' || lpad(to_hex(extract(epoch from now())::bigint * 1000 - $2 + g), 12, '0') || md5(g::text)::text::varchar(20),
          $1, 'tpl_reference_small', 'agent-' || g,
          (array['running','sleeping','provisioning','failed'])[1 + g % 4], 'did:key:z6Mkbench' || g, 'sealed', 'reference',
          'openai/gpt-4.1-mini', 500, 512, 1024, 600, true, now(), 'sbx_' || g
   from generate_series(1, $2::int) g`,
  [created.tenant.id, AGENTS],
);
await database.pool.query("analyze agents");
const { rows } = await database.pool.query("select id from agents where tenant_id = $1 order by id limit 1 offset $2", [created.tenant.id, Math.floor(AGENTS / 2)]);

async function shutdown(): Promise<void> {
  await app.close();
  await relay.stop();
  await queue.obliterate({ force: true });
  await queue.close();
  await redis.quit();
  await database.close();
  await testDb.drop();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
process.stdout.write(`${JSON.stringify({ url, token: created.admin_key.token, agentId: rows[0].id, agents: AGENTS })}\n`);
