/**
 * Approvals: one per run whose plan awaits a decision. A plan inside a live "Approve for scope"
 * grant of the same agent and WPC is approved by that grant without a card; otherwise one card goes
 * to every channel the tenant configured, and the first valid decision (API, dashboard, Slack, Teams,
 * GitHub) wins. An approval mints the apply CST pinned to the granted scope hash and the run's WPC
 * hash, and signs a `human_approval_receipt` bound to the run's chain; a denial ends the run with
 * APPROVAL_DENIED and the refused actions, machine-readable, for the agent to adapt to.
 */
import { and, eq, gt, isNull, lte, sql } from "drizzle-orm";
import {
  approvalGrants,
  approvals,
  agents,
  channelDeliveries,
  newId,
  tenantApprovalSettings,
  type Db,
  type Keyring,
  type Tx,
} from "@clawea/db";
import { planWithinScope, scopeOf, type ApprovedScope, type Plan, type ScopeEntry } from "@clawea/policy";
import { signEnvelope, type KeyPair } from "@clawea/protocol";
import { enqueue } from "@clawea/queue";
import { appendRunEvent, moveRun } from "@clawea/runs";
import { ApiError } from "../../http/problem.js";
import { mintRunToken, type RunToken } from "../runs/run-tokens.js";
import { runsRepo, type ApprovalRow, type RunRow } from "../runs/runs.repo.js";
import { newActionId } from "../runs/runs.service.js";
import {
  approverSubject,
  DEFAULT_SETTINGS,
  grantedScope,
  mayDecide,
  refusedActions,
  type ApprovalSettings,
  type Approver,
  type DecisionKind,
} from "./approvals.domain.js";

/** The card a channel renders (the channels package's `ApprovalCard`). */
export interface CardInput {
  approval_id: string;
  run_id: string;
  tenant_id: string;
  agent: { id: string; name: string };
  task: string;
  requested_by: string;
  plan: Plan;
  scope_hash_b64u: string;
  policy_hash_b64u: string;
  expires_at: string;
  scope_grant_ttl_seconds: number;
  dashboard_url?: string;
}

export interface DeliveryResult {
  channel: string;
  ok: boolean;
  external_ref?: unknown;
  reason_code?: string;
}

/** Sends the card to the tenant's configured channels; one channel failing never stops the others. */
export type CardSender = (tenantId: string, card: CardInput, channels: Record<string, unknown>) => Promise<DeliveryResult[]>;

export interface ApprovalsDeps {
  db: Db;
  keyring: Keyring;
  signer: KeyPair;
  jobsWritten: () => void;
  now: () => Date;
  sendCard?: CardSender;
  dashboardUrl?: string;
  phaseTokenTtlSeconds?: number;
}

export interface DecisionInput {
  decision: DecisionKind;
  /** Approve with less than the plan asks: a subset of its side effects. */
  scope?: ScopeEntry[];
  reason?: string;
}

type ScopeView = { scope_hash_b64u: string; side_effects: { kind: string; target: string }[] };

type ApprovalType = "explicit_approve" | "explicit_deny" | "auto_approve" | "timeout_deny";

export function renderApprovalView(row: ApprovalRow) {
  return {
    id: row.id,
    run_id: row.runId,
    agent_id: row.agentId,
    status: row.status,
    plan_hash: row.planHash,
    policy_hash: row.policyHash,
    requested_scope: row.requestedScope as ScopeView,
    granted_scope: (row.grantedScope as ScopeView | null) ?? null,
    mode: row.mode,
    grant_id: row.grantId,
    decided_by: row.decidedBy,
    decided_via: row.decidedVia,
    decided_at: row.decidedAt?.toISOString() ?? null,
    reason: row.reason,
    receipt: (row.receipt as Record<string, unknown> | null) ?? null,
    expires_at: row.expiresAt.toISOString(),
    created_at: row.createdAt.toISOString(),
  };
}
export type ApprovalView = ReturnType<typeof renderApprovalView>;

export async function loadSettings(db: Db | Tx, tenantId: string): Promise<ApprovalSettings> {
  const [row] = await db.select().from(tenantApprovalSettings).where(eq(tenantApprovalSettings.tenantId, tenantId));
  if (!row) return DEFAULT_SETTINGS;
  return {
    approverRoles: row.approverRoles,
    allowSelfApproval: row.allowSelfApproval === 1,
    approvalTtlSeconds: row.approvalTtlSeconds,
    scopeGrantTtlSeconds: row.scopeGrantTtlSeconds,
    channels: row.channels as Record<string, unknown>,
  };
}

export function createApprovalsService(deps: ApprovalsDeps) {
  const { db, now } = deps;
  const ttl = deps.phaseTokenTtlSeconds ?? 1_800;

  async function agentOf(tenantId: string, agentId: string) {
    const [agent] = await db
      .select({ did: agents.did, name: agents.name })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
    if (!agent) throw new ApiError("NOT_FOUND", "agent not found");
    return agent;
  }

  function applyToken(run: RunRow, agentDid: string, scopeHashB64u: string, at: Date): Promise<RunToken> {
    return mintRunToken({
      signer: deps.signer,
      keyring: deps.keyring,
      tenantId: run.tenantId,
      runId: run.id,
      agentDid,
      phase: "apply",
      policyHash: run.policyHash,
      missionId: run.missionId,
      approvedScopeHash: scopeHashB64u,
      ttlSeconds: ttl,
      now: at,
    });
  }

  /**
   * Sends the card to every configured channel that has not had it yet, and records each delivery.
   * Throws when channels failed, so the job is retried (with backoff) for those channels only.
   */
  async function deliver(approval: ApprovalRow, run: RunRow, plan: Plan, settings: ApprovalSettings, agentName: string): Promise<void> {
    if (!deps.sendCard) return;
    const delivered = await db
      .select({ channel: channelDeliveries.channel })
      .from(channelDeliveries)
      .where(and(eq(channelDeliveries.approvalId, approval.id), eq(channelDeliveries.ok, 1)));
    const done = new Set(delivered.map((d) => d.channel));
    const pending = Object.fromEntries(Object.entries(settings.channels).filter(([channel, config]) => config !== undefined && !done.has(channel)));
    if (Object.keys(pending).length === 0) return;
    const requested = approval.requestedScope as ApprovedScope;
    const card: CardInput = {
      approval_id: approval.id,
      run_id: run.id,
      tenant_id: run.tenantId,
      agent: { id: run.agentId, name: agentName },
      task: run.task,
      requested_by: run.requestedByKeyId ?? "unknown",
      plan,
      scope_hash_b64u: requested.scope_hash_b64u,
      policy_hash_b64u: run.policyHash,
      expires_at: approval.expiresAt.toISOString(),
      scope_grant_ttl_seconds: settings.scopeGrantTtlSeconds,
      ...(deps.dashboardUrl ? { dashboard_url: `${deps.dashboardUrl}/runs/${run.id}` } : {}),
    };
    const results = await deps.sendCard(run.tenantId, card, pending);
    for (const result of results) {
      const values = { ok: result.ok ? 1 : 0, externalRef: result.external_ref ?? null, reasonCode: result.reason_code ?? null };
      await db
        .insert(channelDeliveries)
        .values({ approvalId: approval.id, channel: result.channel, tenantId: run.tenantId, ...values })
        .onConflictDoUpdate({ target: [channelDeliveries.approvalId, channelDeliveries.channel], set: values });
    }
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0) throw new ApiError("CHANNEL_DELIVERY_FAILED", failed.map((f) => `${f.channel}: ${f.reason_code}`).join("; "));
  }

  /**
   * Records the decision on `approval` inside `tx` (already locked, still pending), with its chain
   * event, its signed receipt, the run's move and the next job.
   */
  async function record(
    tx: Tx,
    input: {
      run: RunRow;
      approval: ApprovalRow;
      agentDid: string;
      decision: DecisionKind;
      approvalType: ApprovalType;
      subject: string;
      via: string;
      method: "ui_click" | "api_call" | "policy_auto" | "timeout";
      granted: ApprovedScope | null;
      token: RunToken | null;
      grantId?: string;
      reason?: string;
      scopeGrantTtlSeconds: number;
      at: Date;
    },
  ): Promise<ApprovalRow> {
    const { run, approval, granted, token, at } = input;
    const requested = approval.requestedScope as ApprovedScope;
    const approved = input.decision !== "deny" && granted !== null && token !== null;
    const event = await appendRunEvent(tx, {
      tenantId: run.tenantId,
      runId: run.id,
      eventType: "approval_decided",
      actor: input.subject,
      payload: {
        approval_id: approval.id,
        decision: input.decision,
        approval_type: input.approvalType,
        via: input.via,
        plan_hash_b64u: approval.planHash,
        requested_scope_hash_b64u: requested.scope_hash_b64u,
        granted_scope_hash_b64u: approved ? granted.scope_hash_b64u : null,
        ...(approved ? { apply_cst_jti: token.jti } : {}),
        ...(input.grantId ? { grant_id: input.grantId } : {}),
        ...(input.reason ? { reason: input.reason } : {}),
      },
      now: at,
    });
    const receipt = signEnvelope({
      envelopeType: "human_approval_receipt",
      signer: deps.signer,
      issuedAt: at.toISOString(),
      payload: {
        receipt_version: "1",
        receipt_id: `har_${approval.id}`,
        approval_type: input.approvalType,
        approver_subject: input.subject,
        approver_method: input.method,
        agent_did: input.agentDid,
        scope_hash_b64u: approved ? granted.scope_hash_b64u : requested.scope_hash_b64u,
        scope_summary: summarise(approved ? granted : requested),
        policy_hash_b64u: run.policyHash,
        ...(approved ? { minted_capability_id: token.jti, minted_capability_ttl_seconds: ttl } : {}),
        plan_hash_b64u: approval.planHash,
        hash_algorithm: "SHA-256",
        timestamp: at.toISOString(),
        binding: { run_id: run.id, event_hash_b64u: event.event_hash_b64u },
      },
    });
    let grantId = input.grantId ?? null;
    if (approved && input.decision === "approve_scope") {
      grantId = newId("grant");
      await tx.insert(approvalGrants).values({
        id: grantId,
        tenantId: run.tenantId,
        agentId: run.agentId,
        policyHash: run.policyHash,
        scope: granted,
        scopeHash: granted.scope_hash_b64u,
        approvalId: approval.id,
        grantedBy: input.subject,
        expiresAt: new Date(at.getTime() + input.scopeGrantTtlSeconds * 1000),
      });
    }
    const [updated] = await tx
      .update(approvals)
      .set({
        status: approved ? "approved" : "denied",
        mode: approved ? (input.decision === "approve_scope" || input.grantId ? "scope" : "once") : null,
        grantedScope: approved ? granted : null,
        grantedScopeHash: approved ? granted.scope_hash_b64u : null,
        grantId,
        decidedBy: input.subject,
        decidedVia: input.via,
        decidedAt: at,
        reason: input.reason ?? null,
        receipt,
      })
      .where(eq(approvals.id, approval.id))
      .returning();
    if (approved) {
      const refused = refusedActions(requested, granted, "SIDE_EFFECT_NOT_APPROVED");
      const moved = await moveRun(tx, {
        tenantId: run.tenantId,
        runId: run.id,
        to: "applying",
        actor: input.subject,
        now: at,
        patch: { applyJti: token.jti, refused: refused.length > 0 ? refused : null },
        detail: { approval_id: approval.id, granted_scope_hash_b64u: granted.scope_hash_b64u },
      });
      if (!moved) throw new ApiError("RUN_NOT_ACTIVE", "the run is no longer awaiting approval");
      await enqueue(tx, run.tenantId, "run.apply", {
        tenant_id: run.tenantId,
        run_id: run.id,
        action_id: newActionId(),
        requested_at: at.toISOString(),
        cst_sealed: token.sealed,
      });
    } else {
      const reasonCode = input.approvalType === "timeout_deny" ? "APPROVAL_EXPIRED" : "APPROVAL_DENIED";
      const moved = await moveRun(tx, {
        tenantId: run.tenantId,
        runId: run.id,
        to: "denied",
        actor: input.subject,
        now: at,
        patch: { reasonCode, refused: refusedActions(requested, null, reasonCode) },
        detail: { approval_id: approval.id, reason_code: reasonCode },
      });
      if (!moved) throw new ApiError("RUN_NOT_ACTIVE", "the run is no longer awaiting approval");
      await enqueue(tx, run.tenantId, "run.finalize", { tenant_id: run.tenantId, run_id: run.id, action_id: newActionId(), requested_at: at.toISOString() });
    }
    return updated!;
  }

  /** An approval nobody decided in time denies its run (`timeout_deny`, APPROVAL_EXPIRED) with a signed receipt. */
  async function expire(tenantId: string, approvalId: string, run: RunRow, agentDid: string, scopeGrantTtlSeconds: number, at: Date): Promise<void> {
    await db.transaction(async (tx) => {
      const locked = await lockPending(tx, tenantId, approvalId);
      await record(tx, { run, approval: locked, agentDid, decision: "deny", approvalType: "timeout_deny", subject: "control-plane", via: "timeout", method: "timeout", granted: null, token: null, scopeGrantTtlSeconds, at });
      await tx.update(approvals).set({ status: "expired" }).where(eq(approvals.id, approvalId));
    });
    deps.jobsWritten();
  }

  async function lockPending(tx: Tx, tenantId: string, approvalId: string): Promise<ApprovalRow> {
    const locked = await tx.execute<{ id: string }>(sql`select id from approvals where id = ${approvalId} and tenant_id = ${tenantId} for update`);
    if (locked.rows.length === 0) throw new ApiError("NOT_FOUND", "approval not found");
    const [row] = await tx.select().from(approvals).where(eq(approvals.id, approvalId));
    if (row!.status !== "pending") throw new ApiError(row!.status === "expired" ? "APPROVAL_EXPIRED" : "APPROVAL_ALREADY_DECIDED", `the approval is ${row!.status}`, { approval_status: row!.status });
    return row!;
  }

  return {
    /**
     * The plan of `runId` awaits approval: approve it by a standing grant, or open the approval and
     * send its card. Safe to run twice (the job may be retried): an existing approval is kept.
     */
    async requestApproval(tenantId: string, runId: string): Promise<ApprovalView | null> {
      const run = await runsRepo.get(db, tenantId, runId);
      if (!run || run.state !== "awaiting_approval" || !run.plan) return null;
      const existing = await runsRepo.approvalOf(db, tenantId, runId);
      if (existing) {
        // A retried job: the approval exists; cards that did not reach a channel go out again.
        if (existing.status === "pending") {
          const agent = await agentOf(tenantId, run.agentId);
          await deliver(existing, run, run.plan as Plan, await loadSettings(db, tenantId), agent.name);
        }
        return renderApprovalView(existing);
      }
      const plan = run.plan as Plan;
      const requested = scopeOf(plan);
      const settings = await loadSettings(db, tenantId);
      const agent = await agentOf(tenantId, run.agentId);
      const at = now();
      const grants = await db
        .select()
        .from(approvalGrants)
        .where(
          and(
            eq(approvalGrants.tenantId, tenantId),
            eq(approvalGrants.agentId, run.agentId),
            eq(approvalGrants.policyHash, run.policyHash),
            gt(approvalGrants.expiresAt, at),
            isNull(approvalGrants.revokedAt),
          ),
        );
      const grant = grants.find((g) => planWithinScope(plan, g.scope as ApprovedScope).within);
      const approvalId = newId("approval");
      const base = {
        id: approvalId,
        tenantId,
        runId,
        agentId: run.agentId,
        status: "pending" as const,
        planHash: run.planHash!,
        policyHash: run.policyHash,
        requestedScope: requested,
        requestedByKeyId: run.requestedByKeyId,
        expiresAt: new Date(at.getTime() + settings.approvalTtlSeconds * 1000),
        createdAt: at,
      };
      if (grant) {
        // The grant approves what the plan asks (it lies inside the grant); the receipt names the
        // person who granted the scope, with the policy as the method.
        const token = await applyToken(run, agent.did, requested.scope_hash_b64u, at);
        const row = await db.transaction(async (tx) => {
          const [created] = await tx.insert(approvals).values(base).onConflictDoNothing().returning();
          if (!created) return null;
          return record(tx, {
            run,
            approval: created,
            agentDid: agent.did,
            decision: "approve_once",
            approvalType: "auto_approve",
            subject: grant.grantedBy,
            via: "scope_grant",
            method: "policy_auto",
            granted: requested,
            token,
            grantId: grant.id,
            scopeGrantTtlSeconds: settings.scopeGrantTtlSeconds,
            at,
          });
        });
        deps.jobsWritten();
        return row ? renderApprovalView(row) : renderApprovalView((await runsRepo.approvalOf(db, tenantId, runId))!);
      }
      const created = await db.transaction(async (tx) => {
        const [row] = await tx.insert(approvals).values(base).onConflictDoNothing().returning();
        if (!row) return null;
        await appendRunEvent(tx, {
          tenantId,
          runId,
          eventType: "approval_requested",
          actor: "control-plane",
          payload: { approval_id: approvalId, plan_hash_b64u: run.planHash, scope_hash_b64u: requested.scope_hash_b64u, expires_at: base.expiresAt.toISOString() },
          now: at,
        });
        return row;
      });
      if (!created) return renderApprovalView((await runsRepo.approvalOf(db, tenantId, runId))!);
      await deliver(created, run, plan, settings, agent.name);
      return renderApprovalView(created);
    },

    async decide(tenantId: string, approvalId: string, input: DecisionInput, approver: Approver): Promise<ApprovalView> {
      const at = now();
      const [current] = await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.tenantId, tenantId), eq(approvals.id, approvalId)));
      if (!current) throw new ApiError("NOT_FOUND", "approval not found");
      if (current.status !== "pending") throw new ApiError(current.status === "expired" ? "APPROVAL_EXPIRED" : "APPROVAL_ALREADY_DECIDED", `the approval is ${current.status}`, { approval_status: current.status });
      const settings = await loadSettings(db, tenantId);
      const allowed = mayDecide(approver, current.requestedByKeyId, settings);
      if (!allowed.ok) throw new ApiError("APPROVER_NOT_PERMITTED", allowed.detail);
      const run = await runsRepo.get(db, tenantId, current.runId);
      if (!run) throw new ApiError("NOT_FOUND", "run not found");
      const agent = await agentOf(tenantId, run.agentId);
      const subject = approverSubject(approver);
      const via = approver.kind === "key" ? approver.via : approver.channel;
      const method = approver.kind === "key" && approver.via === "api" ? "api_call" : "ui_click";

      if (current.expiresAt <= at) {
        await expire(tenantId, approvalId, run, agent.did, settings.scopeGrantTtlSeconds, at);
        throw new ApiError("APPROVAL_EXPIRED", "the approval expired before this decision; the run is denied");
      }

      let granted: ApprovedScope | null = null;
      let token: RunToken | null = null;
      if (input.decision !== "deny") {
        granted = grantedScope(current.requestedScope as ApprovedScope, input.scope);
        if (!granted) throw new ApiError("APPROVAL_SCOPE_INVALID", "scope must list only side effects the plan intends");
        token = await applyToken(run, agent.did, granted.scope_hash_b64u, at);
      }
      const row = await db.transaction(async (tx) => {
        const locked = await lockPending(tx, tenantId, approvalId);
        return record(tx, {
          run,
          approval: locked,
          agentDid: agent.did,
          decision: input.decision,
          approvalType: input.decision === "deny" ? "explicit_deny" : "explicit_approve",
          subject,
          via,
          method,
          granted,
          token,
          ...(input.reason ? { reason: input.reason } : {}),
          scopeGrantTtlSeconds: settings.scopeGrantTtlSeconds,
          at,
        });
      });
      deps.jobsWritten();
      return renderApprovalView(row);
    },

    async get(tenantId: string, approvalId: string): Promise<ApprovalView> {
      const [row] = await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.tenantId, tenantId), eq(approvals.id, approvalId)));
      if (!row) throw new ApiError("NOT_FOUND", "approval not found");
      return renderApprovalView(row);
    },

    async list(tenantId: string, status: string | undefined, limit: number): Promise<ApprovalView[]> {
      const rows = await db
        .select()
        .from(approvals)
        .where(and(eq(approvals.tenantId, tenantId), ...(status ? [eq(approvals.status, status as never)] : [])))
        .orderBy(sql`${approvals.id} desc`)
        .limit(limit);
      return rows.map(renderApprovalView);
    },

    /** Expires every pending approval past its deadline (all tenants); returns how many. Safe to run from several replicas. */
    async expireDue(limit = 100): Promise<number> {
      const at = now();
      const due = await db
        .select({ id: approvals.id, tenantId: approvals.tenantId, runId: approvals.runId })
        .from(approvals)
        .where(and(eq(approvals.status, "pending"), lte(approvals.expiresAt, at)))
        .limit(limit);
      let expired = 0;
      for (const row of due) {
        const run = await runsRepo.get(db, row.tenantId, row.runId);
        if (!run) continue;
        const agent = await agentOf(row.tenantId, run.agentId);
        const settings = await loadSettings(db, row.tenantId);
        try {
          await expire(row.tenantId, row.id, run, agent.did, settings.scopeGrantTtlSeconds, at);
          expired++;
        } catch (error) {
          // Decided or expired by someone else meanwhile: nothing to do.
          if (!(error instanceof ApiError)) throw error;
        }
      }
      return expired;
    },

    /** The tenant (and approval) a channel callback names, before its signature is checked with that tenant's secret. */
    async locate(approvalId: string): Promise<{ tenantId: string } | null> {
      const [row] = await db.select({ tenantId: approvals.tenantId }).from(approvals).where(eq(approvals.id, approvalId));
      return row ?? null;
    },
  };
}
export type ApprovalsService = ReturnType<typeof createApprovalsService>;

function summarise(scope: ApprovedScope): string {
  const text = scope.side_effects.map((e) => `${e.kind} ${e.target}`).join("; ");
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text || "no side effects";
}
