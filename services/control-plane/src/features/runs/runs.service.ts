/**
 * Runs: start (phase A is always allowed), read, follow, cancel. A run is judged under the WPC in
 * force on its agent when it starts; that hash is pinned on the run, in its CSTs and in its evidence.
 * The control plane only decides and records: the data plane runs the phases (`run.plan`,
 * `run.apply`) and the gateway enforces them.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Redis } from "ioredis";
import { agents, approvals, newId, runs, type Db, type Keyring } from "@clawea/db";
import { sha256B64u, utf8, type KeyPair } from "@clawea/protocol";
import { enqueue } from "@clawea/queue";
import { appendRunEvent, isTerminal, moveRun, readRunEvents, revokeCst, type AppendedEvent } from "@clawea/runs";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, toPage } from "../../http/pagination.js";
import { mintRunToken } from "./run-tokens.js";
import { runsRepo, type ApprovalRow, type RunFilter, type RunRow } from "./runs.repo.js";
import type { CreateRun, Run } from "./runs.schemas.js";

export interface RunsDeps {
  db: Db;
  keyring: Keyring;
  /** The control plane's key: issuer of run CSTs. */
  signer: KeyPair;
  redis: Redis;
  jobsWritten: () => void;
  now: () => Date;
  /** Lifetime of a phase's CST. */
  phaseTokenTtlSeconds?: number;
}

export const newActionId = (): string => `act_${randomUUID().replaceAll("-", "")}`;

export function renderEvent(event: AppendedEvent) {
  return {
    seq: event.seq,
    event_id: event.event_id,
    event_type: event.event_type,
    timestamp: event.timestamp,
    actor: event.actor,
    payload: event.payload,
    payload_hash_b64u: event.payload_hash_b64u,
    prev_hash_b64u: event.prev_hash_b64u,
    event_hash_b64u: event.event_hash_b64u,
  };
}

function renderApproval(row: ApprovalRow | null): Run["approval"] {
  if (!row) return null;
  return {
    id: row.id,
    status: row.status,
    mode: row.mode,
    decided_by: row.decidedBy,
    decided_via: row.decidedVia,
    decided_at: row.decidedAt?.toISOString() ?? null,
    expires_at: row.expiresAt.toISOString(),
    granted_scope_hash: row.grantedScopeHash,
    grant_id: row.grantId,
    reason: row.reason,
  };
}

export function renderRun(row: RunRow, approval: ApprovalRow | null, events: AppendedEvent[]): Run {
  return {
    id: row.id,
    agent_id: row.agentId,
    state: row.state,
    phase: row.phase,
    task: row.task,
    mission_id: row.missionId,
    inputs: row.inputs as Record<string, unknown>,
    policy_hash: row.policyHash,
    plan: (row.plan as Record<string, unknown> | null) ?? null,
    plan_hash: row.planHash,
    scope_hash: row.scopeHash,
    reason_code: row.reasonCode,
    refused: (row.refused as Run["refused"]) ?? null,
    approval: renderApproval(approval),
    evidence: (row.evidence as Record<string, unknown> | null) ?? null,
    events: events.map(renderEvent),
    links: {
      self: `/v1/runs/${row.id}`,
      events: `/v1/runs/${row.id}/events`,
      audit: `/v1/audit/runs/${row.id}`,
      export: `/v1/audit/runs/${row.id}/export`,
    },
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    completed_at: row.completedAt?.toISOString() ?? null,
  };
}

export function createRunsService(deps: RunsDeps) {
  const { db, now } = deps;
  const ttl = deps.phaseTokenTtlSeconds ?? 1_800;

  async function getRow(tenantId: string, runId: string): Promise<RunRow> {
    const row = await runsRepo.get(db, tenantId, runId);
    if (!row) throw new ApiError("NOT_FOUND", "run not found");
    return row;
  }

  return {
    async start(tenantId: string, agentId: string, input: CreateRun, keyId: string): Promise<Run> {
      const [agent] = await db
        .select({ id: agents.id, did: agents.did, status: agents.status, policyHash: agents.policyHash })
        .from(agents)
        .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
      if (!agent) throw new ApiError("NOT_FOUND", "agent not found");
      if (agent.status !== "running") throw new ApiError("AGENT_NOT_RUNNING", `the agent is ${agent.status}; wake or deploy it first`);
      if (!agent.policyHash) throw new ApiError("POLICY_NOT_ASSIGNED", "the agent has no WPC: assign one before starting runs");
      const runId = newId("run");
      const at = now();
      // Signing stays out of the transaction.
      const token = await mintRunToken({
        signer: deps.signer,
        keyring: deps.keyring,
        tenantId,
        runId,
        agentDid: agent.did,
        phase: "plan",
        policyHash: agent.policyHash,
        missionId: input.mission_id ?? null,
        ttlSeconds: ttl,
        now: at,
      });
      const policyHash = agent.policyHash;
      await db.transaction(async (tx) => {
        await tx.insert(runs).values({
          id: runId,
          tenantId,
          agentId,
          task: input.task,
          missionId: input.mission_id ?? null,
          inputs: input.inputs ?? {},
          state: "planning",
          phase: "plan",
          policyHash,
          requestedByKeyId: keyId,
          createdAt: at,
          updatedAt: at,
        });
        await appendRunEvent(tx, {
          tenantId,
          runId,
          eventType: "run_started",
          actor: `key:${keyId}`,
          payload: {
            agent_id: agentId,
            agent_did: agent.did,
            policy_hash_b64u: policyHash,
            mission_id: input.mission_id ?? null,
            task_sha256_b64u: sha256B64u(utf8(input.task)),
            plan_cst_jti: token.jti,
          },
          now: at,
        });
        await enqueue(tx, tenantId, "run.plan", { tenant_id: tenantId, run_id: runId, action_id: newActionId(), requested_at: at.toISOString(), cst_sealed: token.sealed });
      });
      deps.jobsWritten();
      return this.get(tenantId, runId);
    },

    async get(tenantId: string, runId: string): Promise<Run> {
      const row = await getRow(tenantId, runId);
      const [approval, events] = await Promise.all([runsRepo.approvalOf(db, tenantId, runId), readRunEvents(db, tenantId, runId)]);
      return renderRun(row, approval, events);
    },

    async list(tenantId: string, filter: RunFilter, limit: number, cursor: string | undefined) {
      const rows = await runsRepo.list(db, tenantId, filter, limit + 1, decodeCursor(cursor));
      return toPage(rows, limit, (row) => row.id, (row) => ({
        id: row.id,
        agent_id: row.agentId,
        state: row.state,
        mission_id: row.missionId,
        policy_hash: row.policyHash,
        plan_hash: row.planHash,
        reason_code: row.reasonCode,
        created_at: row.createdAt.toISOString(),
        completed_at: row.completedAt?.toISOString() ?? null,
      }));
    },

    /** Events from `fromSeq`, and whether the run is over (a follower stops once it has them all). */
    async eventsFrom(tenantId: string, runId: string, fromSeq: number): Promise<{ events: AppendedEvent[]; terminal: boolean }> {
      const row = await getRow(tenantId, runId);
      const events = await readRunEvents(db, tenantId, runId, fromSeq);
      // Evidence is written after the terminal state: a follower waits for it before it stops.
      return { events, terminal: isTerminal(row.state) && row.evidence !== null };
    },

    async cancel(tenantId: string, runId: string, keyId: string): Promise<Run> {
      const at = now();
      const moved = await db.transaction(async (tx) => {
        const row = await moveRun(tx, { tenantId, runId, to: "cancelled", actor: `key:${keyId}`, now: at });
        if (!row) return null;
        await tx
          .update(approvals)
          .set({ status: "cancelled" })
          .where(and(eq(approvals.tenantId, tenantId), eq(approvals.runId, runId), eq(approvals.status, "pending")));
        await enqueue(tx, tenantId, "run.finalize", { tenant_id: tenantId, run_id: runId, action_id: newActionId(), requested_at: at.toISOString() });
        return row;
      });
      if (!moved) {
        const row = await getRow(tenantId, runId);
        throw new ApiError("RUN_NOT_ACTIVE", `the run is ${row.state}`, { state: row.state });
      }
      deps.jobsWritten();
      // Whatever token the run holds stops working at the gateway now.
      const events = await readRunEvents(db, tenantId, runId);
      for (const event of events) {
        for (const key of ["plan_cst_jti", "apply_cst_jti"]) {
          const jti = event.payload[key];
          if (typeof jti === "string") await revokeCst({ db, redis: deps.redis, now }, { jti, tenantId, expiresAt: new Date(at.getTime() + ttl * 1000), reason: "run cancelled" });
        }
      }
      return this.get(tenantId, runId);
    },
  };
}
export type RunsService = ReturnType<typeof createRunsService>;
