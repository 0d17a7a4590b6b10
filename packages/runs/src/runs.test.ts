import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { agents, createDatabase, newId, poolOf, runs, tenants, type Database } from "@clawea/db";
import { utf8, verifyEventChain, sha256B64u } from "@clawea/protocol";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { appendRunEvent, appendRunEvents, appendRunEventsAfter, artifactStore, createChainAppender, readChainHeads, canMove, fsBlobs, moveRun, readRunEvents, RunNotFoundError } from "./index.js";

let testDb: TestDatabase;
let database: Database;
let second: Database;
const tenantId = newId("tenant");
const agentId = newId("agent");

async function newRun(): Promise<string> {
  const id = newId("run");
  await database.db.insert(runs).values({ id, tenantId, agentId, task: "t", state: "planning", phase: "plan", policyHash: "p" });
  return id;
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  second = createDatabase(testDb.url, { max: 4 });
  await database.db.insert(tenants).values({ id: tenantId, name: "t" });
  await database.db.insert(agents).values({
    id: agentId,
    tenantId,
    templateId: "tpl_reference_small",
    name: "a",
    status: "running",
    did: "did:key:zAgent",
    signingKeySealed: "x",
    runtime: "reference",
    model: "m",
    cpuMillis: 100,
    memoryMb: 64,
    diskMb: 64,
    sleepAfterSeconds: 60,
    stateless: false,
  });
});

afterAll(async () => {
  await database.close();
  await second.close();
  await testDb.drop();
});

describe("the run's event chain", () => {
  it("links events appended from two pools at once into one valid chain, in commit order", async () => {
    const runId = await newRun();
    const append = (db: Database, i: number) =>
      db.db.transaction((tx) => appendRunEvent(tx, { tenantId, runId, eventType: "llm_call", actor: `pool-${i % 2}`, payload: { i }, now: new Date() }));
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i % 2 === 0 ? database : second, i)));
    const events = await readRunEvents(database.db, tenantId, runId);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(verifyEventChain(events)).toEqual({ ok: true });
    expect(new Set(events.map((e) => e.payload["i"])).size).toBe(40);
  });

  it("appends batches naming the same runs from two pools at once: no deadlock, each run one valid chain in the given order", async () => {
    const runIds = [await newRun(), await newRun(), await newRun()];
    // Each batch names the runs in a different order and some twice; the lock order is the ids'.
    const batch = (db: Database, b: number) =>
      db.db.transaction((tx) =>
        appendRunEvents(
          tx,
          [...runIds.slice(b % 3), ...runIds.slice(0, b % 3), runIds[b % 3]!].map((runId, k) => ({ tenantId, runId, eventType: "llm_call", actor: "gateway", payload: { b, k }, now: new Date() })),
        ),
      );
    const results = await Promise.all(Array.from({ length: 12 }, (_, b) => batch(b % 2 === 0 ? database : second, b)));
    expect(results.flat().every((event) => event !== null)).toBe(true);
    for (const runId of runIds) {
      const events = await readRunEvents(database.db, tenantId, runId);
      expect(verifyEventChain(events)).toEqual({ ok: true });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i));
      // Within a batch a run's events keep the order they were given in.
      const ofBatch = events.filter((e) => e.payload["b"] === 0).map((e) => e.payload["k"] as number);
      expect(ofBatch).toEqual([...ofBatch].sort((x, y) => x - y));
    }
    expect((await Promise.all(runIds.map((runId) => readRunEvents(database.db, tenantId, runId)))).flat()).toHaveLength(12 * 4);
  });

  it("gives null for a run the tenant does not have and still appends the others of its batch", async () => {
    const runId = await newRun();
    const [missing, foreign, ours] = await database.db.transaction((tx) =>
      appendRunEvents(tx, [
        { tenantId, runId: newId("run"), eventType: "llm_call", actor: "gateway", payload: {}, now: new Date() },
        { tenantId: newId("tenant"), runId, eventType: "llm_call", actor: "gateway", payload: {}, now: new Date() },
        { tenantId, runId, eventType: "llm_call", actor: "gateway", payload: { ok: true }, now: new Date() },
      ]),
    );
    expect(missing).toBeNull();
    expect(foreign).toBeNull();
    expect(ours).toMatchObject({ seq: 0, event_type: "llm_call" });
    expect(await readRunEvents(database.db, tenantId, runId)).toHaveLength(1);
  });

  it("refuses a run of another tenant", async () => {
    const runId = await newRun();
    await expect(
      database.db.transaction((tx) => appendRunEvent(tx, { tenantId: newId("tenant"), runId, eventType: "x", actor: "a", payload: {}, now: new Date() })),
    ).rejects.toBeInstanceOf(RunNotFoundError);
  });

  it("reads from a sequence number on", async () => {
    const runId = await newRun();
    for (let i = 0; i < 3; i++) await appendRunEvent(database.db, { tenantId, runId, eventType: "e", actor: "a", payload: { i }, now: new Date() });
    expect((await readRunEvents(database.db, tenantId, runId, 2)).map((e) => e.seq)).toEqual([2]);
  });
});

describe("appending after a known head", () => {
  const input = (runId: string, payload: Record<string, unknown>) => ({ tenantId, runId, eventType: "llm_call", actor: "gateway", payload, now: new Date() });

  it("writes only when the chain still ends where the caller saw it", async () => {
    const runId = await newRun();
    await appendRunEvent(database.db, input(runId, { first: true }));
    const stale = { head: null, length: 0 };
    expect(await appendRunEventsAfter(database.db, [{ tenantId, runId, expected: stale, inputs: [input(runId, { n: 1 })] }])).toEqual([{ ok: false }]);
    const current = (await readChainHeads(database.db, [{ tenantId, runId }])).get(`${tenantId}\u0000${runId}`)!;
    expect(current.length).toBe(1);
    const [written] = await appendRunEventsAfter(database.db, [{ tenantId, runId, expected: current, inputs: [input(runId, { n: 1 }), input(runId, { n: 2 })] }]);
    expect(written).toMatchObject({ ok: true, head: { length: 3 } });
    const events = await readRunEvents(database.db, tenantId, runId);
    expect(events.map((e) => e.payload)).toEqual([{ first: true }, { n: 1 }, { n: 2 }]);
    expect(verifyEventChain(events)).toEqual({ ok: true });
  });

  it("an append that does not wait for the WAL flush is committed and visible at once, and leaves the connection's setting as it was", async () => {
    // One connection, so the setting read after the append is the one the append ran on.
    const single = createDatabase(testDb.url, { max: 1 });
    try {
      const runId = await newRun();
      const appender = createChainAppender(single.db, { synchronousCommit: false });
      const first = await appender.append(input(runId, { n: 0 }));
      const second_ = await appender.append(input(runId, { n: 1 }));
      // Committed at once: another pool reads both, linked.
      const events = await readRunEvents(second.db, tenantId, runId);
      expect(events.map((e) => e.event_hash_b64u)).toEqual([first!.event_hash_b64u, second_!.event_hash_b64u]);
      expect(verifyEventChain(events)).toEqual({ ok: true });
      // The connection keeps the server's setting for everything else it runs (the receipts' writes).
      const server = await database.pool.query<{ synchronous_commit: string }>("show synchronous_commit");
      const after = await single.pool.query<{ synchronous_commit: string }>("show synchronous_commit");
      expect(after.rows[0]!.synchronous_commit).toBe(server.rows[0]!.synchronous_commit);
    } finally {
      await single.close();
    }
  });

  it("the appender and another plane's locked appends, at once on the same runs, make one valid chain per run with nothing lost", async () => {
    const runIds = [await newRun(), await newRun(), await newRun()];
    const appender = createChainAppender(database.db);
    const viaAppender = Array.from({ length: 60 }, (_, i) => appender.append(input(runIds[i % 3]!, { via: "appender", i })));
    const viaLock = Array.from({ length: 30 }, (_, i) => second.db.transaction((tx) => appendRunEvent(tx, input(runIds[i % 3]!, { via: "lock", i }))));
    const appended = await Promise.all(viaAppender);
    await Promise.all(viaLock);
    for (const runId of runIds) {
      const events = await readRunEvents(database.db, tenantId, runId);
      expect(events).toHaveLength(30);
      expect(verifyEventChain(events)).toEqual({ ok: true });
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i));
      // Each promise was answered with the event that was stored.
      for (const event of appended.filter((e) => e?.run_id === runId)) expect(events.find((e) => e.event_id === event!.event_id)?.event_hash_b64u).toBe(event!.event_hash_b64u);
    }
  });

  it("keeps each run's events in the order they were appended, with writes of several runs in flight", async () => {
    const runIds = await Promise.all(Array.from({ length: 6 }, () => newRun()));
    const appender = createChainAppender(database.db);
    const appended: Promise<unknown>[] = [];
    // Bursts a few milliseconds apart, so later events of a run queue behind its write in flight.
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 24; i++) appended.push(appender.append(input(runIds[i % 6]!, { n: burst * 24 + i })));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(appended);
    for (const runId of runIds) {
      const events = await readRunEvents(database.db, tenantId, runId);
      expect(verifyEventChain(events)).toEqual({ ok: true });
      const order = events.map((e) => e.payload["n"] as number);
      expect(order).toHaveLength(20);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it("lets an event wait for company: lingering events share one write, and a hurry or any other write takes them along", async () => {
    const runIds = [await newRun(), await newRun(), await newRun()];
    const appender = createChainAppender(database.db);
    const query = vi.spyOn(poolOf(database.db), "query");
    const writes = () => query.mock.calls.filter(([config]) => (config as { name?: string }).name === "run_chain_append_after").length;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    try {
      const started = performance.now();
      const first = appender.append(input(runIds[0]!, { n: 1 }), { lingerMs: 400 });
      await sleep(20);
      const second = appender.append(input(runIds[1]!, { n: 2 }), { lingerMs: 400 });
      await sleep(20);
      expect(writes()).toBe(0);
      await Promise.all([first, second]);
      // Written together when the first one's wait ended.
      expect(performance.now() - started).toBeGreaterThanOrEqual(395);
      expect(writes()).toBe(1);

      let hurry!: () => void;
      const third = appender.append(input(runIds[2]!, { n: 3 }), { lingerMs: 60_000, hurry: new Promise<void>((resolve) => (hurry = resolve)) });
      const fourth = appender.append(input(runIds[0]!, { n: 4 }), { lingerMs: 60_000 });
      await sleep(20);
      expect(writes()).toBe(1);
      hurry();
      await Promise.all([third, fourth]);
      expect(writes()).toBe(2);

      const fifth = appender.append(input(runIds[1]!, { n: 5 }), { lingerMs: 60_000 });
      await appender.append(input(runIds[2]!, { n: 6 }));
      expect(await fifth).toMatchObject({ seq: 1 });
      expect(writes()).toBe(3);
      for (const runId of runIds) {
        const events = await readRunEvents(database.db, tenantId, runId);
        expect(events).toHaveLength(2);
        expect(verifyEventChain(events)).toEqual({ ok: true });
      }
    } finally {
      query.mockRestore();
    }
  });

  it("keeps a run's events in order when a lingering one is followed by one written at once", async () => {
    const runId = await newRun();
    const appender = createChainAppender(database.db);
    const lingering = appender.append(input(runId, { n: 0 }), { lingerMs: 200 });
    const atOnce = appender.append(input(runId, { n: 1 }));
    const [first, second] = await Promise.all([lingering, atOnce]);
    expect([first!.seq, second!.seq]).toEqual([0, 1]);
    const events = await readRunEvents(database.db, tenantId, runId);
    expect(events.map((e) => e.payload["n"])).toEqual([0, 1]);
    expect(verifyEventChain(events)).toEqual({ ok: true });
  });

  it("answers null for runs the tenant does not have, and one refused event fails only its own append", async () => {
    const runId = await newRun();
    const appender = createChainAppender(database.db);
    const [missing, foreign, refused, ours] = await Promise.allSettled([
      appender.append(input(newId("run"), {})),
      appender.append({ ...input(runId, {}), tenantId: newId("tenant") }),
      // jsonb cannot hold NUL: PostgreSQL refuses this event.
      appender.append(input(runId, { bad: "\u0000" })),
      appender.append(input(runId, { good: true })),
    ]);
    expect(missing).toEqual({ status: "fulfilled", value: null });
    expect(foreign).toEqual({ status: "fulfilled", value: null });
    expect(refused.status).toBe("rejected");
    expect(ours).toMatchObject({ status: "fulfilled", value: { seq: 0 } });
    expect((await readRunEvents(database.db, tenantId, runId)).map((e) => e.payload)).toEqual([{ good: true }]);
  });
});

describe("the run state machine", () => {
  it("allows only the documented moves", () => {
    expect(canMove("planning", "awaiting_approval")).toBe(true);
    expect(canMove("planning", "applying")).toBe(false);
    expect(canMove("awaiting_approval", "applying")).toBe(true);
    expect(canMove("completed", "failed")).toBe(false);
    expect(canMove("denied", "applying")).toBe(false);
  });

  it("moves once when two movers race, and records the move with its actor in the chain", async () => {
    const runId = await newRun();
    const move = (db: Database, actor: string) => db.db.transaction((tx) => moveRun(tx, { tenantId, runId, to: "awaiting_approval", actor, now: new Date() }));
    const results = await Promise.all([move(database, "a"), move(second, "b")]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const events = await readRunEvents(database.db, tenantId, runId);
    expect(events.filter((e) => e.event_type === "run_state_changed")).toHaveLength(1);
    expect(await database.db.transaction((tx) => moveRun(tx, { tenantId, runId, to: "completed", actor: "x", now: new Date() }))).toBeNull();
  });

  it("stamps completion on a terminal move and clears the phase", async () => {
    const runId = await newRun();
    const moved = await moveRun(database.db, { tenantId, runId, to: "cancelled", actor: "key:k", now: new Date("2026-11-25T10:00:00Z") });
    expect(moved).toMatchObject({ state: "cancelled", phase: null });
    expect(moved?.completedAt?.toISOString()).toBe("2026-11-25T10:00:00.000Z");
  });
});

describe("the artifact store", () => {
  const root = mkdtempSync(join(tmpdir(), "clawea-artifacts-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("stores bytes under their hash once and returns them checked", async () => {
    const store = artifactStore(database.db, fsBlobs(root));
    const bytes = utf8('{"a":1}');
    const first = await store.put(tenantId, bytes, "application/json");
    const again = await store.put(tenantId, bytes, "application/json");
    expect(first).toEqual(again);
    expect(first.sha256_b64u).toBe(sha256B64u(bytes));
    const got = await store.get(tenantId, first.sha256_b64u);
    expect(Buffer.from(got!.bytes).toString("utf8")).toBe('{"a":1}');
    expect(await store.get(newId("tenant"), first.sha256_b64u)).toBeNull();
  });

  it("refuses bytes that no longer match their address", async () => {
    const store = artifactStore(database.db, fsBlobs(root));
    const stored = await store.put(tenantId, utf8("original"), "text/plain");
    writeFileSync(join(root, tenantId, stored.sha256_b64u.slice(0, 2), stored.sha256_b64u), "tampered");
    await expect(store.get(tenantId, stored.sha256_b64u)).rejects.toThrow(/corrupt/);
  });
});
