/** Tenant onboarding (platform operator) and API keys (tenant admins). */
import type { App, AppDeps } from "../../app.js";
import type { AppInternals } from "../index.js";
import { tenantOf } from "../../http/auth.js";
import { PageQuery, Page } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { ApiKey, CreateApiKey, CreatedApiKey, CreatedTenant, CreateTenant, KeyIdParams, Tenant } from "./tenants.schemas.js";
import { createTenantsService } from "./tenants.service.js";

export async function tenantsRoutes(app: App, deps: AppDeps, internals: AppInternals): Promise<void> {
  const service = createTenantsService({ db: deps.db, now: deps.now ?? (() => new Date()), keyCache: internals.keyCache });
  const tags = ["tenants"];

  app.post(
    "/v1/tenants",
    {
      config: { auth: "platform" },
      schema: {
        tags,
        operationId: "createTenant",
        summary: "Create a tenant and its first admin key (platform bootstrap key).",
        security: [{ bootstrapKey: [] }],
        body: CreateTenant,
        response: { 201: CreatedTenant, ...problemResponses(409, 413, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.createTenant(request.body)),
  );

  app.get(
    "/v1/tenant",
    {
      config: { auth: ["admin", "security", "operator", "auditor", "finance", "developer"] },
      schema: { tags, operationId: "getTenant", summary: "The calling key's tenant.", security: [{ apiKey: [] }], response: { 200: Tenant, ...problemResponses(404) } },
    },
    async (request) => service.getTenant(tenantOf(request).tenantId),
  );

  app.post(
    "/v1/api-keys",
    {
      config: { auth: ["admin"] },
      schema: {
        tags,
        operationId: "createApiKey",
        summary: "Create an API key with roles; its token is shown once.",
        security: [{ apiKey: [] }],
        body: CreateApiKey,
        response: { 201: CreatedApiKey, ...problemResponses(409, 413, 422) },
      },
    },
    async (request, reply) => {
      const principal = tenantOf(request);
      return reply.code(201).send(await service.createKey(principal.tenantId, request.body, principal.keyId));
    },
  );

  app.get(
    "/v1/api-keys",
    {
      config: { auth: ["admin", "security"] },
      schema: { tags, operationId: "listApiKeys", security: [{ apiKey: [] }], querystring: PageQuery, response: { 200: Page(ApiKey, "ApiKey"), ...problemResponses() } },
    },
    async (request) => service.listKeys(tenantOf(request).tenantId, request.query.limit, request.query.cursor),
  );

  app.get(
    "/v1/api-keys/:key_id",
    {
      config: { auth: ["admin", "security"] },
      schema: { tags, operationId: "getApiKey", security: [{ apiKey: [] }], params: KeyIdParams, response: { 200: ApiKey, ...problemResponses(404) } },
    },
    async (request) => service.getKey(tenantOf(request).tenantId, request.params.key_id),
  );

  app.delete(
    "/v1/api-keys/:key_id",
    {
      config: { auth: ["admin", "security"] },
      schema: {
        tags,
        operationId: "revokeApiKey",
        summary: "Revoke a key at once; requests with it then get API_KEY_REVOKED.",
        security: [{ apiKey: [] }],
        params: KeyIdParams,
        response: { 200: ApiKey, ...problemResponses(404) },
      },
    },
    async (request) => service.revokeKey(tenantOf(request).tenantId, request.params.key_id),
  );
}
