/** Every feature's routes, registered in one place. */
import type { App, AppDeps } from "../app.js";
import type { ApiKeyCache } from "../http/api-key-cache.js";
import { agentsRoutes } from "./agents/agents.routes.js";
import { healthRoutes } from "./health/health.routes.js";
import { policiesRoutes } from "./policies/policies.routes.js";
import { secretsRoutes } from "./secrets/secrets.routes.js";
import { templatesRoutes } from "./templates/templates.routes.js";
import { tenantsRoutes } from "./tenants/tenants.routes.js";
import { usageRoutes } from "./usage/usage.routes.js";

/** Process-local state the app shares between plugins and features. */
export interface AppInternals {
  keyCache: ApiKeyCache;
}

export async function registerFeatures(app: App, deps: AppDeps, internals: AppInternals): Promise<void> {
  await healthRoutes(app, deps);
  await tenantsRoutes(app, deps, internals);
  await templatesRoutes(app, deps);
  await agentsRoutes(app, deps);
  await policiesRoutes(app, deps);
  await secretsRoutes(app, deps);
  await usageRoutes(app, deps);
}
