/**
 * The Cloudflare Worker: the authenticated sandbox bridge the data plane's `cloudflare` provider
 * calls, over one Cloudflare Sandbox (Durable Object + container) per sandbox id.
 */
import { ContainerProxy } from "@cloudflare/sandbox";
import { cloudflareBackend } from "./cloudflare-backend.js";
import { createBridge } from "./router.js";
import { ClaweaSandbox } from "./sandbox-object.js";

// ContainerProxy must be exported from the entrypoint: it carries the container's outbound traffic
// through the egress allowlist (enableInternet = false + allowedHosts).
export { ClaweaSandbox, ContainerProxy };

export interface Env {
  Sandbox: DurableObjectNamespace<ClaweaSandbox>;
  /** Worker secret (`wrangler secret put BRIDGE_TOKEN`): the bearer token the data plane presents. */
  BRIDGE_TOKEN?: string;
  INSTANCE_CPU_MILLIS: string;
  INSTANCE_MEMORY_MB: string;
  INSTANCE_DISK_MB: string;
}

export default {
  async fetch(request, env) {
    return createBridge({ backend: cloudflareBackend(env.Sandbox, { ...env }), token: env.BRIDGE_TOKEN })(request);
  },
} satisfies ExportedHandler<Env>;
