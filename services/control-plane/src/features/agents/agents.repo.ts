/** Agent rows, their policy history and the fleet aggregates. Every query is scoped by tenant. */
import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import type { Pool } from "pg";
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

/*
 * The two hottest reads (health, list pages) are answered with JSON that PostgreSQL writes, sent as
 * the body unchanged. Measured on the 100k-agent bench: for a 50-row page, parsing 17 columns x 51
 * rows in pg, mapping them in Drizzle, rendering and re-serialising took most of the Node process's
 * CPU; one text column per page takes almost none. The text is built by concatenation rather than
 * json_build_object (whose output has spaces around ':') so that it is what fast-json-stringify
 * writes for the same row: schema key order, no whitespace, strings escaped as JSON.stringify
 * escapes them (to_json), timestamps as toISOString() writes them (UTC, milliseconds truncated,
 * `Z`). Two differences parse to the same value: `config` is jsonb's own text (`{"a": 1}`), and
 * doubles are PostgreSQL's shortest form (`1e+21`); non-finite doubles become null as in JSON.
 * agents.json.test.ts checks the text against renderAgent's output for the same rows.
 */
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const str = (column: string) => `to_json(${column})::text`;
const nullableStr = (column: string) => `coalesce(${str(column)}, 'null')`;
const nullableIso = (column: string) => `coalesce('"' || ${iso(column)} || '"', 'null')`;
const nullableDouble = (column: string) =>
  `case when ${column} is null or ${column} in ('NaN', 'Infinity', '-Infinity') then 'null' else ${column}::text end`;
const pendingJson = `case when pending_action is not null and pending_action_id is not null and pending_action_at is not null
  then '{"action":' || ${str("pending_action")} || ',"action_id":' || ${str("pending_action_id")} || ',"requested_at":"' || ${iso("pending_action_at")} || '"}'
  else 'null' end`;

/** An `Agent` (agents.schemas.ts), key for key in schema order. */
const AGENT_JSON = `'{"id":' || ${str("id")} || ',"name":' || ${str("name")} || ',"template_id":' || ${str("template_id")}
  || ',"status":' || ${str("status")} || ',"pending_action":' || ${pendingJson} || ',"did":' || ${str("did")}
  || ',"policy_hash":' || ${nullableStr("policy_hash")} || ',"runtime":' || ${str("runtime")} || ',"model":' || ${str("model")}
  || ',"resources":{"cpu_millis":' || cpu_millis || ',"memory_mb":' || memory_mb || ',"disk_mb":' || disk_mb
  || '},"sleep_after_seconds":' || sleep_after_seconds || ',"stateless":' || ${str("stateless")}
  || ',"secret_refs":' || array_to_json(secret_refs)::text || ',"config":' || config::text
  || ',"created_at":"' || ${iso("created_at")} || '","updated_at":"' || ${iso("updated_at")} || '"}'`;

/** An `AgentHealth` (agents.schemas.ts), key for key in schema order. */
const HEALTH_JSON = `'{"agent_id":' || ${str("id")} || ',"status":' || ${str("status")} || ',"pending_action":' || ${pendingJson}
  || ',"last_active_at":' || ${nullableIso("last_active_at")} || ',"cpu_usage_millis":' || ${nullableDouble("cpu_usage_millis")}
  || ',"memory_usage_mb":' || ${nullableDouble("memory_usage_mb")} || ',"sandbox_id":' || ${nullableStr("sandbox_id")}
  || ',"last_error_code":' || ${nullableStr("last_error_code")} || ',"restart_count":' || restart_count
  || ',"failure_count":' || failure_count || ',"last_restart_at":' || ${nullableIso("last_restart_at")}
  || ',"last_failure_at":' || ${nullableIso("last_failure_at")} || ',"last_failure_code":' || ${nullableStr("last_failure_code")}
  || ',"updated_at":"' || ${iso("updated_at")} || '"}'`;

const HEALTH_SQL = `select ${HEALTH_JSON} as json from agents where tenant_id = $1 and id = $2`;

interface ListShape {
  status: boolean;
  template: boolean;
  cursor: boolean;
}

/**
 * One page in one row: the items' JSON joined with ',' (newest first) and, when a row lies beyond
 * the page, the id of the page's last item (the next cursor's key). Fetches `limit + 1` rows, the
 * extra one only to know there is more. One statement per filter shape (eight at most), each using
 * its own index.
 */
function listSql(shape: ListShape): string {
  const where = ["tenant_id = $1"];
  if (shape.status) where.push("status = $3");
  if (shape.template) where.push(`template_id = $${where.length + 2}`);
  if (shape.cursor) where.push(`id < $${where.length + 2}`);
  return `select string_agg(json, ',' order by id desc) filter (where n <= $2) as items,
                 case when count(*) > $2 then min(id) filter (where n <= $2) end as last_id
          from (select id, ${AGENT_JSON} as json, row_number() over (order by id desc) as n
                from agents where ${where.join(" and ")} order by id desc limit $2 + 1) page`;
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
   * The hottest read of the API (dashboards poll it): its `AgentHealth` JSON as PostgreSQL writes it,
   * through a named prepared statement planned once per connection. Undefined: no such agent.
   */
  async healthJson(db: Db, tenantId: string, agentId: string): Promise<string | undefined> {
    const { rows } = await poolOf(db).query<{ json: string }>({ name: "agent_health_json", text: HEALTH_SQL, values: [tenantId, agentId] });
    return rows[0]?.json;
  },

  async listJson(db: Db, tenantId: string, filter: AgentFilter, limit: number, before: string | null): Promise<PageJson> {
    const shape = { status: filter.status !== undefined, template: filter.templateId !== undefined, cursor: before !== null };
    const values: unknown[] = [tenantId, limit];
    if (filter.status !== undefined) values.push(filter.status);
    if (filter.templateId !== undefined) values.push(filter.templateId);
    if (before !== null) values.push(before);
    const { rows } = await poolOf(db).query<{ items: string | null; last_id: string | null }>({
      name: `agents_list_json_${Number(shape.status)}${Number(shape.template)}${Number(shape.cursor)}`,
      text: listSql(shape),
      values,
    });
    return { items: rows[0]?.items ?? "", lastId: rows[0]?.last_id ?? null };
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
