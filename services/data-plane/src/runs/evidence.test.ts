import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, gatewayReceipts, keyringFrom, newId, policies, runs, tenants, type Database } from "@clawea/db";
import { generateKeyPair, signEnvelope } from "@clawea/protocol";
import { appendRunEvent, artifactStore, fsBlobs } from "@clawea/runs";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { createEvidenceBuilder } from "./evidence.js";
import { insertSigningAgent } from "./runs.test-support.js";

const keyring = keyringFrom(randomBytes(32).toString("base64url"));
const agentKey = generateKeyPair();
const gateway = generateKeyPair();
const tenantId = newId("tenant");
const agentId = newId("agent");
const policyHash = "wpc_evidence";

let testDb: TestDatabase;
let database: Database;
let artifactsDir: string;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  artifactsDir = mkdtempSync(join(tmpdir(), "clawea-evidence-"));
  await database.db.insert(tenants).values({ id: tenantId, name: "evidence" });
  await database.db.insert(policies).values({ tenantId, hash: policyHash, policyVersion: "2", document: { policy_version: "2", statements: [] } });
  await insertSigningAgent(database.db, { tenantId, agentId, key: agentKey, keyring, policyHash });
});

afterAll(async () => {
  await database.close();
  await testDb.drop();
  rmSync(artifactsDir, { recursive: true, force: true });
});

const builder = (receiptWaitMs: number) =>
  createEvidenceBuilder({
    db: database.db,
    keyring,
    signer: generateKeyPair(),
    artifacts: artifactStore(database.db, fsBlobs(artifactsDir)),
    log: null,
    now: () => new Date(),
    runtime: { provider: "recording", providerVersion: "0", runtimes: { reference: { digest: "sha256:test", nodeVersion: process.version } } },
    receiptWaitMs,
  });

/** A completed run whose chain holds one `llm_call` event naming `receiptId`, as the gateway appends it. */
async function runWithCall(receiptId: string) {
  const runId = newId("run");
  await database.db.insert(runs).values({ id: runId, tenantId, agentId, task: "t", state: "completed", phase: "apply", policyHash });
  const event = await database.db.transaction((tx) =>
    appendRunEvent(tx, { tenantId, runId, eventType: "llm_call", actor: "gateway", payload: { receipt_id: receiptId, provider: "openai", model: "m" }, now: new Date() }),
  );
  const [row] = await database.db.select().from(runs).where(eq(runs.id, runId));
  const storeReceipt = () =>
    database.db.insert(gatewayReceipts).values({
      receiptId,
      tenantId,
      agentId,
      runId,
      status: "success",
      envelope: signEnvelope({
        envelopeType: "gateway_receipt",
        signer: gateway,
        issuedAt: new Date().toISOString(),
        payload: { receipt_id: receiptId, binding: { run_id: runId, event_hash_b64u: event.event_hash_b64u } },
      }),
    });
  return { run: row!, storeReceipt };
}

describe("run evidence and the gateway's receipts", () => {
  it("waits for a receipt the gateway is still storing behind its answer", async () => {
    const { run, storeReceipt } = await runWithCall(`gwr_${randomBytes(16).toString("hex")}`);
    const stored = new Promise((resolve) => setTimeout(resolve, 150)).then(storeReceipt);
    const evidence = await builder(5_000)(run);
    await stored;
    expect(evidence).toMatchObject({ receipt_count: 1 });
  });

  it("builds without a receipt that never comes, once the wait is over", async () => {
    const { run } = await runWithCall(`gwr_${randomBytes(16).toString("hex")}`);
    const startedAt = Date.now();
    const evidence = await builder(200)(run);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(200);
    expect(evidence).toMatchObject({ receipt_count: 0 });
  });
});
