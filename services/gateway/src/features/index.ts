/** Every gateway feature's routes, registered in one place. */
import type { GatewayApp, GatewayDeps } from "../app.js";
import { modelProxyRoutes } from "./model-proxy/model-proxy.routes.js";

export async function registerFeatures(app: GatewayApp, deps: GatewayDeps): Promise<void> {
  await modelProxyRoutes(app, deps);
}
