/** Every feature's routes, registered in one place. */
import type { App, AppDeps } from "../app.js";
import { healthRoutes } from "./health/health.routes.js";
import { tenantsRoutes } from "./tenants/tenants.routes.js";

export async function registerFeatures(app: App, deps: AppDeps): Promise<void> {
  await healthRoutes(app, deps);
  await tenantsRoutes(app, deps);
}
