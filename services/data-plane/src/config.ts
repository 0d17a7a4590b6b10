/** The data plane's configuration: parsed once from the environment, frozen. */
import { resolve } from "node:path";

export const SANDBOX_PROVIDERS = ["local"] as const;
export type SandboxProviderName = (typeof SANDBOX_PROVIDERS)[number];

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  sandboxProvider: SandboxProviderName;
  /** Where the `local` provider keeps one directory per sandbox. */
  sandboxRoot: string;
  /** What every sandbox is given as its only egress. */
  gateway: { modelUrl: string; egressProxyUrl: string };
  concurrency: number;
  logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) throw new ConfigError(`${name} must be an integer >= ${min}, got ${raw}`);
  return value;
}

function url(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    return new URL(raw).toString();
  } catch {
    throw new ConfigError(`${name} must be a URL, got ${raw}`);
  }
}

function provider(raw: string | undefined): SandboxProviderName {
  const name = raw || "local";
  if (!(SANDBOX_PROVIDERS as readonly string[]).includes(name)) {
    throw new ConfigError(`SANDBOX_PROVIDER=${name} is not available; this build supports: ${SANDBOX_PROVIDERS.join(", ")}`);
  }
  return name as SandboxProviderName;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  return Object.freeze({
    databaseUrl: env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/clawea",
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    sandboxProvider: provider(env.SANDBOX_PROVIDER),
    sandboxRoot: resolve(env.SANDBOX_ROOT || ".data/sandboxes"),
    gateway: Object.freeze({
      modelUrl: url(env, "GATEWAY_MODEL_URL", "http://127.0.0.1:8081/v1"),
      egressProxyUrl: url(env, "GATEWAY_EGRESS_PROXY_URL", "http://127.0.0.1:8082"),
    }),
    concurrency: integer(env, "WORKER_CONCURRENCY", 8, 1),
    logLevel: env.LOG_LEVEL || "info",
  });
}
