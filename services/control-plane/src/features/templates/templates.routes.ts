/** Templates: every role but finance reads them; only admins create and delete the tenant's own. */
import type { App, AppDeps } from "../../app.js";
import { tenantOf, type Role } from "../../http/auth.js";
import { Page, PageQuery } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { CreateTemplate, Template, TemplateIdParams } from "./templates.schemas.js";
import { createTemplatesService } from "./templates.service.js";

export const TEMPLATE_READERS: readonly Role[] = ["admin", "security", "operator", "auditor", "developer"];
export const TEMPLATE_WRITERS: readonly Role[] = ["admin"];

export async function templatesRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createTemplatesService({ db: deps.db, now: deps.now ?? (() => new Date()) });
  const tags = ["templates"];
  const security = [{ apiKey: [] }];

  app.get(
    "/v1/templates",
    {
      config: { auth: TEMPLATE_READERS },
      schema: {
        tags,
        operationId: "listTemplates",
        summary: "Built-in templates and the tenant's own, newest first (admin, security, operator, auditor, developer).",
        security,
        querystring: PageQuery,
        response: { 200: Page(Template, "Template"), ...problemResponses() },
      },
    },
    async (request) => service.list(tenantOf(request).tenantId, request.query.limit, request.query.cursor),
  );

  app.get(
    "/v1/templates/:template_id",
    {
      config: { auth: TEMPLATE_READERS },
      schema: {
        tags,
        operationId: "getTemplate",
        summary: "One template (admin, security, operator, auditor, developer).",
        security,
        params: TemplateIdParams,
        response: { 200: Template, ...problemResponses(404) },
      },
    },
    async (request) => service.get(tenantOf(request).tenantId, request.params.template_id),
  );

  app.post(
    "/v1/templates",
    {
      config: { auth: TEMPLATE_WRITERS },
      schema: {
        tags,
        operationId: "createTemplate",
        summary: "Create a tenant template; its policy and secrets must exist in the tenant (admin).",
        security,
        body: CreateTemplate,
        response: { 201: Template, ...problemResponses(409, 413, 415, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await service.create(tenantOf(request).tenantId, request.body)),
  );

  app.delete(
    "/v1/templates/:template_id",
    {
      config: { auth: TEMPLATE_WRITERS },
      schema: {
        tags,
        operationId: "deleteTemplate",
        summary: "Delete a tenant template no live agent uses; built-ins are read-only (admin).",
        security,
        params: TemplateIdParams,
        response: { 200: Template, ...problemResponses(404, 409) },
      },
    },
    async (request) => service.remove(tenantOf(request).tenantId, request.params.template_id),
  );
}
