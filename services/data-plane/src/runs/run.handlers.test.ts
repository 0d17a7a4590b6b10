import { mkdtempSync, rmSync } from "node:fs";
import { HOST_PROGRAMS } from "../sandbox/local.provider.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pino from "pino";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approvals, createDatabase, keyringFrom, newId, policies, runs, seal, sealBinding, tenants, type Database } from "@clawea/db";
import { buildPlan, mintCst, policyHash, scopeOf, type Plan } from "@clawea/policy";
import { generateKeyPair } from "@clawea/protocol";
import { artifactStore, fsBlobs, readRunEvents, revokeCst } from "@clawea/runs";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import type { ExecResult, SandboxProvider } from "../sandbox/sandbox.provider.js";
import { createEvidenceBuilder } from "./evidence.js";
import { createRunHandlers } from "./run.handlers.js";
import { insertSigningAgent } from "./runs.test-support.js";

/** A provider that must never be reached: every fail-closed case asserts it was not. */
class RecordingProvider implements SandboxProvider {
  readonly name = "recording";
  readonly programs = HOST_PROGRAMS;
  readonly execs: string[][] = [];
  async create() {
    return { id: "sbx", provider: this.name, state: "running" as const };
  }
  async exec(_id: string, command: readonly string[]): Promise<ExecResult> {
    this.execs.push([...command]);
    return { exitCode: 0, signal: null, stdout: new Uint8Array(), stderr: new Uint8Array(), durationMs: 1 };
  }
  async writeFile() {}
  async readFile() {
    return new Uint8Array();
  }
  async stop() {}
  async start() {}
  async destroy() {}
  async stats() {
    return { cpuMillisUsed: 0, memoryBytes: 0, at: new Date().toISOString() };
  }
}

const keyring = keyringFrom(randomBytes(32).toString("base64url"));
const controlPlane = generateKeyPair();
const dataPlane = generateKeyPair();
const agentKey = generateKeyPair();
const tenantId = newId("tenant");
const agentId = newId("agent");
const wpc = {
  policy_version: "2",
  policy_id: "handlers",
  issuer_did: "did:web:clawea.test",
  statements: [
    { sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["https://api.example.com"] },
    { sid: "notes", effect: "Allow", actions: ["side_effect:filesystem_write"], resources: ["notes/**"] },
  ],
  metadata: { clawea: { budget: { max_tokens_per_run: 1000, max_cost_minor_per_run: 10 } } },
};
const hash = policyHash(wpc as never);

let testDb: TestDatabase;
let database: Database;
let redis: Redis;
let artifactsDir: string;
let provider: RecordingProvider;
let handlers: ReturnType<typeof createRunHandlers>;

function plan(): Plan {
  return buildPlan({
    intended_side_effects: [{ kind: "network_egress", target: "https://api.example.com:443", summary: "POST https://api.example.com:443", risk_flags: [] }],
    workspace_diff: { files: [{ path: "notes/a.md", change: "added", sha256_b64u: "x".repeat(43), size_bytes: 3 }] },
    estimate: { tokens: 10, cost_minor: 0, duration_ms: 5 },
  });
}

/** A run approved for its plan's whole scope, in `applying`, as the control plane leaves it. */
async function approvedRun(): Promise<{ runId: string; plan: Plan; scopeHash: string }> {
  const runId = newId("run");
  const p = plan();
  const scope = scopeOf(p);
  await database.db.insert(runs).values({ id: runId, tenantId, agentId, task: "t", state: "applying", phase: "apply", policyHash: hash, plan: p, planHash: p.plan_hash_b64u, scopeHash: scope.scope_hash_b64u });
  await database.db.insert(approvals).values({
    id: newId("approval"),
    tenantId,
    runId,
    agentId,
    status: "approved",
    planHash: p.plan_hash_b64u,
    policyHash: hash,
    requestedScope: scope,
    grantedScope: scope,
    grantedScopeHash: scope.scope_hash_b64u,
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return { runId, plan: p, scopeHash: scope.scope_hash_b64u };
}

async function applyToken(runId: string, options: { scopeHash: string; at?: Date; ttl?: number; jti?: string }): Promise<string> {
  const at = options.at ?? new Date();
  const token = await mintCst({
    claims: { sub: agentKey.did, aud: "clawea-gateway", exp: Math.floor(at.getTime() / 1000) + (options.ttl ?? 600), policy_hash_b64u: hash, scope: ["model:invoke", "side_effect:network_egress"], jti: options.jti ?? `cst_${randomBytes(8).toString("hex")}` },
    binding: { tenant_id: tenantId, run_id: runId, phase: "apply", approved_scope_hash_b64u: options.scopeHash },
    signer: controlPlane,
    now: at.toISOString(),
  });
  return seal(keyring, token, sealBinding.runToken(tenantId, runId, "apply"));
}

const payload = (runId: string, cstSealed?: string) => ({
  tenant_id: tenantId,
  run_id: runId,
  action_id: `act_${randomBytes(8).toString("hex")}`,
  requested_at: new Date().toISOString(),
  ...(cstSealed ? { cst_sealed: cstSealed } : {}),
});

async function expectRefused(runId: string, reasonCode: string, detail?: RegExp): Promise<void> {
  const [row] = await database.db.select().from(runs).where(eq(runs.id, runId));
  expect(row).toMatchObject({ state: "failed", reasonCode });
  expect(row!.evidence).not.toBeNull();
  const events = await readRunEvents(database.db, tenantId, runId);
  const failure = events.find((e) => e.event_type === "run_state_changed" && e.payload["state"] === "failed");
  expect(failure?.payload["reason_code"]).toBe(reasonCode);
  if (detail) expect(String(failure?.payload["detail"])).toMatch(detail);
  expect(provider.execs).toEqual([]);
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  artifactsDir = mkdtempSync(join(tmpdir(), "clawea-handlers-"));
  await database.db.insert(tenants).values({ id: tenantId, name: "handlers" });
  await database.db.insert(policies).values({ tenantId, hash, policyVersion: "2", document: wpc });
  await insertSigningAgent(database.db, { tenantId, agentId, key: agentKey, keyring, policyHash: hash, sandboxId: "sbx" });
  const artifacts = artifactStore(database.db, fsBlobs(artifactsDir));
  const buildEvidence = createEvidenceBuilder({
    db: database.db,
    keyring,
    signer: dataPlane,
    artifacts,
    log: null,
    now: () => new Date(),
    runtime: { provider: "recording", providerVersion: "0", runtimes: { reference: { digest: "sha256:test", nodeVersion: process.version } } },
  });
  provider = new RecordingProvider();
  handlers = createRunHandlers({
    db: database.db,
    redis,
    keyring,
    provider,
    buildEvidence,
    artifacts,
    cstIssuers: [controlPlane.did],
    now: () => new Date(),
    logger: pino({ level: "silent" }),
    agentTimeoutMs: 10_000,
    gateway: { modelUrl: "http://127.0.0.1:9/v1", egressProxyUrl: "http://127.0.0.1:9" },
  });
});

afterAll(async () => {
  await redis.quit();
  await database.close();
  await testDb.drop();
  rmSync(artifactsDir, { recursive: true, force: true });
});

describe("run.apply fails closed before anything runs", () => {
  it("without an apply CST", async () => {
    const { runId } = await approvedRun();
    await handlers["run.apply"](payload(runId));
    await expectRefused(runId, "APPLY_CST_INVALID", /missing/);
  });

  it("with an expired apply CST", async () => {
    const { runId, scopeHash } = await approvedRun();
    await handlers["run.apply"](payload(runId, await applyToken(runId, { scopeHash, at: new Date(Date.now() - 3600_000), ttl: 60 })));
    await expectRefused(runId, "APPLY_CST_INVALID", /CST_EXPIRED/);
  });

  it("with a revoked apply CST", async () => {
    const { runId, scopeHash } = await approvedRun();
    const jti = `cst_${randomBytes(8).toString("hex")}`;
    const sealed = await applyToken(runId, { scopeHash, jti });
    await revokeCst({ db: database.db, redis, now: () => new Date() }, { jti, tenantId, expiresAt: new Date(Date.now() + 600_000) });
    await handlers["run.apply"](payload(runId, sealed));
    await expectRefused(runId, "APPLY_CST_INVALID", /CST_REVOKED/);
  });

  it("with a CST pinned to another scope", async () => {
    const { runId } = await approvedRun();
    await handlers["run.apply"](payload(runId, await applyToken(runId, { scopeHash: "A".repeat(43) })));
    await expectRefused(runId, "APPLY_CST_INVALID", /CST_BINDING_MISMATCH/);
  });

  it("with a CST sealed for another run", async () => {
    const { runId, scopeHash } = await approvedRun();
    const other = await approvedRun();
    await handlers["run.apply"](payload(runId, await applyToken(other.runId, { scopeHash })));
    await expectRefused(runId, "APPLY_CST_INVALID", /missing|cannot be opened/);
  });

  it("when the plan changed after approval", async () => {
    const { runId, scopeHash, plan: approved } = await approvedRun();
    const changed = { ...approved, intended_side_effects: [...approved.intended_side_effects, { kind: "network_egress", target: "https://evil.example:443", summary: "x", risk_flags: [] }] };
    await database.db.update(runs).set({ plan: changed }).where(eq(runs.id, runId));
    await handlers["run.apply"](payload(runId, await applyToken(runId, { scopeHash })));
    await expectRefused(runId, "PLAN_HASH_MISMATCH");
  });

  it("does nothing for a run that is not applying", async () => {
    const { runId, scopeHash } = await approvedRun();
    await database.db.update(runs).set({ state: "cancelled" }).where(eq(runs.id, runId));
    expect(await handlers["run.apply"](payload(runId, await applyToken(runId, { scopeHash })))).toEqual({ outcome: "skipped", reason: "run is not applying" });
    expect(provider.execs).toEqual([]);
  });
});
