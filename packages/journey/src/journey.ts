/**
 * The main journey, narrated: onboard a tenant, deploy a reference agent, run a task whose plan
 * writes a file and calls an allowed host, approve it through the API, apply, export the evidence and
 * verify it offline with the CLI, then print the run summary. Every step checks what it claims.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { unwrap } from "@clawea/sdk";
import { setUpTenant, waitFor, type JourneyTenant } from "./tenant-setup.js";
import type { TargetServer } from "./target-server.js";

export interface JourneyOptions {
  baseUrl: string;
  bootstrapKey: string;
  target: TargetServer;
  outDir: string;
  /** How to run the `clawea` CLI (`[node, ...args]` prefix): the offline verifier, as an auditor runs it. */
  cli: string[];
  say: (line: string) => void;
  tenantName?: string;
  /** A real provider instead of the scripted model: `<provider>/<model>` and its API key. */
  model?: string;
  providerKey?: string;
}

export interface JourneyResult {
  tenant: JourneyTenant;
  runId: string;
  verdict: string;
  files: { exportJson: string; exportTarGz: string; trust: string; summaryJson: string; summaryHtml: string };
  cliExitCode: number;
}

export function journeyTask(targetUrl: string): string {
  return [
    "Publish the release note for 1.0 and tell the status service.",
    "write notes/release-1.0.md: Release 1.0 is ready.",
    `http POST ${targetUrl}/notify {"text":"release 1.0 ready"}`,
  ].join("\n");
}

type Run = Awaited<ReturnType<typeof readRun>>;
async function readRun(tenant: JourneyTenant, runId: string) {
  return unwrap(await tenant.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: runId } } }));
}

export async function waitForRunState(tenant: JourneyTenant, runId: string, states: readonly string[], timeoutMs = 180_000): Promise<Run> {
  return waitFor(`run ${runId} to reach ${states.join("|")}`, () => readRun(tenant, runId), (run) => states.includes(run.state), timeoutMs);
}

export async function runJourney(options: JourneyOptions): Promise<JourneyResult> {
  const say = options.say;
  const allowedHost = options.target.url;
  say("1/7 onboarding");
  const tenant = await setUpTenant({
    baseUrl: options.baseUrl,
    bootstrapKey: options.bootstrapKey,
    allowedHost,
    name: options.tenantName ?? `demo ${new Date().toISOString()}`,
    say,
    ...(options.model ? { model: options.model } : {}),
    ...(options.providerKey ? { providerKey: options.providerKey } : {}),
  });

  say("2/7 run, phase A (plan): side effects are captured, not performed");
  const started = unwrap(
    await tenant.developer.POST("/v1/agents/{agent_id}/runs", {
      params: { path: { agent_id: tenant.agentId } },
      body: { task: journeyTask(options.target.url), mission_id: "release-1.0" },
    }),
  );
  say(`run ${started.id} planning`);
  const planned = await waitForRunState(tenant, started.id, ["awaiting_approval", "failed"]);
  if (planned.state !== "awaiting_approval") throw new Error(`planning failed: ${planned.reason_code}`);
  const plan = planned.plan as { plan_hash_b64u: string; intended_side_effects: { kind: string; target: string; risk_flags: string[] }[] };
  for (const effect of plan.intended_side_effects) say(`  intends ${effect.kind} ${effect.target}${effect.risk_flags.length ? ` [${effect.risk_flags.join(", ")}]` : ""}`);
  say(`  plan hash ${plan.plan_hash_b64u}; nothing reached ${allowedHost} yet (${options.target.received.length} requests)`);
  if (options.target.received.length !== 0) throw new Error("the plan phase performed a side effect");

  say("3/7 approval: one card, decided through the API by the security key");
  const approval = await waitFor(
    "the approval request",
    async () => readRun(tenant, started.id),
    (run) => run.approval !== null,
    60_000,
  );
  const decided = unwrap(
    await tenant.approver.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.approval!.id } }, body: { decision: "approve_once" } }),
  );
  say(`  approved once by ${decided.decided_by}; apply CST pinned to scope ${decided.granted_scope?.scope_hash_b64u}`);

  say("4/7 run, phase B (apply): exactly the approved side effects");
  const applied = await waitForRunState(tenant, started.id, ["completed", "failed"]);
  if (applied.state !== "completed") throw new Error(`apply failed: ${applied.reason_code}`);
  say(`  completed; ${allowedHost} received ${options.target.received.length} request(s)`);
  const evidenced = await waitFor("the evidence", () => readRun(tenant, started.id), (run) => run.evidence !== null, 60_000);
  say(`  evidence written: ${String((evidenced.evidence as { event_count?: number }).event_count)} events, proof bundle ${String((evidenced.evidence as { proof_bundle_sha256_b64u?: string }).proof_bundle_sha256_b64u)}`);

  say("5/7 export: the signed Clawsig export bundle and the trust anchors");
  mkdirSync(options.outDir, { recursive: true });
  const files = {
    exportJson: join(options.outDir, `${started.id}.export.json`),
    exportTarGz: join(options.outDir, `${started.id}.export.tar.gz`),
    trust: join(options.outDir, "trust.json"),
    summaryJson: join(options.outDir, `${started.id}.summary.json`),
    summaryHtml: join(options.outDir, `${started.id}.summary.html`),
  };
  const download = async (path: string) => {
    const response = await fetch(`${options.baseUrl}${path}`, { headers: { authorization: `Bearer ${tenant.tokens.auditor}` } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return Buffer.from(await response.arrayBuffer());
  };
  writeFileSync(files.exportJson, await download(`/v1/audit/runs/${started.id}/export`));
  writeFileSync(files.exportTarGz, await download(`/v1/audit/runs/${started.id}/export?format=tar.gz`));
  writeFileSync(files.trust, `${JSON.stringify(unwrap(await tenant.auditor.GET("/v1/trust")), null, 2)}\n`);
  say(`  wrote ${files.exportJson}, ${files.exportTarGz} and ${files.trust}`);

  say("6/7 offline verification with the CLI (no network)");
  let cli = spawnSync("true", { encoding: "utf8" });
  for (const file of [files.exportJson, files.exportTarGz]) {
    cli = spawnSync(options.cli[0]!, [...options.cli.slice(1), "verify", "export-bundle", file, "--trust-file", files.trust], { encoding: "utf8" });
    for (const line of `${cli.stdout}${cli.stderr}`.trim().split("\n")) say(`  ${line}`);
    if (cli.status !== 0) throw new Error(`offline verification of ${file} failed (exit ${cli.status})`);
  }

  say("7/7 run summary");
  const summary = unwrap(await tenant.auditor.GET("/v1/audit/runs/{run_id}/summary", { params: { path: { run_id: started.id } } }));
  writeFileSync(files.summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
  writeFileSync(files.summaryHtml, await download(`/v1/audit/runs/${started.id}/summary.html`));
  say(`  VERIFIED ${summary.verdict} under WPC ${summary.policy_hash} and scope ${summary.scope_hash}`);
  for (const effect of summary.side_effects as { kind: string; target: string; performed: boolean }[]) say(`  ${effect.performed ? "performed" : "refused"} ${effect.kind} ${effect.target}`);
  for (const file of summary.workspace_diff as { path: string; change: string }[]) say(`  ${file.change} ${file.path}`);
  return { tenant, runId: started.id, verdict: summary.verdict, files, cliExitCode: cli.status ?? -1 };
}
