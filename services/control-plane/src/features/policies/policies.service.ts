/**
 * The WPC registry (immutable, content-addressed documents), the tenant's default policy, and which
 * policy each agent has had when. An assignment reaches the live agent through an outbox job written
 * in the same transaction, so it is never advisory.
 */
import { newId, type Db } from "@clawea/db";
import { enqueue } from "@clawea/queue";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, toPage } from "../../http/pagination.js";
import { renderTenant } from "../tenants/tenants.service.js";
import { checkWpc } from "./policies.domain.js";
import { policiesRepo, type AssignmentRow, type PolicyPosition, type PolicyRow } from "./policies.repo.js";

export interface PoliciesDeps {
  db: Db;
  now: () => Date;
  /** Called after a commit that wrote outbox jobs. */
  jobsWritten: () => void;
}

function renderSummary(row: { hash: string; policyVersion: string; policyId: string; name: string | null; createdAt: Date; createdByKeyId: string | null }) {
  return {
    hash: row.hash,
    policy_version: row.policyVersion,
    policy_id: row.policyId,
    name: row.name,
    created_at: row.createdAt.toISOString(),
    created_by_key_id: row.createdByKeyId,
  };
}

function renderPolicy(row: PolicyRow) {
  const document = row.document as Record<string, unknown>;
  return { ...renderSummary({ ...row, policyId: String(document["policy_id"]) }), document };
}

function renderAssignment(row: AssignmentRow) {
  return {
    id: row.id,
    agent_id: row.agentId,
    policy_hash: row.policyHash,
    policy_id: row.policyId,
    policy_name: row.policyName,
    effective_from: row.effectiveFrom.toISOString(),
    effective_to: row.effectiveTo?.toISOString() ?? null,
    assigned_by_key_id: row.assignedByKeyId,
  };
}

const POSITION_RE = /^(\d{1,18})\.([A-Za-z0-9_-]{43})$/;

function decodePosition(cursor: string | undefined): PolicyPosition | null {
  const key = decodeCursor(cursor);
  if (key === null) return null;
  const match = POSITION_RE.exec(key);
  if (!match) throw new ApiError("VALIDATION_FAILED", "cursor is not one this API issued");
  return { createdUs: match[1]!, hash: match[2]! };
}

export function createPoliciesService({ db, now, jobsWritten }: PoliciesDeps) {
  async function requireAgent(tenantId: string, agentId: string): Promise<void> {
    if (!(await policiesRepo.agentExists(db, tenantId, agentId))) throw new ApiError("NOT_FOUND", "agent not found");
  }

  return {
    /** Same document, same hash, same row: a repeat returns the stored policy with `created: false`. */
    async createPolicy(tenantId: string, input: { document: Record<string, unknown>; name?: string }, keyId: string) {
      const check = checkWpc(input.document);
      if (!check.ok) throw new ApiError(check.code, `the document is not a valid WPC: ${check.errors[0]?.path || "/"} ${check.errors[0]?.message ?? ""}`, { errors: check.errors });
      const created = await policiesRepo.insertPolicy(db, {
        tenantId,
        hash: check.hash,
        policyVersion: check.policyVersion,
        name: input.name ?? null,
        document: input.document,
        createdByKeyId: keyId,
      });
      if (created) return { created: true, policy: renderPolicy(created) };
      const existing = await policiesRepo.getPolicy(db, tenantId, check.hash);
      if (!existing) throw new ApiError("INTERNAL_ERROR", "policy vanished after a conflicting insert");
      return { created: false, policy: renderPolicy(existing) };
    },

    async getPolicy(tenantId: string, hash: string) {
      const row = await policiesRepo.getPolicy(db, tenantId, hash);
      if (!row) throw new ApiError("NOT_FOUND", "policy not found");
      return renderPolicy(row);
    },

    async listPolicies(tenantId: string, limit: number, cursor: string | undefined) {
      const rows = await policiesRepo.listPolicies(db, tenantId, limit + 1, decodePosition(cursor));
      return toPage(rows, limit, (row) => `${row.createdUs}.${row.hash}`, renderSummary);
    },

    async setDefaultPolicy(tenantId: string, hash: string | null) {
      if (hash !== null && !(await policiesRepo.policyExists(db, tenantId, hash))) {
        throw new ApiError("REFERENCE_NOT_FOUND", "no policy with that hash in this tenant's registry");
      }
      const row = await policiesRepo.setDefaultPolicy(db, tenantId, hash);
      if (!row) throw new ApiError("NOT_FOUND", "tenant not found");
      return renderTenant(row);
    },

    /** Closes the open span, opens a new one and writes `agent.policy_update`, all in one transaction. */
    async assignPolicy(tenantId: string, agentId: string, hash: string, keyId: string) {
      const outcome = await db.transaction(async (tx) => {
        const agent = await policiesRepo.lockAgent(tx, tenantId, agentId);
        if (!agent) throw new ApiError("NOT_FOUND", "agent not found");
        if (agent.status === "destroyed") throw new ApiError("ILLEGAL_TRANSITION", "a destroyed agent takes no policy");
        if (!(await policiesRepo.policyExists(tx, tenantId, hash))) throw new ApiError("REFERENCE_NOT_FOUND", "no policy with that hash in this tenant's registry");
        const open = await policiesRepo.openAssignment(tx, tenantId, agentId);
        if (open && open.policyHash === hash && agent.policyHash === hash) return { id: open.id, jobWritten: false };
        const at = now();
        const id = newId("policyAssignment");
        await policiesRepo.closeOpenAssignment(tx, tenantId, agentId, at);
        await policiesRepo.insertAssignment(tx, { id, tenantId, agentId, policyHash: hash, effectiveFrom: at, effectiveTo: null, assignedByKeyId: keyId });
        await policiesRepo.setAgentPolicy(tx, tenantId, agentId, hash, at);
        await enqueue(tx, tenantId, "agent.policy_update", {
          tenant_id: tenantId,
          agent_id: agentId,
          action_id: id,
          requested_at: at.toISOString(),
          policy_hash: hash,
        });
        return { id, jobWritten: true };
      });
      if (outcome.jobWritten) jobsWritten();
      const row = await policiesRepo.getAssignment(db, tenantId, outcome.id);
      if (!row) throw new ApiError("INTERNAL_ERROR", "assignment vanished after commit");
      return renderAssignment(row);
    },

    /** Newest first; with `at`, only the span in force at that instant (the WPC a run at that time ran under). */
    async policyHistory(tenantId: string, agentId: string, query: { limit: number; cursor?: string; at?: string }) {
      await requireAgent(tenantId, agentId);
      if (query.at !== undefined) {
        const row = await policiesRepo.assignmentAt(db, tenantId, agentId, new Date(query.at));
        return { items: row ? [renderAssignment(row)] : [], next_cursor: null };
      }
      const rows = await policiesRepo.listAssignments(db, tenantId, agentId, query.limit + 1, decodeCursor(query.cursor));
      return toPage(rows, query.limit, (row) => row.id, renderAssignment);
    },
  };
}
