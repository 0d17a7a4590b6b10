/** Liveness and readiness for load balancers and `pnpm start`. */
import { Type } from "@sinclair/typebox";
import type { App, AppDeps } from "../../app.js";
import { problemBody } from "../../http/problem.js";

export async function healthRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get("/healthz", { schema: { tags: ["health"], response: { 200: Type.Object({ status: Type.Literal("ok") }) } } }, async () => ({
    status: "ok" as const,
  }));

  app.get("/readyz", { schema: { tags: ["health"] } }, async (request, reply) => {
    const checks = await deps.readiness();
    const ready = Object.values(checks).every(Boolean);
    if (ready) return { status: "ready", checks };
    const down = Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    reply.header("retry-after", "5");
    return reply
      .code(503)
      .type("application/problem+json")
      .send(problemBody("DEPENDENCY_UNAVAILABLE", `unreachable: ${down.join(", ")}`, request.id, { checks }));
  });
}
