import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { createDatabase, outbox, tenants, type Database } from "@clawea/db";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { enqueue, relayOutbox, startOutboxRelay, QUEUES, type JobSink } from "./index.js";

const redisUrl = new URL(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
let testDb: TestDatabase;
let database: Database;
let queue: Queue;
const prefix = `clawea-test-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  await database.db.insert(tenants).values({ id: "ten_a", name: "a" });
  queue = new Queue(QUEUES.agents, { connection: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) }, prefix });
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  await database.close();
  await testDb.drop();
});

const payload = (actionId: string) => ({ tenant_id: "ten_a", agent_id: "agt_1", action_id: actionId, requested_at: "2026-11-25T10:00:00.000Z" });

describe("outbox", () => {
  it("relays only committed jobs, once each", async () => {
    await database.db
      .transaction(async (tx) => {
        await enqueue(tx, "ten_a", "agent.deploy", payload("act_rolled_back"));
        throw new Error("rollback");
      })
      .catch(() => undefined);
    const jobId = await database.db.transaction((tx) => enqueue(tx, "ten_a", "agent.deploy", payload("act_1")));
    // Enqueueing the same action again is a no-op.
    await enqueue(database.db, "ten_a", "agent.deploy", payload("act_1"));

    expect(await relayOutbox(database.db, { [QUEUES.agents]: queue })).toBe(1);
    expect(await relayOutbox(database.db, { [QUEUES.agents]: queue })).toBe(0);
    const job = await queue.getJob(jobId);
    expect(job?.name).toBe("agent.deploy");
    expect(job?.data).toEqual(payload("act_1"));
    expect(await queue.getJobCounts("waiting")).toMatchObject({ waiting: 1 });
  });

  it("survives a crash between enqueueing and marking the row", async () => {
    await enqueue(database.db, "ten_a", "agent.sleep", payload("act_2"));
    let crashed = false;
    const crashing: JobSink = {
      add: async (name, data, options) => {
        await queue.add(name, data, options);
        crashed = true;
        throw new Error("process died after add");
      },
    };
    await expect(relayOutbox(database.db, { [QUEUES.agents]: crashing })).rejects.toThrow();
    expect(crashed).toBe(true);
    const pending = await database.db.select().from(outbox);
    expect(pending.filter((r) => r.relayedAt === null)).toHaveLength(1);
    expect(await relayOutbox(database.db, { [QUEUES.agents]: queue })).toBe(1);
    expect(await queue.getJobCounts("waiting")).toMatchObject({ waiting: 2 });
  });

  it("relays in the background when kicked and stops cleanly", async () => {
    const relay = startOutboxRelay({ db: database.db, sinks: { [QUEUES.agents]: queue }, intervalMs: 10_000 });
    await enqueue(database.db, "ten_a", "agent.wake", payload("act_3"));
    relay.kick();
    await expect.poll(async () => (await queue.getJobCounts("waiting")).waiting).toBe(3);
    await relay.stop();
  });
});
