/**
 * One real OpenClaw task end to end on the real platform: an agent from `tpl_openclaw_standard`
 * (model overridden to the scripted model), a run whose plan phase OpenClaw does in the sandbox (it
 * writes a note with its own `write` tool, through the gateway only), the approval, the apply phase
 * (OpenClaw again, on a fresh copy), the note applied, and evidence whose receipts for OpenClaw's
 * model calls are bound to the run's chain and which verifies offline.
 *
 * The scripted model's directives produce the reference agent's tool names (`write_file`, `finish`),
 * which OpenClaw does not have (it answers "Tool … not found" and loops until it gives up), so this
 * file runs its own scripted model with a fixed script in OpenClaw's vocabulary and routes the
 * gateway's `scripted` provider to it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runtimeProblem } from "@clawea/openclaw-runtime";
import { startScriptedModel, type ScriptedModel } from "@clawea/reference-agent";
import { createClaweaClient, unwrap } from "@clawea/sdk";
import { validateUpstream } from "@clawea/testkit";
import { waitForRunState } from "./journey.js";
import { waitFor, type JourneyTenant } from "./tenant-setup.js";
import { ROOT, startTestPlatform, type TestPlatform } from "./test-platform.test-support.js";

const MODEL = "scripted/scripted-1";
const NOTE = { path: "notes/openclaw.md", content: "Hello from OpenClaw." };
const SCRIPT = [{ tool_calls: [{ name: "write", arguments: NOTE }] }, { content: "Wrote notes/openclaw.md." }];
const CLI = [process.execPath, join(ROOT, "packages/cli/dist/main.js")];

/** The WPC: the scripted model, writes under `notes/`, nothing else; a budget that fits OpenClaw's ~6K-token prompts and 8K output cap. */
function openclawPolicy(): Record<string, unknown> {
  return {
    policy_version: "2",
    policy_id: "journey-openclaw",
    issuer_did: "did:web:clawea.local",
    statements: [
      { sid: "model", effect: "Allow", actions: ["model:invoke"], resources: ["scripted-*"], conditions: { StringEquals: { "Model:Provider": "scripted" } } },
      { sid: "notes", effect: "Allow", actions: ["side_effect:filesystem_write"], resources: ["notes/**"] },
    ],
    metadata: { clawea: { budget: { max_tokens_per_run: 400_000, max_cost_minor_per_run: 100 } } },
  };
}

let platform: TestPlatform;
let model: ScriptedModel;
const savedProviders = process.env.CLAWEA_PROVIDERS;

beforeAll(async () => {
  const problem = runtimeProblem();
  if (problem !== null) throw new Error(`OpenClaw cannot run on this machine: ${problem}`);
  model = await startScriptedModel({ script: SCRIPT });
  // The platform's services inherit this process's env: the gateway's `scripted` provider goes to this file's model.
  process.env.CLAWEA_PROVIDERS = JSON.stringify({ scripted: { baseUrl: model.url, api: "openai" } });
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
  await model?.close();
  if (savedProviders === undefined) delete process.env.CLAWEA_PROVIDERS;
  else process.env.CLAWEA_PROVIDERS = savedProviders;
});

async function openclawTenant(): Promise<JourneyTenant> {
  const client = (token: string) => createClaweaClient({ baseUrl: platform.url, token });
  const created = unwrap(await client(platform.bootstrapKey).POST("/v1/tenants", { body: { name: "openclaw" } }));
  const admin = client(created.admin_key.token);
  const key = async (name: string, roles: ("developer" | "security" | "auditor")[]) => unwrap(await admin.POST("/v1/api-keys", { body: { name, roles } })).token;
  const tokens = { admin: created.admin_key.token, developer: await key("dev", ["developer"]), approver: await key("sec", ["security"]), auditor: await key("audit", ["auditor"]) };
  const policy = unwrap(await admin.POST("/v1/policies", { body: { document: openclawPolicy(), name: "openclaw notes" } }));
  unwrap(await admin.PUT("/v1/tenant/default-policy", { body: { policy_hash: policy.hash } }));
  unwrap(await admin.PUT("/v1/secrets/{name}", { params: { path: { name: "scripted" } }, body: { value: "local-scripted-model-key", kind: "provider_key" } }));
  const agent = unwrap(await admin.POST("/v1/agents", { body: { template_id: "tpl_openclaw_standard", name: "openclaw-notes", overrides: { model: MODEL } } }));
  const running = await waitFor(
    "the OpenClaw agent to run",
    async () => unwrap(await admin.GET("/v1/agents/{agent_id}", { params: { path: { agent_id: agent.id } } })),
    (a) => a.status === "running" || a.status === "failed",
    120_000,
  );
  if (running.status !== "running") throw new Error(`the OpenClaw agent failed to deploy: ${JSON.stringify(running)}`);
  return { tenantId: created.tenant.id, admin, developer: client(tokens.developer), approver: client(tokens.approver), auditor: client(tokens.auditor), tokens, policyHash: policy.hash, agentId: agent.id };
}

type RunView = Awaited<ReturnType<typeof waitForRunState>>;
interface RunEvent {
  event_type: string;
  event_hash_b64u: string;
  payload: Record<string, unknown>;
}
const eventsOf = (run: RunView): RunEvent[] => (run as unknown as { events: RunEvent[] }).events;
const explain = (run: RunView): string => JSON.stringify({ state: run.state, reason_code: run.reason_code, events: eventsOf(run).slice(-6) }).slice(0, 3000);

describe("OpenClaw on the real platform", () => {
  it("plans in the sandbox through the gateway, applies the approved note, and exports evidence that binds OpenClaw's model calls and verifies offline", async () => {
    const t = await openclawTenant();
    const agent = unwrap(await t.admin.GET("/v1/agents/{agent_id}", { params: { path: { agent_id: t.agentId } } }));
    expect(agent).toMatchObject({ runtime: "openclaw", model: MODEL });

    const started = unwrap(await t.developer.POST("/v1/agents/{agent_id}/runs", { params: { path: { agent_id: t.agentId } }, body: { task: "Write a short note to notes/openclaw.md, then say what you did." } }));
    const planned = await waitForRunState(t, started.id, ["awaiting_approval", "failed"]);
    expect(planned.state, explain(planned)).toBe("awaiting_approval");
    const plan = planned.plan as { workspace_diff: { files: { path: string; change: string }[] }; intended_side_effects: { kind: string; target: string }[] };
    expect(plan.workspace_diff.files).toMatchObject([{ path: NOTE.path, change: "added" }]);
    expect(plan.intended_side_effects).toMatchObject([{ kind: "filesystem_write", target: NOTE.path }]);

    const approval = await waitFor("the approval", async () => unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: started.id } } })), (r) => r.approval !== null, 60_000);
    unwrap(await t.approver.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.approval!.id } }, body: { decision: "approve_once" } }));
    const applied = await waitForRunState(t, started.id, ["completed", "failed"]);
    expect(applied.state, explain(applied)).toBe("completed");

    // The note OpenClaw wrote reached the workspace; nothing of OpenClaw's private state stayed behind.
    const health = unwrap(await t.admin.GET("/v1/agents/{agent_id}/health", { params: { path: { agent_id: t.agentId } } }));
    const sandboxWorkspace = join(platform.sandboxRoot, health.sandbox_id!, "workspace");
    expect(readFileSync(join(sandboxWorkspace, NOTE.path), "utf8")).toBe(NOTE.content);
    const runArea = join(sandboxWorkspace, ".clawea-runs", started.id);
    expect(existsSync(runArea) ? readdirSync(runArea) : []).toEqual([]);

    // The chain: OpenClaw's tool calls (one `write` per phase) and the gateway's `llm_call` events (two calls per phase).
    const done = await waitFor("the evidence", async () => unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: started.id } } })), (r) => r.evidence !== null, 60_000);
    const events = eventsOf(done);
    const toolCalls = events.filter((e) => e.event_type === "tool_call").map((e) => e.payload);
    expect(toolCalls).toMatchObject([
      { phase: "plan", step: 1, name: "write", outcome: "ok" },
      { phase: "apply", step: 1, name: "write", outcome: "ok" },
    ]);
    const llmCalls = events.filter((e) => e.event_type === "llm_call");
    expect(llmCalls).toHaveLength(4);

    // Export: every receipt of OpenClaw's model calls is in the proof bundle, bound to one of those events.
    const download = async (path: string) => {
      const response = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${t.tokens.auditor}` } });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return Buffer.from(await response.arrayBuffer());
    };
    const bundle = JSON.parse((await download(`/v1/audit/runs/${started.id}/export`)).toString("utf8")) as Record<string, unknown>;
    const payload = (bundle.artifacts as { proof_bundle_envelope: { payload: { receipts?: { payload: { binding: { event_hash_b64u: string }; model?: string } }[]; metadata: unknown } } }).proof_bundle_envelope.payload;
    const receipts = payload.receipts ?? [];
    expect(receipts).toHaveLength(4);
    const llmHashes = new Set(llmCalls.map((e) => e.event_hash_b64u));
    for (const receipt of receipts) {
      expect(llmHashes.has(receipt.payload.binding.event_hash_b64u)).toBe(true);
      expect(validateUpstream("poh/gateway_receipt_envelope.v1.json", receipt)).toEqual({ ok: true, errors: [] });
    }
    expect(payload.metadata).toMatchObject({ harness: { runtime: "openclaw" } });
    const audit = unwrap(await t.auditor.GET("/v1/audit/runs/{run_id}", { params: { path: { run_id: started.id } } }));
    expect(audit.receipts.map((r) => (r as { status: string }).status)).toEqual(["success", "success", "success", "success"]);

    // It verifies through the API and offline with the CLI; the summary says PASS.
    const viaApi = unwrap(await t.auditor.POST("/v1/verify/export-bundle", { body: { artifact: bundle } }));
    expect(viaApi).toMatchObject({ valid: true, reason_codes: ["OK"] });
    const outDir = mkdtempSync(join(tmpdir(), "clawea-openclaw-out-"));
    try {
      const exportFile = join(outDir, "export.json");
      const trustFile = join(outDir, "trust.json");
      writeFileSync(exportFile, JSON.stringify(bundle));
      writeFileSync(trustFile, JSON.stringify(unwrap(await t.auditor.GET("/v1/trust"))));
      const cli = spawnSync(CLI[0]!, [...CLI.slice(1), "verify", "export-bundle", exportFile, "--trust-file", trustFile], { encoding: "utf8" });
      expect(cli.status, `${cli.stdout}${cli.stderr}`).toBe(0);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
    const summary = unwrap(await t.auditor.GET("/v1/audit/runs/{run_id}/summary", { params: { path: { run_id: started.id } } }));
    expect(summary.verdict).toBe("PASS");
    expect(summary.side_effects).toMatchObject([{ kind: "filesystem_write", target: NOTE.path, performed: true }]);
  });
});
