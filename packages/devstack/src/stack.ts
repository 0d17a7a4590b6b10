/** The dev stack's shape: ports, URLs and each service's environment (least privilege: each gets only its keys). */
import { KEY_ENV, type DevKeys } from "./keys.js";

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clawea";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

/** The scripted model comes first: the gateway's `scripted` provider routes to it (a local, deterministic model for dev and the demo). */
export const SERVICES = ["scripted-model", "control-plane", "gateway", "data-plane"] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface StackConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  controlPlanePort: number;
  gatewayPort: number;
  egressPort: number;
  sandboxRoot: string;
  artifactRoot: string;
  scriptedModelPort: number;
}

/** The DIDs the control plane publishes as trust anchors besides its own. */
export interface StackDids {
  controlPlane: string;
  gateway: string;
  dataPlane: string;
}

/** What to run for each service, relative to the repository root. */
export function serviceCommand(service: ServiceName, config: StackConfig): { script: string; args: string[] } {
  if (service === "scripted-model") {
    return { script: "packages/reference-agent/dist/scripted-model.main.js", args: ["--port", String(config.scriptedModelPort), "--host", "127.0.0.1"] };
  }
  return { script: `services/${service}/dist/main.js`, args: [] };
}

/** The gateway's providers in dev: the public OpenAI and Anthropic APIs, and `scripted`, the local scripted model. */
export function devProviders(config: StackConfig): string {
  return JSON.stringify({
    openai: { baseUrl: "https://api.openai.com/v1", api: "openai" },
    anthropic: { baseUrl: "https://api.anthropic.com", api: "anthropic" },
    scripted: { baseUrl: `http://127.0.0.1:${config.scriptedModelPort}/v1`, api: "openai" },
  });
}

export class StackConfigError extends Error {
  override readonly name = "StackConfigError";
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > 65535) throw new StackConfigError(`${name} must be a port number, got ${raw}`);
  return value;
}

export function stackConfig(env: NodeJS.ProcessEnv, devDir: string): StackConfig {
  return {
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    redisUrl: env.REDIS_URL || DEFAULT_REDIS_URL,
    host: env.HOST || "127.0.0.1",
    controlPlanePort: port(env, "PORT", 8080),
    gatewayPort: port(env, "GATEWAY_PORT", 8081),
    egressPort: port(env, "GATEWAY_EGRESS_PORT", 8082),
    sandboxRoot: env.SANDBOX_ROOT || `${devDir}/sandboxes`,
    artifactRoot: env.ARTIFACT_ROOT || `${devDir}/artifacts`,
    scriptedModelPort: port(env, "SCRIPTED_MODEL_PORT", 8083),
  };
}

/** Where to reach a listener: a wildcard bind is reached on loopback. */
function reachableHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export function stackUrls(config: StackConfig): { controlPlane: string; gatewayModel: string; gatewayEgress: string } {
  const host = reachableHost(config.host);
  return {
    controlPlane: `http://${host}:${config.controlPlanePort}`,
    gatewayModel: `http://${host}:${config.gatewayPort}/v1`,
    gatewayEgress: `http://${host}:${config.egressPort}`,
  };
}

const SECRET_ENV = Object.values(KEY_ENV);

/** Each service's environment: the caller's env without any secret, plus what that service needs. */
export function serviceEnv(
  service: ServiceName,
  env: NodeJS.ProcessEnv,
  config: StackConfig,
  keys: DevKeys,
  dids: StackDids,
): NodeJS.ProcessEnv {
  const controlPlaneDid = dids.controlPlane;
  const base: NodeJS.ProcessEnv = { ...env, DATABASE_URL: config.databaseUrl, REDIS_URL: config.redisUrl, HOST: config.host };
  for (const name of SECRET_ENV) delete base[name];
  const urls = stackUrls(config);
  switch (service) {
    case "control-plane":
      return {
        ...base,
        PORT: String(config.controlPlanePort),
        CLAWEA_BOOTSTRAP_KEY: keys.bootstrapKey,
        CLAWEA_KEK: keys.kek,
        CLAWEA_CONTROL_PLANE_SIGNING_KEY: keys.controlPlaneSigningKey,
        CLAWEA_LOG_SIGNING_KEY: keys.logSigningKey,
        ARTIFACT_ROOT: config.artifactRoot,
        CLAWEA_TRUST_GATEWAY_DIDS: dids.gateway,
        CLAWEA_TRUST_DATA_PLANE_DIDS: dids.dataPlane,
        // `pnpm start` applies migrations once before the services start.
        MIGRATE_ON_START: "false",
      };
    case "gateway":
      return {
        ...base,
        GATEWAY_PORT: String(config.gatewayPort),
        GATEWAY_EGRESS_PORT: String(config.egressPort),
        CLAWEA_GATEWAY_SIGNING_KEY: keys.gatewaySigningKey,
        CLAWEA_CST_ISSUERS: env.CLAWEA_CST_ISSUERS || controlPlaneDid,
        CLAWEA_KEK: keys.kek,
        CLAWEA_PROVIDERS: env.CLAWEA_PROVIDERS || devProviders(config),
      };
    case "scripted-model":
      return base;
    case "data-plane":
      return {
        ...base,
        SANDBOX_ROOT: config.sandboxRoot,
        ARTIFACT_ROOT: config.artifactRoot,
        CLAWEA_KEK: keys.kek,
        CLAWEA_DATA_PLANE_SIGNING_KEY: keys.dataPlaneSigningKey,
        CLAWEA_LOG_SIGNING_KEY: keys.logSigningKey,
        CLAWEA_CST_ISSUERS: env.CLAWEA_CST_ISSUERS || controlPlaneDid,
        GATEWAY_MODEL_URL: env.GATEWAY_MODEL_URL || urls.gatewayModel,
        GATEWAY_EGRESS_PROXY_URL: env.GATEWAY_EGRESS_PROXY_URL || urls.gatewayEgress,
      };
  }
}
