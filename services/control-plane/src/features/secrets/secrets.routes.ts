/** Tenant secrets: PUT a value, list and delete by name; no route ever answers with a value. */
import type { App, AppDeps } from "../../app.js";
import { tenantOf } from "../../http/auth.js";
import { Page, PageQuery } from "../../http/pagination.js";
import { problemResponses } from "../../http/problem.js";
import { PutSecret, Secret, SecretNameParams } from "./secrets.schemas.js";
import { createSecretsService } from "./secrets.service.js";

export async function secretsRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createSecretsService({ db: deps.db, keyring: deps.keyring, now: deps.now ?? (() => new Date()) });
  const tags = ["secrets"];
  const security = [{ apiKey: [] }];

  app.put(
    "/v1/secrets/:name",
    {
      config: { auth: ["admin", "security"] },
      schema: {
        tags,
        operationId: "putSecret",
        summary: "Create (201) or replace (200) a secret; the answer is its metadata, never its value.",
        security,
        params: SecretNameParams,
        body: PutSecret,
        response: { 200: Secret, 201: Secret, ...problemResponses(413) },
      },
    },
    async (request, reply) => {
      const principal = tenantOf(request);
      const { created, secret } = await service.putSecret(principal.tenantId, request.params.name, request.body, principal.keyId);
      return reply.code(created ? 201 : 200).send(secret);
    },
  );

  app.get(
    "/v1/secrets",
    {
      config: { auth: ["admin", "security", "operator"] },
      schema: { tags, operationId: "listSecrets", summary: "Secrets' metadata, by name.", security, querystring: PageQuery, response: { 200: Page(Secret, "Secret"), ...problemResponses() } },
    },
    async (request) => service.listSecrets(tenantOf(request).tenantId, request.query.limit, request.query.cursor),
  );

  app.delete(
    "/v1/secrets/:name",
    {
      config: { auth: ["admin", "security"] },
      schema: { tags, operationId: "deleteSecret", summary: "Delete a secret; answers with the metadata it had.", security, params: SecretNameParams, response: { 200: Secret, ...problemResponses(404) } },
    },
    async (request) => service.deleteSecret(tenantOf(request).tenantId, request.params.name),
  );
}
