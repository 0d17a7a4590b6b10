/** The control plane's configuration: parsed once from the environment, frozen; no default for a secret. */
import { createHash } from "node:crypto";
import { keyringFrom, type Keyring } from "@clawea/db";

export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** SHA-256 of the platform bootstrap key: only the operator holds the key itself. */
  bootstrapKeyHash: Buffer;
  keyring: Keyring;
  logLevel: string;
  bodyLimitBytes: number;
  migrateOnStart: boolean;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const bootstrapKey = required(env, "CLAWEA_BOOTSTRAP_KEY", "the platform operator's key for creating tenants (any long random string)");
  if (bootstrapKey.length < 24) throw new ConfigError("CLAWEA_BOOTSTRAP_KEY must be at least 24 characters");
  const kek = required(env, "CLAWEA_KEK", "32 random bytes, base64url (e.g. `openssl rand -base64 32 | tr '+/' '-_' | tr -d =`)");
  let keyring: Keyring;
  try {
    keyring = keyringFrom(kek, integer(env, "CLAWEA_KEK_VERSION", 1));
  } catch (error) {
    throw new ConfigError(`CLAWEA_KEK: ${(error as Error).message}`);
  }
  return Object.freeze({
    host: env.HOST ?? "127.0.0.1",
    port: integer(env, "PORT", 8080),
    databaseUrl: env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/clawea",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    bootstrapKeyHash: createHash("sha256").update(bootstrapKey).digest(),
    keyring,
    logLevel: env.LOG_LEVEL ?? "info",
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 256 * 1024),
    migrateOnStart: env.MIGRATE_ON_START !== "false",
  });
}
