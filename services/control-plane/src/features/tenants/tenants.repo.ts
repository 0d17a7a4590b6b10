/** Tenant and API-key rows. Every read of a key is scoped by tenant. */
import { and, desc, eq, lt } from "drizzle-orm";
import { apiKeys, tenants, type Executor } from "@clawea/db";

export type TenantRow = typeof tenants.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const tenantsRepo = {
  async insertTenant(ex: Executor, row: typeof tenants.$inferInsert): Promise<TenantRow> {
    const [created] = await ex.insert(tenants).values(row).returning();
    return created!;
  },

  async getTenant(ex: Executor, tenantId: string): Promise<TenantRow | undefined> {
    const [row] = await ex.select().from(tenants).where(eq(tenants.id, tenantId));
    return row;
  },

  async insertKey(ex: Executor, row: typeof apiKeys.$inferInsert): Promise<ApiKeyRow> {
    const [created] = await ex.insert(apiKeys).values(row).returning();
    return created!;
  },

  async getKey(ex: Executor, tenantId: string, keyId: string): Promise<ApiKeyRow | undefined> {
    const [row] = await ex.select().from(apiKeys).where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)));
    return row;
  },

  async listKeys(ex: Executor, tenantId: string, limit: number, before: string | null): Promise<ApiKeyRow[]> {
    return ex
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, tenantId), before ? lt(apiKeys.id, before) : undefined))
      .orderBy(desc(apiKeys.id))
      .limit(limit);
  },

  async revokeKey(ex: Executor, tenantId: string, keyId: string, at: Date): Promise<ApiKeyRow | undefined> {
    const [row] = await ex
      .update(apiKeys)
      .set({ revokedAt: at })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId)))
      .returning();
    return row;
  },
};
