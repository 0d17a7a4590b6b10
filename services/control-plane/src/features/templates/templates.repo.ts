/** Template rows (built-in ones have tenant_id null) and the tenant-scoped checks of what a template names. */
import { and, desc, eq, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { agents, policies, secrets, templates, type Executor } from "@clawea/db";

export type TemplateRow = typeof templates.$inferSelect;

/** Templates a tenant can see: the built-ins and its own, not deleted. */
const visibleTo = (tenantId: string) => and(or(isNull(templates.tenantId), eq(templates.tenantId, tenantId)), isNull(templates.deletedAt));

export const templatesRepo = {
  async insert(ex: Executor, row: typeof templates.$inferInsert): Promise<TemplateRow> {
    const [created] = await ex.insert(templates).values(row).returning();
    return created!;
  },

  /**
   * A template the tenant can see. Agent creation reads it `key share` and deletion `update`: these
   * conflict, so a delete waits for the creating transaction (then counts its agent) or the creation
   * waits for the delete (then no longer sees the template).
   */
  async getVisible(ex: Executor, tenantId: string, templateId: string, lock?: "key share" | "update"): Promise<TemplateRow | undefined> {
    const query = ex.select().from(templates).where(and(eq(templates.id, templateId), visibleTo(tenantId)));
    const [row] = await (lock ? query.for(lock) : query);
    return row;
  },

  async list(ex: Executor, tenantId: string, limit: number, before: string | null): Promise<TemplateRow[]> {
    return ex
      .select()
      .from(templates)
      .where(and(visibleTo(tenantId), before ? lt(templates.id, before) : undefined))
      .orderBy(desc(templates.id))
      .limit(limit);
  },

  /** Whether the name is taken by a live template of the tenant or by a built-in. */
  async nameTaken(ex: Executor, tenantId: string, name: string): Promise<boolean> {
    const [row] = await ex
      .select({ id: templates.id })
      .from(templates)
      .where(and(visibleTo(tenantId), eq(templates.name, name)))
      .limit(1);
    return row !== undefined;
  },

  async agentsUsing(ex: Executor, tenantId: string, templateId: string): Promise<number> {
    const [row] = await ex
      .select({ n: sql<number>`count(*)::int` })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.templateId, templateId), ne(agents.status, "destroyed")));
    return row?.n ?? 0;
  },

  async markDeleted(ex: Executor, tenantId: string, templateId: string, at: Date): Promise<void> {
    await ex
      .update(templates)
      .set({ deletedAt: at })
      .where(and(eq(templates.id, templateId), eq(templates.tenantId, tenantId), isNull(templates.deletedAt)));
  },

  async policyExists(ex: Executor, tenantId: string, hash: string): Promise<boolean> {
    const [row] = await ex
      .select({ hash: policies.hash })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.hash, hash)))
      .limit(1);
    return row !== undefined;
  },

  /** The names among `names` that are not secrets of the tenant. */
  async missingSecrets(ex: Executor, tenantId: string, names: readonly string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const found = await ex
      .select({ name: secrets.name })
      .from(secrets)
      .where(and(eq(secrets.tenantId, tenantId), inArray(secrets.name, [...names])));
    const have = new Set(found.map((row) => row.name));
    return names.filter((name) => !have.has(name));
  },
};
