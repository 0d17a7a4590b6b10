/** The dev stack's shape: ports, URLs and each service's environment (least privilege: each gets only its keys). */
import type { DevKeys } from "./keys.js";

export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/clawea";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export const SERVICES = ["control-plane", "gateway", "data-plane"] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface StackConfig {
  databaseUrl: string;
  redisUrl: string;
  host: string;
  controlPlanePort: number;
  gatewayPort: number;
  egressPort: number;
  sandboxRoot: string;
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

const SECRET_ENV = ["CLAWEA_BOOTSTRAP_KEY", "CLAWEA_KEK", "CLAWEA_GATEWAY_SIGNING_KEY", "CLAWEA_CONTROL_PLANE_SIGNING_KEY"];

/** Each service's environment: the caller's env without any secret, plus what that service needs. */
export function serviceEnv(
  service: ServiceName,
  env: NodeJS.ProcessEnv,
  config: StackConfig,
  keys: DevKeys,
  controlPlaneDid: string,
): NodeJS.ProcessEnv {
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
        // Not read yet: the control plane signs CSTs with it once runs land.
        CLAWEA_CONTROL_PLANE_SIGNING_KEY: keys.controlPlaneSigningKey,
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
      };
    case "data-plane":
      return {
        ...base,
        SANDBOX_ROOT: config.sandboxRoot,
        GATEWAY_MODEL_URL: env.GATEWAY_MODEL_URL || urls.gatewayModel,
        GATEWAY_EGRESS_PROXY_URL: env.GATEWAY_EGRESS_PROXY_URL || urls.gatewayEgress,
      };
  }
}
