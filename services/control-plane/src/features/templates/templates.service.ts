/**
 * Templates: the built-in ones (read-only, shared) and each tenant's own. A tenant template names only
 * policies and secrets of its tenant. Deleting one marks it deleted (agents keep naming it, for the
 * audit), and is refused while an agent that is not destroyed uses it.
 */
import { newId, type Db, type Executor } from "@clawea/db";
import { ApiError } from "../../http/problem.js";
import { decodeCursor, toPage } from "../../http/pagination.js";
import { templatesRepo, type TemplateRow } from "./templates.repo.js";
import { CONFIG_MAX_BYTES, type CreateTemplate, type Runtime, type Template } from "./templates.schemas.js";

export interface TemplatesDeps {
  db: Db;
  now: () => Date;
}

export function renderTemplate(row: TemplateRow): Template {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    builtin: row.tenantId === null,
    runtime: row.runtime as Runtime,
    model: row.model,
    resources: { cpu_millis: row.cpuMillis, memory_mb: row.memoryMb, disk_mb: row.diskMb },
    sleep_after_seconds: row.sleepAfterSeconds,
    stateless: row.stateless,
    default_policy_hash: row.defaultPolicyHash,
    secret_refs: row.secretRefs,
    config: row.config as Record<string, unknown>,
    created_at: row.createdAt.toISOString(),
  };
}

/** What a template or an agent's overrides name must exist in the tenant, and its config be small. */
export async function assertDeployable(
  ex: Executor,
  tenantId: string,
  refs: { policyHash?: string | undefined; secretRefs?: readonly string[] | undefined; config?: Record<string, unknown> | undefined },
): Promise<void> {
  if (refs.config !== undefined && Buffer.byteLength(JSON.stringify(refs.config)) > CONFIG_MAX_BYTES) {
    throw new ApiError("VALIDATION_FAILED", `config exceeds ${CONFIG_MAX_BYTES} bytes as JSON`);
  }
  if (refs.policyHash !== undefined && !(await templatesRepo.policyExists(ex, tenantId, refs.policyHash))) {
    throw new ApiError("REFERENCE_NOT_FOUND", "default_policy_hash names no policy of this tenant", { reference: "policy" });
  }
  const missing = await templatesRepo.missingSecrets(ex, tenantId, refs.secretRefs ?? []);
  if (missing.length > 0) {
    throw new ApiError("REFERENCE_NOT_FOUND", `no such secrets: ${missing.join(", ")}`, { reference: "secret", missing });
  }
}

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === "23505" || (error as { cause?: { code?: string } }).cause?.code === "23505";

export function createTemplatesService({ db, now }: TemplatesDeps) {
  return {
    async list(tenantId: string, limit: number, cursor: string | undefined) {
      const rows = await templatesRepo.list(db, tenantId, limit + 1, decodeCursor(cursor));
      return toPage(rows, limit, (row) => row.id, renderTemplate);
    },

    async get(tenantId: string, templateId: string) {
      const row = await templatesRepo.getVisible(db, tenantId, templateId);
      if (!row) throw new ApiError("NOT_FOUND", "template not found");
      return renderTemplate(row);
    },

    async create(tenantId: string, input: CreateTemplate) {
      await assertDeployable(db, tenantId, { policyHash: input.default_policy_hash, secretRefs: input.secret_refs, config: input.config });
      // Built-in names are taken too: a template name must say which template it is.
      if (await templatesRepo.nameTaken(db, tenantId, input.name)) throw new ApiError("ALREADY_EXISTS", "a template with this name exists");
      try {
        const row = await templatesRepo.insert(db, {
          id: newId("template"),
          tenantId,
          name: input.name,
          description: input.description ?? "",
          runtime: input.runtime,
          model: input.model,
          cpuMillis: input.resources.cpu_millis,
          memoryMb: input.resources.memory_mb,
          diskMb: input.resources.disk_mb,
          sleepAfterSeconds: input.sleep_after_seconds,
          stateless: input.stateless,
          defaultPolicyHash: input.default_policy_hash ?? null,
          secretRefs: input.secret_refs ?? [],
          config: input.config ?? {},
        });
        return renderTemplate(row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiError("ALREADY_EXISTS", "a template with this name exists");
        throw error;
      }
    },

    async remove(tenantId: string, templateId: string) {
      const seen = await templatesRepo.getVisible(db, tenantId, templateId);
      if (!seen) throw new ApiError("NOT_FOUND", "template not found");
      if (seen.tenantId === null) throw new ApiError("READ_ONLY_RESOURCE", "built-in templates cannot be deleted");
      return db.transaction(async (tx) => {
        const row = await templatesRepo.getVisible(tx, tenantId, templateId, "update");
        if (!row) throw new ApiError("NOT_FOUND", "template not found");
        const using = await templatesRepo.agentsUsing(tx, tenantId, templateId);
        if (using > 0) throw new ApiError("RESOURCE_IN_USE", `${using} agent(s) that are not destroyed use this template`, { agents: using });
        await templatesRepo.markDeleted(tx, tenantId, templateId, now());
        return renderTemplate(row);
      });
    },
  };
}
