/** The usage report: `GET /v1/usage`, JSON or (for finance) CSV. */
import type { App, AppDeps } from "../../app.js";
import { tenantOf } from "../../http/auth.js";
import { problemResponses } from "../../http/problem.js";
import { wantsCsv } from "./usage.domain.js";
import { UsageQuery, UsageReport } from "./usage.schemas.js";
import { createUsageService } from "./usage.service.js";

export async function usageRoutes(app: App, deps: AppDeps): Promise<void> {
  const service = createUsageService({ db: deps.db });

  app.get(
    "/v1/usage",
    {
      config: { auth: ["admin", "finance", "auditor"] },
      schema: {
        tags: ["usage"],
        operationId: "getUsage",
        summary: "Usage in [from, to), summed by group (agent, template or UTC day), kind and model. `Accept: text/csv` or `format=csv` for CSV.",
        security: [{ apiKey: [] }],
        querystring: UsageQuery,
        response: {
          200: {
            description: "The report.",
            content: {
              "application/json": { schema: UsageReport },
              "text/csv": { schema: { type: "string", description: "Header row `<group_by>,kind,model,quantity`, RFC 4180 quoting." } },
            },
          },
          ...problemResponses(),
        },
      },
    },
    async (request, reply) => {
      const tenantId = tenantOf(request).tenantId;
      if (wantsCsv(request.query.format, request.headers.accept)) {
        const { filename, csv } = await service.reportCsv(tenantId, request.query);
        return reply.type("text/csv; charset=utf-8").header("content-disposition", `attachment; filename="${filename}"`).send(csv);
      }
      return reply.type("application/json; charset=utf-8").send(await service.report(tenantId, request.query));
    },
  );
}
