/** Every feature's routes, registered in one place. */
import type { App, AppDeps } from "../app.js";
import { agentsRoutes } from "./agents/agents.routes.js";
import { healthRoutes } from "./health/health.routes.js";
import { policiesRoutes } from "./policies/policies.routes.js";
import { secretsRoutes } from "./secrets/secrets.routes.js";
import { templatesRoutes } from "./templates/templates.routes.js";
import { tenantsRoutes } from "./tenants/tenants.routes.js";
import { usageRoutes } from "./usage/usage.routes.js";

export async function registerFeatures(app: App, deps: AppDeps): Promise<void> {
  await healthRoutes(app, deps);
  await tenantsRoutes(app, deps);
  await templatesRoutes(app, deps);
  await agentsRoutes(app, deps);
  await policiesRoutes(app, deps);
  await secretsRoutes(app, deps);
  await usageRoutes(app, deps);
}
