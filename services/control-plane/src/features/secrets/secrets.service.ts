/**
 * Tenant secrets (provider keys, gateway and integration tokens): sealed with AES-256-GCM under the
 * key-encryption key, bound to tenant and name. Write-only through the API; the planes open exactly
 * the one a run needs with `openSecret` from @clawea/db.
 */
import { seal, sealBinding, type Db, type Keyring, type SecretKind } from "@clawea/db";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, toPage } from "../../http/pagination.js";
import { secretsRepo, type SecretMetadataRow } from "./secrets.repo.js";

export interface SecretsDeps {
  db: Db;
  keyring: Keyring;
  now: () => Date;
}

function renderSecret(row: SecretMetadataRow) {
  return {
    name: row.name,
    kind: row.kind,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    updated_by_key_id: row.updatedByKeyId,
  };
}

export function createSecretsService({ db, keyring, now }: SecretsDeps) {
  return {
    async putSecret(tenantId: string, name: string, input: { value: string; kind: SecretKind }, keyId: string) {
      const sealed = seal(keyring, input.value, sealBinding.secret(tenantId, name));
      const { created, ...row } = await secretsRepo.upsert(db, { tenantId, name, kind: input.kind, sealed, updatedAt: now(), updatedByKeyId: keyId });
      return { created, secret: renderSecret(row) };
    },

    async listSecrets(tenantId: string, limit: number, cursor: string | undefined) {
      const rows = await secretsRepo.list(db, tenantId, limit + 1, decodeCursor(cursor));
      return toPage(rows, limit, (row) => row.name, renderSecret);
    },

    async deleteSecret(tenantId: string, name: string) {
      const row = await secretsRepo.delete(db, tenantId, name);
      if (!row) throw new ApiError("NOT_FOUND", "secret not found");
      return renderSecret(row);
    },
  };
}
