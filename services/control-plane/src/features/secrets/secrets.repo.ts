/** Sealed secret rows. Reads here select metadata only: the sealed value leaves the table through `openSecret` alone. */
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { secrets, type Executor, type SecretKind } from "@clawea/db";

const metadataColumns = {
  name: secrets.name,
  kind: secrets.kind,
  createdAt: secrets.createdAt,
  updatedAt: secrets.updatedAt,
  updatedByKeyId: secrets.updatedByKeyId,
};

export interface SecretMetadataRow {
  name: string;
  kind: SecretKind;
  createdAt: Date;
  updatedAt: Date;
  updatedByKeyId: string | null;
}

export const secretsRepo = {
  /** Insert or replace; `created` tells which (a fresh row has xmax 0). */
  async upsert(ex: Executor, row: Required<Pick<typeof secrets.$inferInsert, "tenantId" | "name" | "kind" | "sealed" | "updatedAt" | "updatedByKeyId">>) {
    const [written] = await ex
      .insert(secrets)
      .values({ ...row, createdAt: row.updatedAt })
      .onConflictDoUpdate({
        target: [secrets.tenantId, secrets.name],
        set: { kind: row.kind, sealed: row.sealed, updatedAt: row.updatedAt, updatedByKeyId: row.updatedByKeyId },
      })
      .returning({ ...metadataColumns, created: sql<boolean>`(xmax = 0)` });
    return written!;
  },

  async list(ex: Executor, tenantId: string, limit: number, after: string | null): Promise<SecretMetadataRow[]> {
    return ex
      .select(metadataColumns)
      .from(secrets)
      .where(and(eq(secrets.tenantId, tenantId), after ? gt(secrets.name, after) : undefined))
      .orderBy(asc(secrets.name))
      .limit(limit);
  },

  async delete(ex: Executor, tenantId: string, name: string): Promise<SecretMetadataRow | undefined> {
    const [row] = await ex
      .delete(secrets)
      .where(and(eq(secrets.tenantId, tenantId), eq(secrets.name, name)))
      .returning(metadataColumns);
    return row;
  },
};
