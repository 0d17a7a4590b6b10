/** Policy registry rows, the tenant's default, and agents' policy history. Every read is scoped by tenant. */
import { and, desc, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import { agentPolicyHistory, agents, policies, tenants, type Executor } from "@clawea/db";

export type PolicyRow = typeof policies.$inferSelect;
export type AssignmentRow = typeof agentPolicyHistory.$inferSelect & { policyId: string | null; policyName: string | null };

/** Keyset position in the newest-first policy list: creation time in epoch microseconds (a Date keeps only ms), then hash. */
export interface PolicyPosition {
  createdUs: string;
  hash: string;
}

const summaryColumns = {
  hash: policies.hash,
  policyVersion: policies.policyVersion,
  name: policies.name,
  createdAt: policies.createdAt,
  createdByKeyId: policies.createdByKeyId,
  policyId: sql<string>`${policies.document} ->> 'policy_id'`,
  createdUs: sql<string>`(extract(epoch from ${policies.createdAt}) * 1000000)::bigint::text`,
};

const assignmentColumns = {
  id: agentPolicyHistory.id,
  tenantId: agentPolicyHistory.tenantId,
  agentId: agentPolicyHistory.agentId,
  policyHash: agentPolicyHistory.policyHash,
  effectiveFrom: agentPolicyHistory.effectiveFrom,
  effectiveTo: agentPolicyHistory.effectiveTo,
  assignedByKeyId: agentPolicyHistory.assignedByKeyId,
  policyId: sql<string | null>`${policies.document} ->> 'policy_id'`,
  policyName: policies.name,
};

function joinPolicy() {
  return and(eq(policies.tenantId, agentPolicyHistory.tenantId), eq(policies.hash, agentPolicyHistory.policyHash));
}

export const policiesRepo = {
  /** Inserts the policy unless the tenant already holds that hash; returns the new row, or undefined when it existed. */
  async insertPolicy(ex: Executor, row: typeof policies.$inferInsert): Promise<PolicyRow | undefined> {
    const [created] = await ex.insert(policies).values(row).onConflictDoNothing({ target: [policies.tenantId, policies.hash] }).returning();
    return created;
  },

  async getPolicy(ex: Executor, tenantId: string, hash: string): Promise<PolicyRow | undefined> {
    const [row] = await ex.select().from(policies).where(and(eq(policies.tenantId, tenantId), eq(policies.hash, hash)));
    return row;
  },

  async policyExists(ex: Executor, tenantId: string, hash: string): Promise<boolean> {
    const [row] = await ex
      .select({ hash: policies.hash })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.hash, hash)));
    return row !== undefined;
  },

  async listPolicies(ex: Executor, tenantId: string, limit: number, after: PolicyPosition | null) {
    return ex
      .select(summaryColumns)
      .from(policies)
      .where(
        and(
          eq(policies.tenantId, tenantId),
          after ? sql`(${policies.createdAt}, ${policies.hash}) < (timestamptz 'epoch' + ${after.createdUs}::bigint * interval '1 microsecond', ${after.hash})` : undefined,
        ),
      )
      .orderBy(desc(policies.createdAt), desc(policies.hash))
      .limit(limit);
  },

  async setDefaultPolicy(ex: Executor, tenantId: string, hash: string | null) {
    const [row] = await ex.update(tenants).set({ defaultPolicyHash: hash }).where(eq(tenants.id, tenantId)).returning();
    return row;
  },

  /** The agent, locked until the transaction ends, so that two assignments to one agent serialise. */
  async lockAgent(ex: Executor, tenantId: string, agentId: string) {
    const [row] = await ex
      .select({ id: agents.id, status: agents.status, policyHash: agents.policyHash })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)))
      .for("update");
    return row;
  },

  async agentExists(ex: Executor, tenantId: string, agentId: string): Promise<boolean> {
    const [row] = await ex
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
    return row !== undefined;
  },

  async setAgentPolicy(ex: Executor, tenantId: string, agentId: string, hash: string, at: Date): Promise<void> {
    await ex
      .update(agents)
      .set({ policyHash: hash, updatedAt: at })
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
  },

  async closeOpenAssignment(ex: Executor, tenantId: string, agentId: string, at: Date): Promise<void> {
    await ex
      .update(agentPolicyHistory)
      .set({ effectiveTo: at })
      .where(and(eq(agentPolicyHistory.tenantId, tenantId), eq(agentPolicyHistory.agentId, agentId), isNull(agentPolicyHistory.effectiveTo)));
  },

  async insertAssignment(ex: Executor, row: typeof agentPolicyHistory.$inferInsert): Promise<void> {
    await ex.insert(agentPolicyHistory).values(row);
  },

  async getAssignment(ex: Executor, tenantId: string, id: string): Promise<AssignmentRow | undefined> {
    const [row] = await ex
      .select(assignmentColumns)
      .from(agentPolicyHistory)
      .leftJoin(policies, joinPolicy())
      .where(and(eq(agentPolicyHistory.tenantId, tenantId), eq(agentPolicyHistory.id, id)));
    return row;
  },

  async openAssignment(ex: Executor, tenantId: string, agentId: string): Promise<AssignmentRow | undefined> {
    const [row] = await ex
      .select(assignmentColumns)
      .from(agentPolicyHistory)
      .leftJoin(policies, joinPolicy())
      .where(and(eq(agentPolicyHistory.tenantId, tenantId), eq(agentPolicyHistory.agentId, agentId), isNull(agentPolicyHistory.effectiveTo)))
      .orderBy(desc(agentPolicyHistory.id))
      .limit(1);
    return row;
  },

  /** Newest first; ids are time-ordered, so the cursor is the last id seen. */
  async listAssignments(ex: Executor, tenantId: string, agentId: string, limit: number, before: string | null): Promise<AssignmentRow[]> {
    return ex
      .select(assignmentColumns)
      .from(agentPolicyHistory)
      .leftJoin(policies, joinPolicy())
      .where(and(eq(agentPolicyHistory.tenantId, tenantId), eq(agentPolicyHistory.agentId, agentId), before ? lt(agentPolicyHistory.id, before) : undefined))
      .orderBy(desc(agentPolicyHistory.id))
      .limit(limit);
  },

  /** The assignment whose span [effective_from, effective_to) holds `at`. */
  async assignmentAt(ex: Executor, tenantId: string, agentId: string, at: Date): Promise<AssignmentRow | undefined> {
    const [row] = await ex
      .select(assignmentColumns)
      .from(agentPolicyHistory)
      .leftJoin(policies, joinPolicy())
      .where(
        and(
          eq(agentPolicyHistory.tenantId, tenantId),
          eq(agentPolicyHistory.agentId, agentId),
          lte(agentPolicyHistory.effectiveFrom, at),
          or(isNull(agentPolicyHistory.effectiveTo), gt(agentPolicyHistory.effectiveTo, at)),
        ),
      )
      .orderBy(desc(agentPolicyHistory.effectiveFrom), desc(agentPolicyHistory.id))
      .limit(1);
    return row;
  },
};
