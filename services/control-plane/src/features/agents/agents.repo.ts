/** Agent rows, their policy history and the fleet aggregates. Every query is scoped by tenant. */
import { and, eq, getTableColumns, isNull, sql } from "drizzle-orm";
import { agentPolicyHistory, agents, poolOf, templates, tenants, type AgentAction, type AgentStatus, type Db, type Executor } from "@clawea/db";

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
 * page in PostgreSQL took about three times the CPU of sending them stored, and rendering them in Node
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
 * Pages of one filter shape, one per request of a batch (the arrays hold each request's tenant, limit
 * and filters; `n` says whose row it is): id and stored JSON, newest first, `limit + 1` of them, the
 * extra one only to know there is more. One statement per filter shape (eight at most), each page an
 * index scan of its own. Rows, not an aggregate per page: on the bench, string_agg over a window cost
 * PostgreSQL three times what the rows themselves did.
 */
function listSql(shape: ListShape): string {
  const columns = ["tenant_id", "lim"];
  const where = ["a.tenant_id = k.tenant_id"];
  const filter = (column: string, condition: string) => {
    columns.push(column);
    where.push(condition);
  };
  if (shape.status) filter("status", "a.status = k.status");
  if (shape.template) filter("template_id", "a.template_id = k.template_id");
  if (shape.cursor) filter("before", "a.id < k.before");
  const params = columns.map((column, i) => `$${i + 1}::${column === "lim" ? "int" : "text"}[]`);
  return `select k.n, p.id, p.api_json
    from unnest(${params.join(", ")}) with ordinality as k(${columns.join(", ")}, n)
    cross join lateral (select a.id, a.api_json from agents a where ${where.join(" and ")} order by a.id desc limit k.lim + 1) p`;
}

export interface PageRequest {
  tenantId: string;
  filter: AgentFilter;
  limit: number;
  /** The id the page starts below (the cursor's key); null for the first page. */
  before: string | null;
}

const shapeOf = (request: PageRequest): ListShape => ({
  status: request.filter.status !== undefined,
  template: request.filter.templateId !== undefined,
  cursor: request.before !== null,
});

const shapeName = (shape: ListShape) => `${Number(shape.status)}${Number(shape.template)}${Number(shape.cursor)}`;

/** Each shape's statement, built once (eight at most). */
const listSqlByShape = new Map<string, string>();
function listSqlFor(name: string, shape: ListShape): string {
  let text = listSqlByShape.get(name);
  if (text === undefined) listSqlByShape.set(name, (text = listSql(shape)));
  return text;
}

export interface PageJson {
  /** The items' JSON, comma-separated, without the brackets; "" for an empty page. */
  items: string;
  /** The last item's id when another page follows. */
  lastId: string | null;
}

/** `limit + 1` rows of one page (in any order) as the page: newest first, and whether more follow. */
function toPageJson(rows: [id: string, json: string][], limit: number): PageJson {
  // Each page is read by its own index scan, newest first; SQL promises no order across a join, so
  // an out-of-order page (never seen) is sorted rather than trusted.
  for (let i = 1; i < rows.length; i++) {
    if (rows[i - 1]![0] < rows[i]![0]) {
      rows.sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
      break;
    }
  }
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { items: page.map((row) => row[1]).join(","), lastId: more ? page[page.length - 1]![0] : null };
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

  /** A page for each request, in order; requests of one filter shape share a statement. */
  async listJsonMany(db: Db, requests: readonly PageRequest[]): Promise<PageJson[]> {
    const pages: PageJson[] = requests.map(() => ({ items: "", lastId: null }));
    const byShape = new Map<string, { shape: ListShape; at: number[] }>();
    requests.forEach((request, i) => {
      const shape = shapeOf(request);
      const name = shapeName(shape);
      let group = byShape.get(name);
      if (!group) byShape.set(name, (group = { shape, at: [] }));
      group.at.push(i);
    });
    await Promise.all(
      [...byShape.entries()].map(async ([name, { shape, at }]) => {
        const of = at.map((i) => requests[i]!);
        const values: unknown[][] = [of.map((r) => r.tenantId), of.map((r) => r.limit)];
        if (shape.status) values.push(of.map((r) => r.filter.status));
        if (shape.template) values.push(of.map((r) => r.filter.templateId));
        if (shape.cursor) values.push(of.map((r) => r.before));
        const { rows } = await poolOf(db).query<[n: string, id: string, json: string]>({ name: `agents_list_${name}`, text: listSqlFor(name, shape), values, rowMode: "array" });
        const rowsOf: [id: string, json: string][][] = of.map(() => []);
        for (const [n, id, json] of rows) rowsOf[Number(n) - 1]!.push([id, json]);
        rowsOf.forEach((page, k) => (pages[at[k]!] = toPageJson(page, of[k]!.limit)));
      }),
    );
    return pages;
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
