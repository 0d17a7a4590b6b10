/** Reads for audit: runs by the filters auditors use, paged by id (time-ordered), newest first. */
import { and, asc, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { gatewayReceipts, policies, runs, type Executor, type RunState } from "@clawea/db";

export interface AuditFilter {
  agentId?: string;
  state?: RunState;
  policyHash?: string;
  missionId?: string;
  from?: Date;
  to?: Date;
}

export const auditRepo = {
  async list(db: Executor, tenantId: string, filter: AuditFilter, limit: number, cursor: string | null) {
    const where: SQL[] = [eq(runs.tenantId, tenantId)];
    if (filter.agentId) where.push(eq(runs.agentId, filter.agentId));
    if (filter.state) where.push(eq(runs.state, filter.state));
    if (filter.policyHash) where.push(eq(runs.policyHash, filter.policyHash));
    if (filter.missionId) where.push(eq(runs.missionId, filter.missionId));
    if (filter.from) where.push(gte(runs.createdAt, filter.from));
    if (filter.to) where.push(lte(runs.createdAt, filter.to));
    if (cursor) where.push(lt(runs.id, cursor));
    return db
      .select({
        id: runs.id,
        agentId: runs.agentId,
        state: runs.state,
        missionId: runs.missionId,
        policyHash: runs.policyHash,
        planHash: runs.planHash,
        scopeHash: runs.scopeHash,
        reasonCode: runs.reasonCode,
        evidence: runs.evidence,
        createdAt: runs.createdAt,
        completedAt: runs.completedAt,
      })
      .from(runs)
      .where(and(...where))
      .orderBy(desc(runs.id))
      .limit(limit);
  },

  async policyDocument(db: Executor, tenantId: string, hash: string): Promise<unknown> {
    const [row] = await db
      .select({ document: policies.document })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.hash, hash)));
    return row?.document ?? null;
  },

  async receipts(db: Executor, tenantId: string, runId: string) {
    return db
      .select({ receiptId: gatewayReceipts.receiptId, status: gatewayReceipts.status, envelope: gatewayReceipts.envelope, createdAt: gatewayReceipts.createdAt })
      .from(gatewayReceipts)
      .where(and(eq(gatewayReceipts.tenantId, tenantId), eq(gatewayReceipts.runId, runId)))
      .orderBy(asc(gatewayReceipts.createdAt));
  },
};
