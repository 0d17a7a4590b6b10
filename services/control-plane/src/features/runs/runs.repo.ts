/** Runs as the control plane reads them; writes go through `@clawea/runs` (state machine, event chain). */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { approvals, runs, type Executor, type RunState } from "@clawea/db";

export type RunRow = typeof runs.$inferSelect;
export type ApprovalRow = typeof approvals.$inferSelect;

export interface RunFilter {
  agentId?: string;
  state?: RunState;
}

export const runsRepo = {
  async get(db: Executor, tenantId: string, runId: string): Promise<RunRow | null> {
    const [row] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)));
    return row ?? null;
  },

  async approvalOf(db: Executor, tenantId: string, runId: string): Promise<ApprovalRow | null> {
    const [row] = await db
      .select()
      .from(approvals)
      .where(and(eq(approvals.tenantId, tenantId), eq(approvals.runId, runId)));
    return row ?? null;
  },

  async list(db: Executor, tenantId: string, filter: RunFilter, limit: number, cursor: string | null): Promise<RunRow[]> {
    const where: SQL[] = [eq(runs.tenantId, tenantId)];
    if (filter.agentId) where.push(eq(runs.agentId, filter.agentId));
    if (filter.state) where.push(eq(runs.state, filter.state));
    if (cursor) where.push(lt(runs.id, cursor));
    return db
      .select()
      .from(runs)
      .where(and(...where))
      .orderBy(desc(runs.id))
      .limit(limit);
  },
};
