/** `POST /v1/preflight`: a CI step asks whether a scope would be allowed, before any run is started. */
import type { App, AppDeps } from "../../app.js";
import { tenantOf } from "../../http/auth.js";
import { problemResponses } from "../../http/problem.js";
import { PreflightReport, PreflightRequest } from "./preflight.schemas.js";
import { createPreflightService } from "./preflight.service.js";

export async function preflightRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createPreflightService({ db: deps.db, now: deps.now ?? (() => new Date()) });

  app.post(
    "/v1/preflight",
    {
      // Whoever may read the tenant's policies may ask what they allow.
      config: { auth: ["admin", "security", "operator", "auditor", "developer"] },
      schema: {
        tags: ["preflight"],
        operationId: "preflight",
        summary:
          "Would this scope be allowed under this WPC? Decided by the gateway's own decision function, as the apply phase of a run whose approval granted exactly the scope's side effects. A denial is a 200 with `allowed: false`.",
        security: [{ apiKey: [] }],
        body: PreflightRequest,
        response: { 200: PreflightReport, ...problemResponses(404, 413, 422) },
      },
    },
    async (request) => service.preflight(tenantOf(request).tenantId, request.body),
  );
}
