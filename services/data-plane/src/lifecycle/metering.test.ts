import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createDatabase, usageEvents, type Database } from "@clawea/db";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { NOW, TENANT, insertAgent, insertRun, insertTenant } from "../workers/fixtures.test-support.js";
import { cpuDeltaMillis, recordRunCompute } from "./metering.js";

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 2 });
  await insertTenant(database.db);
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
});

describe("cpuDeltaMillis", () => {
  it.each([
    { previous: null, current: 500, delta: 500 },
    { previous: 500, current: 500, delta: 0 },
    { previous: 500, current: 1750, delta: 1250 },
    // A counter that went backwards was reset: all of it is new.
    { previous: 1750, current: 100, delta: 100 },
    { previous: 100, current: Number.NaN, delta: 0 },
  ])("$previous -> $current is $delta", ({ previous, current, delta }) => {
    expect(cpuDeltaMillis(previous, current)).toBe(delta);
  });
});

describe("recordRunCompute", () => {
  it("writes the run's exec seconds as compute_seconds with its agent's template, inside the caller's transaction", async () => {
    const { agentId } = await insertAgent(database.db, { status: "running", pending: null });
    const runId = await insertRun(database.db, agentId, { state: "planning", createdAt: NOW });
    await database.db.transaction((tx) => recordRunCompute(tx, { tenantId: TENANT, agentId, runId, seconds: 1.25, at: NOW }));
    await recordRunCompute(database.db, { tenantId: TENANT, agentId, runId, seconds: 0, at: NOW });
    const rows = await database.db.select().from(usageEvents).where(eq(usageEvents.runId, runId));
    expect(rows).toEqual([expect.objectContaining({ tenantId: TENANT, agentId, runId, templateId: "tpl_reference_small", kind: "compute_seconds", quantity: 1.25, occurredAt: NOW, model: null })]);
  });

  it("refuses a quantity that is not a finite, non-negative number", async () => {
    for (const seconds of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      await expect(recordRunCompute(database.db, { tenantId: TENANT, agentId: "agt_x", runId: "run_x", seconds, at: NOW })).rejects.toBeInstanceOf(RangeError);
    }
  });
});
