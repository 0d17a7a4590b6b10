/** Agent rows, their policy history and the fleet aggregates. Every query is scoped by tenant. */
import { and, desc, eq, getTableColumns, isNull, lt, sql } from "drizzle-orm";
import { agentPolicyHistory, agents, templates, tenants, type AgentAction, type AgentStatus, type Executor } from "@clawea/db";

export type AgentRow = Omit<typeof agents.$inferSelect, "signingKeySealed">;

// The sealed signing key stays in the table: the API never reads it back.
const { signingKeySealed: _sealed, ...agentColumns } = getTableColumns(agents);

export interface AgentFilter {
  status?: AgentStatus;
  templateId?: string;
}

export interface FleetCell {
  status: AgentStatus;
  templateId: string;
  templateName: string;
  agents: number;
  cpuMillis: number;
  memoryMb: number;
  diskMb: number;
}

export const agentsRepo = {
  async tenantDefaultPolicy(ex: Executor, tenantId: string): Promise<string | null> {
    const [row] = await ex.select({ hash: tenants.defaultPolicyHash }).from(tenants).where(eq(tenants.id, tenantId));
    return row?.hash ?? null;
  },

  async insert(ex: Executor, row: typeof agents.$inferInsert): Promise<AgentRow> {
    const [created] = await ex.insert(agents).values(row).returning(agentColumns);
    return created!;
  },

  async insertPolicyHistory(ex: Executor, row: typeof agentPolicyHistory.$inferInsert): Promise<void> {
    await ex.insert(agentPolicyHistory).values(row);
  },

  async get(ex: Executor, tenantId: string, agentId: string): Promise<AgentRow | undefined> {
    const [row] = await ex
      .select(agentColumns)
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
    return row;
  },

  async health(ex: Executor, tenantId: string, agentId: string) {
    const [row] = await ex
      .select({
        id: agents.id,
        status: agents.status,
        pendingAction: agents.pendingAction,
        pendingActionId: agents.pendingActionId,
        pendingActionAt: agents.pendingActionAt,
        lastActiveAt: agents.lastActiveAt,
        cpuUsageMillis: agents.cpuUsageMillis,
        memoryUsageMb: agents.memoryUsageMb,
        sandboxId: agents.sandboxId,
        lastErrorCode: agents.lastErrorCode,
        updatedAt: agents.updatedAt,
      })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)));
    return row;
  },

  async list(ex: Executor, tenantId: string, filter: AgentFilter, limit: number, before: string | null): Promise<AgentRow[]> {
    return ex
      .select(agentColumns)
      .from(agents)
      .where(
        and(
          eq(agents.tenantId, tenantId),
          filter.status ? eq(agents.status, filter.status) : undefined,
          filter.templateId ? eq(agents.templateId, filter.templateId) : undefined,
          before ? lt(agents.id, before) : undefined,
        ),
      )
      .orderBy(desc(agents.id))
      .limit(limit);
  },

  /**
   * Records a requested action only if the agent is still as the caller read it (same status, same
   * pending action id): of two concurrent requests, one updates the row and the other gets nothing.
   */
  async setPendingIf(
    ex: Executor,
    tenantId: string,
    agentId: string,
    expected: { status: AgentStatus; pendingActionId: string | null },
    pending: { action: AgentAction; actionId: string; at: Date },
  ): Promise<AgentRow | undefined> {
    const [row] = await ex
      .update(agents)
      .set({ pendingAction: pending.action, pendingActionId: pending.actionId, pendingActionAt: pending.at, updatedAt: pending.at })
      .where(
        and(
          eq(agents.tenantId, tenantId),
          eq(agents.id, agentId),
          eq(agents.status, expected.status),
          expected.pendingActionId === null ? isNull(agents.pendingActionId) : eq(agents.pendingActionId, expected.pendingActionId),
        ),
      )
      .returning(agentColumns);
    return row;
  },

  /**
   * One pass over the tenant's agents, grouped by status and template (a handful of rows however
   * large the fleet); template names are joined onto the groups, not onto the agents.
   */
  async fleetCells(ex: Executor, tenantId: string): Promise<FleetCell[]> {
    const grouped = ex
      .select({
        status: agents.status,
        templateId: agents.templateId,
        agents: sql<number>`count(*)::int`.as("agent_count"),
        cpuMillis: sql<number>`sum(${agents.cpuMillis})::bigint`.as("cpu_millis_sum"),
        memoryMb: sql<number>`sum(${agents.memoryMb})::bigint`.as("memory_mb_sum"),
        diskMb: sql<number>`sum(${agents.diskMb})::bigint`.as("disk_mb_sum"),
      })
      .from(agents)
      .where(eq(agents.tenantId, tenantId))
      .groupBy(agents.status, agents.templateId)
      .as("grouped");
    const rows = await ex
      .select({
        status: grouped.status,
        templateId: grouped.templateId,
        templateName: templates.name,
        agents: grouped.agents,
        cpuMillis: grouped.cpuMillis,
        memoryMb: grouped.memoryMb,
        diskMb: grouped.diskMb,
      })
      .from(grouped)
      .innerJoin(templates, eq(templates.id, grouped.templateId));
    // bigint sums arrive as strings from pg.
    return rows.map((row) => ({ ...row, cpuMillis: Number(row.cpuMillis), memoryMb: Number(row.memoryMb), diskMb: Number(row.diskMb) }));
  },
};
