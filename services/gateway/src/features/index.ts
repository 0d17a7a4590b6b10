/** Every gateway feature's routes, registered in one place. */
import type { GatewayApp, GatewayDeps } from "../app.js";

export async function registerFeatures(_app: GatewayApp, _deps: GatewayDeps): Promise<void> {}
