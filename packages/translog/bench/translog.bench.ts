/**
 * Prints append throughput and proof latency of the PostgreSQL log on this machine. No assertions.
 * Everything goes through the public API (`append` included: the 1M-leaf tree is built by appending
 * batches of 10,000), on a throwaway database that is dropped at the end.
 */
import { performance } from "node:perf_hooks";
import { createDatabase } from "@clawea/db";
import { keyPairFromSeed, sha256 } from "@clawea/protocol";
import { createTestDatabase } from "@clawea/testkit";
import { createTransparencyLog, type LogEntry } from "../src/index.js";

const TARGET = Number(process.env.BENCH_LEAVES ?? 1_000_000);
const PROOFS = 2000;

let counter = 0;
function batch(size: number): LogEntry[] {
  return Array.from({ length: size }, () => {
    const n = counter++;
    return { leaf_hash_b64u: Buffer.from(sha256(`bench leaf ${n}`)).toString("base64url"), tenant_id: "ten_bench", kind: "execution_attestation", ref: `run_${n}` };
  });
}

function line(label: string, value: string): void {
  console.log(`${label.padEnd(52)} ${value}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function latencies(label: string, samples: number[]): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  line(label, `mean ${mean.toFixed(2)} ms   p50 ${percentile(sorted, 50).toFixed(2)} ms   p99 ${percentile(sorted, 99).toFixed(2)} ms`);
}

const testDb = await createTestDatabase();
const database = createDatabase(testDb.url, { max: 4 });
try {
  const log = createTransparencyLog({ db: database.db, signer: keyPairFromSeed(sha256("bench log")), now: () => new Date() });
  console.log(`node ${process.version}; PostgreSQL on ${new URL(testDb.url).host}; database ${testDb.name}`);

  for (const [size, total] of [
    [100, 20_000],
    [1000, 50_000],
  ] as const) {
    const batches = Array.from({ length: total / size }, () => batch(size));
    const start = performance.now();
    for (const entries of batches) await log.append(entries);
    const ms = performance.now() - start;
    line(`append, batches of ${size}, one caller`, `${Math.round((total / ms) * 1000).toLocaleString("en-US").padStart(8)} leaves/s   (${total} in ${ms.toFixed(0)} ms)`);
  }

  {
    // Many callers appending one leaf each: the process's group commit folds them into few transactions.
    const callers = 64;
    const total = 20_000;
    const work = Array.from({ length: total }, () => batch(1));
    const start = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: callers }, async () => {
      while (next < work.length) await log.append(work[next++]!);
    }));
    const ms = performance.now() - start;
    line(`append, single leaves from ${callers} concurrent callers`, `${Math.round((total / ms) * 1000).toLocaleString("en-US").padStart(8)} leaves/s   (${total} in ${ms.toFixed(0)} ms)`);
  }

  {
    const again = batch(1000);
    await log.append(again);
    const start = performance.now();
    for (let i = 0; i < 10; i++) await log.append(again);
    line("re-append of 1,000 known leaves (idempotent no-op)", `${((performance.now() - start) / 10).toFixed(1).padStart(8)} ms per batch`);
  }

  const start = performance.now();
  const already = (await log.root()).tree_size;
  while (counter < TARGET) await log.append(batch(Math.min(10_000, TARGET - counter)));
  const buildMs = performance.now() - start;
  const size = (await log.root()).tree_size;
  line(`build to ${size.toLocaleString("en-US")} leaves by append (batches of 10,000)`, `${(buildMs / 1000).toFixed(1).padStart(8)} s   (${Math.round(((size - already) / buildMs) * 1000).toLocaleString("en-US")} leaves/s)`);

  let t = performance.now();
  const head = await log.signedTreeHead();
  line(`signed tree head at ${size.toLocaleString("en-US")} (compute, sign, publish)`, `${(performance.now() - t).toFixed(2).padStart(8)} ms`);
  t = performance.now();
  await log.root();
  line("root at the current size (recomputed from stored nodes)", `${(performance.now() - t).toFixed(2).padStart(8)} ms`);

  const byIndex: number[] = [];
  for (let i = 0; i < PROOFS; i++) {
    const index = (i * 7919) % size;
    t = performance.now();
    await log.inclusionProof(index, head.tree_size);
    byIndex.push(performance.now() - t);
  }
  latencies(`inclusion proof by index at ${size.toLocaleString("en-US")} leaves`, byIndex);

  const hashes = Array.from({ length: PROOFS }, (_, i) => Buffer.from(sha256(`bench leaf ${(i * 104729) % size}`)).toString("base64url"));
  const byHash: number[] = [];
  for (const hash of hashes) {
    t = performance.now();
    await log.inclusionProof(hash);
    byHash.push(performance.now() - t);
  }
  latencies("inclusion proof by hash, newest head (default)", byHash);

  const older: number[] = [];
  for (let i = 0; i < 200; i++) {
    t = performance.now();
    await log.consistencyProof(size - 1 - i * 997, size);
    older.push(performance.now() - t);
  }
  latencies("consistency proof, ~1M → current size", older);

  const stats = await database.pool.query<{ leaves: string; nodes: string; bytes: string }>(
    "select (select count(*) from log_leaves) as leaves, (select count(*) from log_nodes) as nodes, pg_size_pretty(pg_total_relation_size('log_leaves') + pg_total_relation_size('log_nodes')) as bytes",
  );
  const row = stats.rows[0]!;
  line("stored", `${Number(row.leaves).toLocaleString("en-US")} leaves, ${Number(row.nodes).toLocaleString("en-US")} interior nodes, ${row.bytes} with indexes`);
} finally {
  await database.close();
  await testDb.drop();
}
