import { eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents } from "@clawea/db";
import { isRevoked, readRunEvents } from "@clawea/runs";
import { unwrap } from "@clawea/sdk";
import { reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";
import { createApprovalsService } from "../approvals/approvals.service.js";
import { runAwaitingApproval, start, tenantWithAgent } from "./runs.test-support.js";

let platform: TestPlatform;
let redis: Redis;
beforeAll(async () => {
  platform = await startTestPlatform();
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
});
afterAll(async () => {
  await redis.quit();
  await platform.close();
});


describe("runs", () => {
  it("start planning with a plan job, the WPC pinned and run_started in the chain", async () => {
    const t = await tenantWithAgent(platform, "runs-start");
    const run = await start(t.developer, t.agentId);
    expect(run).toMatchObject({ state: "planning", phase: "plan", policy_hash: t.policyHash, mission_id: "m-1", approval: null, evidence: null });
    expect(run.events.map((e) => e.event_type)).toEqual(["run_started"]);
    expect(run.events[0]!.payload).toMatchObject({ agent_id: t.agentId, policy_hash_b64u: t.policyHash, mission_id: "m-1" });
    await platform.relay.kick();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const jobs = await platform.queues["clawea-runs"]!.getJobs(["waiting", "delayed", "active"]);
    const job = jobs.find((j) => (j.data as { run_id: string }).run_id === run.id);
    expect(job?.name).toBe("run.plan");
    // The CST travels sealed, never in clear.
    expect(JSON.stringify(job?.data)).not.toMatch(/eyJ/);
  });

  it("refuse agents that are not running, and keys without a starter role", async () => {
    const t = await tenantWithAgent(platform, "runs-refuse");
    const finance = await platform.keyWith(t.admin, ["finance"]);
    expect(await reason(start(finance, t.agentId))).toBe("403 ROLE_NOT_PERMITTED");
    expect(await reason(start(t.auditor, t.agentId))).toBe("403 ROLE_NOT_PERMITTED");
    await platform.database.db.update(agents).set({ status: "sleeping" }).where(eq(agents.id, t.agentId));
    expect(await reason(start(t.developer, t.agentId))).toBe("409 AGENT_NOT_RUNNING");
  });

  it("are invisible to other tenants: 404 on every run, approval and audit route", async () => {
    const a = await tenantWithAgent(platform, "runs-a");
    const b = await tenantWithAgent(platform, "runs-b");
    const run = await start(a.developer, a.agentId);
    const id = { params: { path: { run_id: run.id } } };
    expect(await reason(b.admin.GET("/v1/runs/{run_id}", id).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(b.admin.POST("/v1/runs/{run_id}/cancel", id).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(b.admin.GET("/v1/audit/runs/{run_id}", id).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(b.admin.GET("/v1/audit/runs/{run_id}/summary", id).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(start(b.developer, a.agentId))).toBe("404 NOT_FOUND");
    expect(unwrap(await b.admin.GET("/v1/runs", { params: { query: { limit: 50 } } })).items).toEqual([]);
    expect(unwrap(await b.admin.GET("/v1/audit/runs", { params: { query: { limit: 50 } } })).items).toEqual([]);
  });

  it("stream their events as SSE and end the stream when asked not to follow", async () => {
    const t = await tenantWithAgent(platform, "runs-sse");
    const run = await start(t.developer, t.agentId);
    const response = await fetch(`${platform.url}/v1/runs/${run.id}/events?follow=false`, { headers: { authorization: `Bearer ${t.adminToken}` } });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).toContain("event: run_event");
    expect(text).toContain('"event_type":"run_started"');
    expect(text).toMatch(/event: end\ndata: \{"next_seq":1\}/);
    const resumed = await fetch(`${platform.url}/v1/runs/${run.id}/events?follow=false`, { headers: { authorization: `Bearer ${t.adminToken}`, "last-event-id": "0" } });
    expect(await resumed.text()).not.toContain("run_started");
  });

  it("cancel once: the state moves, the plan CST is revoked at the gateway, a second cancel is 409", async () => {
    const t = await tenantWithAgent(platform, "runs-cancel");
    const run = await start(t.developer, t.agentId);
    const cancelled = unwrap(await t.developer.POST("/v1/runs/{run_id}/cancel", { params: { path: { run_id: run.id } } }));
    expect(cancelled.state).toBe("cancelled");
    const jti = run.events[0]!.payload["plan_cst_jti"] as string;
    expect(await isRevoked({ db: platform.database.db, redis, now: () => new Date() }, jti)).toBe(true);
    expect(await reason(t.developer.POST("/v1/runs/{run_id}/cancel", { params: { path: { run_id: run.id } } }).then(unwrap))).toBe("409 RUN_NOT_ACTIVE");
    expect(await reason(t.auditor.GET("/v1/audit/runs/{run_id}/export", { params: { path: { run_id: run.id }, query: { format: "json" } } }).then(unwrap))).toBe(
      "409 EVIDENCE_NOT_READY",
    );
  });
});

describe("approvals", () => {
  async function awaitingApproval(name: string) {
    const t = await tenantWithAgent(platform, name);
    const { run, approval, service } = await runAwaitingApproval(platform, t);
    expect(await service.requestApproval(t.id, run.id)).toMatchObject({ id: approval.id });
    return { t, run, approval };
  }

  it("approve: signed receipt bound to the chain, apply job, run applying; the settings decide who may approve", async () => {
    const { t, run, approval } = await awaitingApproval("approve");
    expect(await reason(t.auditor.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "approve_once" } }).then(unwrap))).toBe(
      "403 APPROVER_NOT_PERMITTED",
    );
    const decided = unwrap(await t.security.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "approve_once" } }));
    expect(decided).toMatchObject({ status: "approved", mode: "once", decided_via: "api" });
    const receipt = decided.receipt as { envelope_type: string; signer_did: string; payload: { binding: { run_id: string; event_hash_b64u: string }; approval_type: string } };
    expect(receipt).toMatchObject({ envelope_type: "human_approval_receipt", signer_did: platform.signer.did });
    expect(receipt.payload.approval_type).toBe("explicit_approve");
    const events = await readRunEvents(platform.database.db, t.id, run.id);
    expect(events.some((e) => e.event_type === "approval_decided" && e.event_hash_b64u === receipt.payload.binding.event_hash_b64u)).toBe(true);
    const after = unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: run.id } } }));
    expect(after).toMatchObject({ state: "applying", phase: "apply" });
  });

  it("settings: self-approval can be allowed per tenant", async () => {
    const { t, approval } = await awaitingApproval("self");
    unwrap(await t.admin.PUT("/v1/approval-settings", { body: { approver_roles: ["developer"], allow_self_approval: true, approval_ttl_seconds: 600, scope_grant_ttl_seconds: 600, channels: {} } }));
    const decided = unwrap(await t.developer.POST("/v1/approvals/{approval_id}/decision", { params: { path: { approval_id: approval.id } }, body: { decision: "deny" } }));
    expect(decided.status).toBe("denied");
    expect(await reason(t.developer.PUT("/v1/approval-settings", { body: { approver_roles: ["admin"], allow_self_approval: false, approval_ttl_seconds: 600, scope_grant_ttl_seconds: 600, channels: {} } }).then(unwrap))).toBe(
      "403 ROLE_NOT_PERMITTED",
    );
  });
});

describe("approval expiry", () => {
  it("denies the run of an approval nobody decided in time, with a timeout receipt, once", async () => {
    const t = await tenantWithAgent(platform, "expiry");
    const { run, approval } = await runAwaitingApproval(platform, t);
    const later = new Date(Date.parse(approval.expires_at) + 1000);
    const service = createApprovalsService({ db: platform.database.db, keyring: platform.keyring, signer: platform.signer, jobsWritten: () => undefined, now: () => later });
    expect(await service.expireDue()).toBeGreaterThanOrEqual(1);
    const expired = unwrap(await t.auditor.GET("/v1/approvals/{approval_id}", { params: { path: { approval_id: approval.id } } }));
    expect(expired).toMatchObject({ status: "expired", decided_via: "timeout" });
    expect((expired.receipt as { payload: { approval_type: string } }).payload.approval_type).toBe("timeout_deny");
    const after = unwrap(await t.developer.GET("/v1/runs/{run_id}", { params: { path: { run_id: run.id } } }));
    expect(after).toMatchObject({ state: "denied", reason_code: "APPROVAL_EXPIRED" });
    expect(await service.expireDue()).toBe(0);
  });
});
