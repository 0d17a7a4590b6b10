/**
 * The transparency log, read-only: its signed head and proofs. Any tenant key may read them (every
 * role): leaves are hashes only, and a proof names no tenant, so the log is public to its users.
 */
import type { App, AppDeps } from "../../app.js";
import { ROLES } from "../../http/auth.js";
import { problemResponses } from "../../http/problem.js";
import { ConsistencyQuery, InclusionQuery, LogConsistencyProof, LogInclusionProof, LogRoot } from "./log.schemas.js";
import { createLogService } from "./log.service.js";

export async function logRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createLogService({ db: deps.db, logSigner: deps.logSigner ?? null, now: deps.now ?? (() => new Date()) });
  const tags = ["log"];
  const security = [{ apiKey: [] }];

  app.get(
    "/v1/log/root",
    {
      config: { auth: ROLES },
      schema: {
        tags,
        operationId: "getLogRoot",
        summary: "The log's signed tree head at its current size, and the DID that signs it (any role).",
        security,
        response: { 200: LogRoot, ...problemResponses(500) },
      },
    },
    async () => service.root(),
  );

  app.get(
    "/v1/log/proof/inclusion",
    {
      config: { auth: ROLES },
      schema: {
        tags,
        operationId: "getLogInclusionProof",
        summary: "A Clawsig inclusion proof for a leaf (hash or index) against a signed root (any role).",
        security,
        querystring: InclusionQuery,
        response: { 200: LogInclusionProof, ...problemResponses(404, 500) },
      },
    },
    async (request) => service.inclusionProof(request.query),
  );

  app.get(
    "/v1/log/proof/consistency",
    {
      config: { auth: ROLES },
      schema: {
        tags,
        operationId: "getLogConsistencyProof",
        summary: "A proof that the log at size `from` is a prefix of the log at size `to` (any role).",
        security,
        querystring: ConsistencyQuery,
        response: { 200: LogConsistencyProof, ...problemResponses(500) },
      },
    },
    async (request) => service.consistencyProof(request.query),
  );
}
