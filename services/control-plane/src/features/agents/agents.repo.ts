/** Agent rows, their policy history and the fleet aggregates. Every query is scoped by tenant. */
import { and, desc, eq, getTableColumns, isNull, lt, sql } from "drizzle-orm";
import { agentPolicyHistory, agents, templates, tenants, type AgentAction, type AgentStatus, type Db, type Executor } from "@clawea/db";

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

const healthStatements = new WeakMap<Db, ReturnType<typeof prepareHealth>>();

function prepareHealth(db: Db) {
  return db
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
      restartCount: agents.restartCount,
      failureCount: agents.failureCount,
      lastRestartAt: agents.lastRestartAt,
      lastFailureAt: agents.lastFailureAt,
      lastFailureCode: agents.lastFailureCode,
      updatedAt: agents.updatedAt,
    })
    .from(agents)
    .where(and(eq(agents.tenantId, sql.placeholder("tenantId")), eq(agents.id, sql.placeholder("agentId"))))
    .prepare("agent_health");
}

function healthStatement(db: Db) {
  let statement = healthStatements.get(db);
  if (!statement) {
    statement = prepareHealth(db);
    healthStatements.set(db, statement);
  }
  return statement;
}

interface ListShape {
  status: boolean;
  template: boolean;
  cursor: boolean;
}

function prepareList(db: Db, shape: ListShape, name: string) {
  return db
    .select(agentColumns)
    .from(agents)
    .where(
      and(
        eq(agents.tenantId, sql.placeholder("tenantId")),
        shape.status ? eq(agents.status, sql.placeholder("status")) : undefined,
        shape.template ? eq(agents.templateId, sql.placeholder("templateId")) : undefined,
        shape.cursor ? lt(agents.id, sql.placeholder("before")) : undefined,
      ),
    )
    .orderBy(desc(agents.id))
    .limit(sql.placeholder("limit"))
    .prepare(name);
}

// List pages are the second-hottest read: one prepared statement per filter shape (eight at most).
const listStatements = new WeakMap<Db, Map<string, ReturnType<typeof prepareList>>>();

function listStatement(db: Db, shape: ListShape) {
  const name = `agents_list_${Number(shape.status)}${Number(shape.template)}${Number(shape.cursor)}`;
  let byShape = listStatements.get(db);
  if (!byShape) {
    byShape = new Map();
    listStatements.set(db, byShape);
  }
  let statement = byShape.get(name);
  if (!statement) {
    statement = prepareList(db, shape, name);
    byShape.set(name, statement);
  }
  return statement;
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

  /** The hottest read of the API (dashboards poll it): a named prepared statement, planned once per connection. */
  async health(db: Db, tenantId: string, agentId: string) {
    const [row] = await healthStatement(db).execute({ tenantId, agentId });
    return row;
  },

  async list(db: Db, tenantId: string, filter: AgentFilter, limit: number, before: string | null): Promise<AgentRow[]> {
    return listStatement(db, { status: filter.status !== undefined, template: filter.templateId !== undefined, cursor: before !== null }).execute({
      tenantId,
      status: filter.status,
      templateId: filter.templateId,
      before,
      limit,
    });
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
