import { createHash, createHmac } from "node:crypto";
import { createGunzip } from "node:zlib";
import tar from "tar-stream";
import pg from "pg";
import { validateUpstream } from "@clawea/testkit";
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrap } from "@clawea/sdk";
import { verifyExportBundle, type TrustAnchors } from "@clawea/verify";
import { journeyTask, runJourney, waitForRunState } from "./journey.js";
import { setUpTenant, waitFor, type JourneyTenant } from "./tenant-setup.js";
import { startTargetServer, type TargetServer } from "./target-server.js";
import { ROOT, startTestPlatform, type TestPlatform } from "./test-platform.test-support.js";

let platform: TestPlatform;
/** The main journey's plan hash: another fresh agent given the same task must plan the same. */
let journeyPlanHash: string | null = null;
let target: TargetServer;
const CLI = [process.execPath, join(ROOT, "packages/cli/dist/main.js")];

beforeAll(async () => {
  platform = await startTestPlatform();
  target = await startTargetServer();
});

afterAll(async () => {
  await target?.close();
  await platform?.close();
});

async function tenant(name: string, options: { stateless?: boolean } = {}): Promise<JourneyTenant> {
  return setUpTenant({ baseUrl: platform.url, bootstrapKey: platform.bootstrapKey, allowedHost: target.url, name, say: () => undefined, ...options });
}

async function startRun(t: JourneyTenant, task: string) {
  return unwrap(await t.developer.POST("/v1/agents/{agent_id}/runs", { params: { path: { agent_id: t.agentId } }, body: { task } }));
}

async function approvalOf(t: JourneyTenant, runId: string) {
  const run = await waitFor("an approval", async () => unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: runId } } })), (r) => r.approval !== null, 60_000);
  return run.approval!;
}

function received(path: string) {
  return target.received.filter((r) => r.path === path);
}

async function untar(archive: Buffer): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  const extract = tar.extract();
  extract.on("entry", (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on("data", (c: unknown) => chunks.push(c as Buffer));
    stream.on("end", () => {
      files.set(header.name, Buffer.concat(chunks));
      next();
    });
  });
  const done = new Promise<void>((resolve, reject) => {
    extract.on("finish", resolve);
    extract.on("error", reject);
  });
  const gunzip = createGunzip();
  gunzip.pipe(extract);
  gunzip.end(archive);
  await done;
  return files;
}

/** Every string and number leaf of a JSON value, as paths. */
function leaves(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leaves(v, [...path, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return typeof value === "string" || typeof value === "number" ? [path] : [];
}

describe("the main journey on the real platform", () => {
  it("plans, approves once, applies exactly that, and exports evidence that verifies offline through the API and the CLI", async () => {
    const before = target.received.length;
    const outDir = mkdtempSync(join(tmpdir(), "clawea-journey-out-"));
    const result = await runJourney({ baseUrl: platform.url, bootstrapKey: platform.bootstrapKey, target, outDir, cli: CLI, say: () => undefined, tenantName: "journey" });
    expect(result.verdict).toBe("PASS");
    expect(result.cliExitCode).toBe(0);
    journeyPlanHash = unwrap(await result.tenant.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: result.runId } } })).plan_hash;
    // Metering: the run's model tokens and each phase's sandbox compute time, recorded against the run.
    const db = new pg.Client({ connectionString: platform.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ kind: string }>("select distinct kind from usage_events where run_id = $1", [result.runId]);
      expect(rows.map((row) => row.kind).sort()).toEqual(["compute_seconds", "tokens_in", "tokens_out"]);
    } finally {
      await db.end();
    }
    // Exactly the approved call reached the host, once, and the approved file is in the workspace.
    expect(target.received.slice(before)).toEqual([{ method: "POST", path: "/notify", body: '{"text":"release 1.0 ready"}' }]);
    const health = unwrap(await result.tenant.admin.GET("/v1/agents/{agent_id}/health", { params: { path: { agent_id: result.tenant.agentId } } }));
    expect(readFileSync(join(platform.sandboxRoot, health.sandbox_id!, "workspace/notes/release-1.0.md"), "utf8")).toBe("Release 1.0 is ready.");

    const bundle = JSON.parse(readFileSync(result.files.exportJson, "utf8")) as Record<string, unknown>;
    const trust = JSON.parse(readFileSync(result.files.trust, "utf8")) as TrustAnchors;
    const viaApi = unwrap(await result.tenant.auditor.POST("/v1/verify/export-bundle", { body: { artifact: bundle } }));
    expect(viaApi).toMatchObject({ valid: true, reason_codes: ["OK"] });
    const payload = (bundle.artifacts as { proof_bundle_envelope: { payload: Record<string, unknown[]> } }).proof_bundle_envelope.payload;
    expect(payload.receipts!.length).toBeGreaterThan(0);
    expect(payload.human_approval_receipts).toHaveLength(1);

    // Everything emitted validates against the upstream Clawsig schemas.
    const metadata = bundle.metadata as { human_approval_receipt_envelopes: unknown[]; log_inclusion_proofs: unknown[]; urm: unknown };
    const artifacts = bundle.artifacts as { proof_bundle_envelope: unknown; execution_attestation_envelopes: unknown[] };
    const emitted: [string, unknown][] = [
      ["poh/export_bundle.v1.json", bundle],
      ["poh/proof_bundle_envelope.v1.json", artifacts.proof_bundle_envelope],
      ["poh/execution_attestation_envelope.v1.json", artifacts.execution_attestation_envelopes[0]],
      ["poh/human_approval_receipt_envelope.v1.json", metadata.human_approval_receipt_envelopes[0]],
      ["poh/log_inclusion_proof.v1.json", metadata.log_inclusion_proofs[0]],
      ["poh/urm.v1.json", metadata.urm],
      ...payload.receipts!.map((receipt): [string, unknown] => ["poh/gateway_receipt_envelope.v1.json", receipt]),
    ];
    for (const [schema, value] of emitted) expect(validateUpstream(schema, value), schema).toEqual({ ok: true, errors: [] });

    // The .tar.gz holds the same files: each manifest entry's bytes hash to its entry.
    const files = await untar(readFileSync(result.files.exportTarGz));
    expect(JSON.parse(files.get("export_bundle.json")!.toString("utf8"))).toEqual(bundle);
    for (const entry of (bundle.manifest as { entries: { path: string; sha256_b64u: string; size_bytes: number }[] }).entries) {
      const bytes = files.get(entry.path)!;
      expect(bytes.length).toBe(entry.size_bytes);
      expect(createHash("sha256").update(bytes).digest("base64url")).toBe(entry.sha256_b64u);
    }

    // Tampering with any value anywhere in the bundle makes verification fail.
    const now = new Date().toISOString();
    const paths = leaves(bundle);
    let caught = 0;
    for (const path of paths) {
      const copy = structuredClone(bundle) as Record<string, unknown>;
      let holder = copy as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) holder = holder[key] as Record<string | number, unknown>;
      const last = path[path.length - 1]!;
      const value = holder[last];
      holder[last] = typeof value === "number" ? value + 1 : `${String(value)}x`;
      const verdict = verifyExportBundle(copy, { trust, now });
      if (!verdict.valid) caught++;
      else throw new Error(`tampering with ${path.join(".")} went unnoticed`);
    }
    expect(caught).toBe(paths.length);

    // The CLI verifies the archive form too, every file in it.
    const fromArchive = spawnSync(CLI[0]!, [...CLI.slice(1), "verify", "export-bundle", result.files.exportTarGz, "--trust-file", result.files.trust], { encoding: "utf8" });
    expect(fromArchive.status, fromArchive.stdout + fromArchive.stderr).toBe(0);

    // The CLI says FAIL (exit 1) for a tampered file.
    const tampered = join(outDir, "tampered.json");
    writeFileSync(tampered, readFileSync(result.files.exportJson, "utf8").replace("release-1.0", "release-2.0"));
    const cli = spawnSync(CLI[0]!, [...CLI.slice(1), "verify", "export-bundle", tampered, "--trust-file", result.files.trust], { encoding: "utf8" });
    expect(cli.status).toBe(1);
  });

  it("deny: nothing is performed, the refused actions come back with APPROVAL_DENIED, and the evidence still verifies", async () => {
    const t = await tenant("deny");
    const before = received("/notify").length;
    const run = await startRun(t, journeyTask(target.url));
    await waitForRunState(t, run.id, ["awaiting_approval"]);
    const approval = await approvalOf(t, run.id);
    const decided = unwrap(await t.approver.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "deny", reason: "not today" } }));
    expect(decided.status).toBe("denied");
    const denied = await waitFor("evidence", async () => unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: run.id } } })), (r) => r.evidence !== null, 60_000);
    expect(denied.state).toBe("denied");
    expect(denied.reason_code).toBe("APPROVAL_DENIED");
    // The same task on a fresh workspace with the same model answers gives the same plan.
    expect(denied.plan_hash).toBe(journeyPlanHash);
    expect(denied.refused).toEqual([
      { kind: "filesystem_write", target: "notes/release-1.0.md", reason_code: "APPROVAL_DENIED" },
      { kind: "network_egress", target: target.url, reason_code: "APPROVAL_DENIED" },
    ]);
    expect(received("/notify").length).toBe(before);
    const summary = unwrap(await t.auditor.GET("/v1/audit/runs/{run_id}/summary", { params: { path: { run_id: run.id } } }));
    expect(summary.verdict).toBe("PASS");
    // A second decision is refused.
    const again = await t.approver.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "approve_once" } });
    expect(again.error).toMatchObject({ reason_code: "APPROVAL_ALREADY_DECIDED" });
    expect(again.response.status).toBe(409);
  });

  it("the requester cannot approve their own run, and a developer key is no approver", async () => {
    const t = await tenant("self-approval");
    const run = await startRun(t, journeyTask(target.url));
    const approval = await approvalOf(t, run.id);
    const own = await t.developer.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "approve_once" } });
    expect(own.response.status).toBe(403);
    expect((own.error as { reason_code?: string }).reason_code).toBe("APPROVER_NOT_PERMITTED");
    const narrower = await t.approver.POST("/v1/approvals/{approval_id}/decision", {
      params: { path: { approval_id: approval.id } },
      body: { decision: "approve_once", scope: [{ kind: "network_egress", target: "https://elsewhere.example:443" }] },
    });
    expect((narrower.error as { reason_code?: string }).reason_code).toBe("APPROVAL_SCOPE_INVALID");
    unwrap(await t.developer.POST("/v1/runs/{run_id}/cancel", { params: { path: { run_id: run.id } } }));
    const cancelled = await waitFor("evidence", async () => unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: run.id } } })), (r) => r.evidence !== null, 60_000);
    expect(cancelled.state).toBe("cancelled");
    expect(cancelled.approval?.status).toBe("cancelled");
  });

  it("approve for scope: a later run inside the scope applies without a card; one outside waits for a decision", async () => {
    const t = await tenant("scope");
    const first = await startRun(t, journeyTask(target.url));
    const approval = await approvalOf(t, first.id);
    unwrap(await t.approver.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "approve_scope" } }));
    await waitForRunState(t, first.id, ["completed"]);

    const inside = await startRun(t, journeyTask(target.url));
    const auto = await waitForRunState(t, inside.id, ["completed", "failed"]);
    expect(auto.state).toBe("completed");
    expect(auto.approval).toMatchObject({ status: "approved", decided_via: "scope_grant", mode: "scope" });
    expect(auto.approval?.grant_id).toBeTruthy();

    const outside = await startRun(t, `write notes/other.md: outside the granted scope`);
    const waiting = await waitForRunState(t, outside.id, ["awaiting_approval", "failed"]);
    expect(waiting.state).toBe("awaiting_approval");
    const pending = await approvalOf(t, outside.id);
    expect(pending.status).toBe("pending");
  });

  it("slack: the card goes to the Slack API, a signed click approves it, and forged or replayed callbacks are refused", async () => {
    const posted: { path: string; body: string; auth: string | undefined }[] = [];
    const slack = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        posted.push({ path: request.url ?? "", body: Buffer.concat(chunks).toString("utf8"), auth: request.headers.authorization });
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ ok: true, channel: "C1", ts: "1700000000.000100" }));
      });
    });
    await new Promise<void>((done) => slack.listen(0, "127.0.0.1", done));
    const slackUrl = `http://127.0.0.1:${(slack.address() as { port: number }).port}/api/`;
    try {
      const t = await tenant("slack");
      unwrap(await t.admin.PUT("/v1/secrets/{name}", { params: { path: { name: "slack-bot" } }, body: { value: "xoxb-test", kind: "integration_token" } }));
      unwrap(await t.admin.PUT("/v1/secrets/{name}", { params: { path: { name: "slack-signing" } }, body: { value: "signing-secret", kind: "integration_token" } }));
      unwrap(
        await t.admin.PUT("/v1/approval-settings", {
          body: {
            approver_roles: ["admin", "security"],
            allow_self_approval: false,
            approval_ttl_seconds: 3600,
            scope_grant_ttl_seconds: 3600,
            channels: { slack: { bot_token_secret: "slack-bot", signing_secret_secret: "slack-signing", channel: "C1", api_url: slackUrl } },
          },
        }),
      );
      const before = received("/notify").length;
      const run = await startRun(t, journeyTask(target.url));
      const approval = await approvalOf(t, run.id);
      await waitFor("the Slack card", async () => posted.filter((p) => p.path.endsWith("chat.postMessage")).length, (n) => n > 0, 30_000);
      const card = posted.find((p) => p.path.endsWith("chat.postMessage"))!;
      expect(card.auth).toBe("Bearer xoxb-test");
      expect(card.body).toContain(approval.id);

      const payload = {
        type: "block_actions",
        user: { id: "U1ANN", username: "ann", name: "ann", team_id: "T1" },
        team: { id: "T1", domain: "acme" },
        channel: { id: "C1", name: "approvals" },
        container: { type: "message", message_ts: "1700000000.000100", channel_id: "C1" },
        actions: [{ type: "button", block_id: "clawea_approval", action_id: "clawea_approve_once", value: approval.id, action_ts: "1700000001.1" }],
      };
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const timestamp = String(Math.floor(Date.now() / 1000));
      const sign = (secret: string) => `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      const callback = (signature: string) =>
        fetch(`${platform.url}/v1/channels/slack/interactions`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": timestamp, "x-slack-signature": signature },
          body,
        });

      const forged = await callback(sign("not-the-secret"));
      expect(forged.status).toBe(400);
      expect(((await forged.json()) as { reason_code: string }).reason_code).toBe("CHANNEL_SIGNATURE_INVALID");

      const ok = await callback(sign("signing-secret"));
      expect(ok.status).toBe(200);
      const replay = await callback(sign("signing-secret"));
      expect(replay.status).toBe(409);
      expect(((await replay.json()) as { reason_code: string }).reason_code).toBe("CALLBACK_REPLAYED");

      const done = await waitForRunState(t, run.id, ["completed", "failed"]);
      expect(done.state).toBe("completed");
      expect(done.approval).toMatchObject({ decided_by: "slack:U1ANN", decided_via: "slack" });
      expect(received("/notify").length).toBe(before + 1);
    } finally {
      await new Promise<void>((done) => slack.close(() => done()));
    }
  });

  it("stateless WPC: the run executes in a fresh sandbox of its own, destroyed at its end, and the attestation says so", async () => {
    const t = await tenant("stateless", { stateless: true });
    const run = await startRun(t, journeyTask(target.url));
    const approval = await approvalOf(t, run.id);
    unwrap(await t.approver.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "approve_once" } }));
    const done = await waitFor("evidence", async () => unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: run.id } } })), (r) => r.evidence !== null, 120_000);
    expect(done.state).toBe("completed");
    expect(done.events.some((e) => e.event_type === "sandbox_created" && e.payload["sandbox_id"] === run.id)).toBe(true);
    const exported = (await (await fetch(`${platform.url}/v1/audit/runs/${run.id}/export`, { headers: { authorization: `Bearer ${t.tokens.auditor}` } })).json()) as {
      artifacts: { execution_attestation_envelopes: { payload: { runtime_metadata: Record<string, unknown> } }[] };
    };
    expect(exported.artifacts.execution_attestation_envelopes[0]!.payload.runtime_metadata).toMatchObject({
      stateless: true,
      run_sandbox: { sandbox_id: run.id, fresh: true, persistence: "none", destroyed_when_run_ends: true },
    });
    // Nothing persisted: the run's sandbox is gone, and the agent's own workspace never saw the file.
    await waitFor("the run sandbox to go", async () => existsSync(join(platform.sandboxRoot, run.id)), (exists) => !exists, 30_000);
    const health = unwrap(await t.admin.GET("/v1/agents/{agent_id}/health", { params: { path: { agent_id: t.agentId } } }));
    expect(existsSync(join(platform.sandboxRoot, health.sandbox_id!, "workspace/notes/release-1.0.md"))).toBe(false);
  });
});
