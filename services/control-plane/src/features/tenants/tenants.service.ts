/** Tenant onboarding and API-key lifecycle. Keys are shown once and stored only as hashes. */
import { newId, type Db } from "@clawea/db";
import type { ApiKeyCache } from "../../http/api-key-cache.js";
import { mintApiKey, type Role } from "../../http/auth.js";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, toPage } from "../../http/pagination.js";
import { tenantsRepo, type ApiKeyRow, type TenantRow } from "./tenants.repo.js";

export interface TenantsDeps {
  db: Db;
  now: () => Date;
  keyCache: Pick<ApiKeyCache, "evict">;
}

export function renderTenant(row: TenantRow) {
  return { id: row.id, name: row.name, default_policy_hash: row.defaultPolicyHash, created_at: row.createdAt.toISOString() };
}

export function renderKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    roles: row.roles as Role[],
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
  };
}

export function createTenantsService({ db, now, keyCache }: TenantsDeps) {
  async function createKey(tenantId: string, input: { name: string; roles: Role[]; expires_at?: string }, createdByKeyId: string | null) {
    const expiresAt = input.expires_at === undefined ? null : new Date(input.expires_at);
    if (expiresAt && expiresAt <= now()) throw new ApiError("VALIDATION_FAILED", "expires_at must lie in the future");
    const minted = mintApiKey();
    const row = await tenantsRepo.insertKey(db, {
      id: minted.keyId,
      tenantId,
      name: input.name,
      roles: input.roles,
      secretHash: minted.secretHash,
      expiresAt,
      createdByKeyId,
    });
    return { api_key: renderKey(row), token: minted.token };
  }

  return {
    async createTenant(input: { name: string; admin_key_name?: string }) {
      const tenant = await tenantsRepo.insertTenant(db, { id: newId("tenant"), name: input.name });
      const adminKey = await createKey(tenant.id, { name: input.admin_key_name ?? "admin", roles: ["admin"] }, null);
      return { tenant: renderTenant(tenant), admin_key: adminKey };
    },

    async getTenant(tenantId: string) {
      const tenant = await tenantsRepo.getTenant(db, tenantId);
      if (!tenant) throw new ApiError("NOT_FOUND", "tenant not found");
      return renderTenant(tenant);
    },

    createKey,

    async listKeys(tenantId: string, limit: number, cursor: string | undefined) {
      const rows = await tenantsRepo.listKeys(db, tenantId, limit + 1, decodeCursor(cursor));
      return toPage(rows, limit, (row) => row.id, renderKey);
    },

    async getKey(tenantId: string, keyId: string) {
      const row = await tenantsRepo.getKey(db, tenantId, keyId);
      if (!row) throw new ApiError("NOT_FOUND", "API key not found");
      return renderKey(row);
    },

    /** Revoking is idempotent: a revoked key stays revoked at its first revocation time. */
    async revokeKey(tenantId: string, keyId: string) {
      const existing = await tenantsRepo.getKey(db, tenantId, keyId);
      if (!existing) throw new ApiError("NOT_FOUND", "API key not found");
      if (existing.revokedAt) return renderKey(existing);
      const row = await tenantsRepo.revokeKey(db, tenantId, keyId, now());
      keyCache.evict(keyId);
      return renderKey(row ?? existing);
    },
  };
}
