/** Agent rows, their policy history and the fleet aggregates. Every query is scoped by tenant. */
import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { Pool } from "pg";
import { agentPolicyHistory, agents, templates, tenants, type AgentAction, type AgentStatus, type Db, type Executor } from "@clawea/db";

export type AgentRow = Omit<typeof agents.$inferSelect, "signingKeySealed" | "apiJson" | "healthJson">;

// The sealed signing key stays in the table: the API never reads it back. The rendered JSON is read
// only by the routes that send it.
const { signingKeySealed: _sealed, apiJson: _api, healthJson: _health, ...agentColumns } = getTableColumns(agents);

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

/*
 * The two hottest reads (health, list pages) send the JSON a trigger keeps in the row (`api_json`,
 * `health_json`; migration 0007 says how it stays what the schemas describe, and agents.json.test.ts
 * checks it against the JS rendering). Measured on the 100k-agent bench: rendering 51 rows per list
 * page in PostgreSQL took about four times the CPU of sending them stored, and rendering them in Node
 * (pg parsing 17 columns, Drizzle's mapping, fast-json-stringify) was worse still.
 */
const HEALTH_SQL = `select k.n, a.health_json from unnest($1::text[], $2::text[]) with ordinality as k(tenant_id, id, n)
  join agents a on a.id = k.id and a.tenant_id = k.tenant_id`;

interface ListShape {
  status: boolean;
  template: boolean;
  cursor: boolean;
}

/**
 * A page's rows, newest first: id and stored JSON, `limit + 1` of them, the extra one only to know
 * there is more. One statement per filter shape (eight at most), each using its own index. Rows, not
 * one aggregated row: on the bench, string_agg over a window cost PostgreSQL three times what the
 * rows themselves did.
 */
function listSql(shape: ListShape): string {
  const where = ["tenant_id = $1"];
  if (shape.status) where.push("status = $3");
  if (shape.template) where.push(`template_id = $${where.length + 2}`);
  if (shape.cursor) where.push(`id < $${where.length + 2}`);
  return `select id, api_json from agents where ${where.join(" and ")} order by id desc limit $2 + 1`;
}

/** drizzle(pool) keeps its pool as `$client`; `Db` does not name it. These reads skip Drizzle's row mapping. */
const poolOf = (db: Db): Pool => (db as Db & { $client: Pool }).$client;

export interface PageJson {
  /** The items' JSON, comma-separated, without the brackets; "" for an empty page. */
  items: string;
  /** The last item's id when another page follows. */
  lastId: string | null;
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

  /**
   * The hottest read of the API (dashboards poll it): the `AgentHealth` JSON of each agent named, in
   * one statement however many (named, so planned once per connection). Undefined where the tenant has
   * no such agent.
   */
  async healthJsonMany(db: Db, keys: readonly { tenantId: string; agentId: string }[]): Promise<(string | undefined)[]> {
    const { rows } = await poolOf(db).query<[n: string, json: string]>({
      name: "agents_health_json",
      text: HEALTH_SQL,
      values: [keys.map((k) => k.tenantId), keys.map((k) => k.agentId)],
      rowMode: "array",
    });
    const found: (string | undefined)[] = keys.map(() => undefined);
    for (const [n, json] of rows) found[Number(n) - 1] = json;
    return found;
  },

  async listJson(db: Db, tenantId: string, filter: AgentFilter, limit: number, before: string | null): Promise<PageJson> {
    const shape = { status: filter.status !== undefined, template: filter.templateId !== undefined, cursor: before !== null };
    const values: unknown[] = [tenantId, limit];
    if (filter.status !== undefined) values.push(filter.status);
    if (filter.templateId !== undefined) values.push(filter.templateId);
    if (before !== null) values.push(before);
    const { rows } = await poolOf(db).query<[id: string, json: string]>({
      name: `agents_list_${Number(shape.status)}${Number(shape.template)}${Number(shape.cursor)}`,
      text: listSql(shape),
      values,
      rowMode: "array",
    });
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    return { items: page.map((row) => row[1]).join(","), lastId: more ? page[page.length - 1]![0] : null };
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
