import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrap } from "@clawea/sdk";
import { raw, startTestPlatform, type TestPlatform } from "../../app.test-support.js";
import { runAwaitingApproval, tenantWithAgent } from "../runs/runs.test-support.js";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const TEAMS_KEY = Buffer.from("teams-relay-shared-key-0123456789").toString("base64");
const GITHUB_SECRET = "github webhook secret";

async function tenantWithChannels(name: string) {
  const t = await tenantWithAgent(platform, name);
  const secret = (n: string, value: string) => t.admin.PUT("/v1/secrets/{name}", { params: { path: { name: n } }, body: { value, kind: "integration_token" } }).then(unwrap);
  await secret("teams-hook", "http://127.0.0.1:9/unused");
  await secret("teams-hmac", TEAMS_KEY);
  await secret("gh-token", "ghs_unused");
  await secret("gh-hook", GITHUB_SECRET);
  unwrap(
    await t.admin.PUT("/v1/approval-settings", {
      body: {
        approver_roles: ["admin", "security"],
        allow_self_approval: false,
        approval_ttl_seconds: 3600,
        scope_grant_ttl_seconds: 3600,
        channels: {
          teams: { webhook_url_secret: "teams-hook", hmac_secret_secret: "teams-hmac" },
          github: { token_secret: "gh-token", webhook_secret_secret: "gh-hook", owner: "acme", repo: "sdk" },
        },
      },
    }),
  );
  return t;
}

function teamsBody(approvalId: string, decision: string): string {
  return JSON.stringify({
    type: "message",
    id: randomUUID(),
    timestamp: new Date().toISOString(),
    from: { id: "29:ann", name: "Ann" },
    conversation: { id: "19:approvals@thread.tacv2", tenantId: "tid" },
    value: { clawea_approval_id: approvalId, decision },
  });
}

const teamsAuth = (body: string, key = TEAMS_KEY) => `HMAC ${createHmac("sha256", Buffer.from(key, "base64")).update(body).digest("base64")}`;

function githubBody(approvalId: string, identifier: string): string {
  return JSON.stringify({
    action: "requested_action",
    check_run: { id: 7, name: "clawea approval", external_id: approvalId, head_sha: "a".repeat(40), status: "completed", conclusion: "action_required" },
    requested_action: { identifier },
    repository: { id: 1, full_name: "acme/sdk" },
    installation: { id: 42 },
    sender: { login: "octocat", id: 1 },
  });
}

const githubHeaders = (body: string, delivery: string, secret = GITHUB_SECRET) => ({
  "content-type": "application/json",
  "x-github-event": "check_run",
  "x-github-delivery": delivery,
  "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`,
});

describe("channel callbacks", () => {
  it("teams: a signed Deny decides the approval once; a wrong key and a replay are refused", async () => {
    const t = await tenantWithChannels("teams");
    const { run, approval } = await runAwaitingApproval(platform, t);
    const body = teamsBody(approval.id, "deny");
    const forged = await raw(platform.url, "POST", "/v1/channels/teams/callback", { body, headers: { authorization: teamsAuth(body, Buffer.from("wrong-key").toString("base64")) } });
    expect(forged.status).toBe(400);
    expect(forged.body?.reason_code).toBe("CHANNEL_SIGNATURE_INVALID");
    const ok = await raw(platform.url, "POST", "/v1/channels/teams/callback", { body, headers: { authorization: teamsAuth(body) } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ approval_id: approval.id, status: "denied", run_id: run.id });
    const replay = await raw(platform.url, "POST", "/v1/channels/teams/callback", { body, headers: { authorization: teamsAuth(body) } });
    expect(replay.body?.reason_code).toBe("CALLBACK_REPLAYED");
    const decided = unwrap(await t.auditor.GET("/v1/approvals/{approval_id}", { params: { path: { approval_id: approval.id } } }));
    expect(decided).toMatchObject({ status: "denied", decided_by: "teams:29:ann", decided_via: "teams" });
  });

  it("github: a signed requested_action approves for scope; a second delivery of another click is refused as already decided", async () => {
    const t = await tenantWithChannels("github");
    const { approval } = await runAwaitingApproval(platform, t);
    const body = githubBody(approval.id, "approve_scope");
    const tampered = body.replace("octocat", "mallory");
    const bad = await raw(platform.url, "POST", "/v1/channels/github/webhook", { body: tampered, headers: githubHeaders(body, randomUUID()) });
    expect(bad.body?.reason_code).toBe("CHANNEL_SIGNATURE_INVALID");
    const ok = await raw(platform.url, "POST", "/v1/channels/github/webhook", { body, headers: githubHeaders(body, randomUUID()) });
    expect(ok.status).toBe(200);
    expect(ok.body?.status).toBe("approved");
    const later = githubBody(approval.id, "deny");
    const again = await raw(platform.url, "POST", "/v1/channels/github/webhook", { body: later, headers: githubHeaders(later, randomUUID()) });
    expect(again.status).toBe(409);
    expect(again.body?.reason_code).toBe("APPROVAL_ALREADY_DECIDED");
    const decided = unwrap(await t.auditor.GET("/v1/approvals/{approval_id}", { params: { path: { approval_id: approval.id } } }));
    expect(decided).toMatchObject({ status: "approved", mode: "scope", decided_by: "github:octocat" });
  });

  it("answer 404 for an approval that does not exist and 202 for what is not a button press", async () => {
    const body = teamsBody("apr_00000000000000000000000000000000", "deny");
    expect((await raw(platform.url, "POST", "/v1/channels/teams/callback", { body, headers: { authorization: teamsAuth(body) } })).status).toBe(404);
    const ping = JSON.stringify({ zen: "Keep it logically awesome." });
    expect((await raw(platform.url, "POST", "/v1/channels/github/webhook", { body: ping, headers: githubHeaders(ping, randomUUID()) })).status).toBe(202);
  });

  it("refuse a tenant without a configured channel", async () => {
    const t = await tenantWithAgent(platform, "no-channels");
    const { approval } = await runAwaitingApproval(platform, t);
    const body = teamsBody(approval.id, "deny");
    const refused = await raw(platform.url, "POST", "/v1/channels/teams/callback", { body, headers: { authorization: teamsAuth(body) } });
    expect(refused.body?.reason_code).toBe("CHANNEL_NOT_CONFIGURED");
  });
});
