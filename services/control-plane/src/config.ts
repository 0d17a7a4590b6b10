/** The control plane's configuration: parsed once from the environment, frozen; no default for a secret. */
import { createHash } from "node:crypto";
import { keyringFrom, type Keyring } from "@clawea/db";
import { resolve } from "node:path";
import { b64uDecode, isDidKey, keyPairFromSeed, type KeyPair } from "@clawea/protocol";
import { ArtifactConfigError, artifactStoreConfig, type ArtifactStoreConfig } from "@clawea/runs";
import { queuePrefixOf } from "@clawea/queue";

export interface Config {
  host: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  /** SHA-256 of the platform bootstrap key: only the operator holds the key itself. */
  bootstrapKeyHash: Buffer;
  keyring: Keyring;
  /** Signs run CSTs, approval receipts and export bundles; its did:key is the gateway's trusted CST issuer. */
  signer: KeyPair;
  /** Public URL of the dashboard, for links on approval cards. */
  dashboardUrl: string | null;
  /** The artifact store shared with the data plane (`ARTIFACT_STORE=fs` under `ARTIFACT_ROOT`, or `s3` with `S3_*`). */
  artifactStore: ArtifactStoreConfig;
  /** Gateways' and data planes' did:keys, published in GET /v1/trust. */
  trustedSigners: { gateway: readonly string[]; dataPlane: readonly string[] };
  /** The transparency log's Ed25519 key; optional for now: without it the log routes answer DEPENDENCY_NOT_CONFIGURED. */
  logSigner: KeyPair | null;
  logLevel: string;
  bodyLimitBytes: number;
  migrateOnStart: boolean;
  /** BullMQ key prefix (`QUEUE_PREFIX`): platforms sharing one Redis keep their queues apart with it. */
  queuePrefix: string;
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

function artifactStore(env: NodeJS.ProcessEnv): ArtifactStoreConfig {
  try {
    return artifactStoreConfig(env, resolve(env.ARTIFACT_ROOT || ".data/artifacts"));
  } catch (error) {
    if (error instanceof ArtifactConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

function queuePrefix(env: NodeJS.ProcessEnv): string {
  const prefix = queuePrefixOf(env.QUEUE_PREFIX);
  if (prefix === null) throw new ConfigError(`QUEUE_PREFIX must be 1-64 letters, digits, '_', '.', '-', got ${env.QUEUE_PREFIX}`);
  return prefix;
}

function didList(env: NodeJS.ProcessEnv, name: string): readonly string[] {
  const list = (env[name] ?? "").split(",").map((did) => did.trim()).filter((did) => did !== "");
  if (!list.every(isDidKey)) throw new ConfigError(`${name} must be a comma-separated list of did:key identifiers`);
  return Object.freeze(list);
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
  let signer: KeyPair;
  try {
    signer = keyPairFromSeed(b64uDecode(required(env, "CLAWEA_CONTROL_PLANE_SIGNING_KEY", "the control plane's Ed25519 seed, 32 bytes base64url (clawea keygen)")));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError("CLAWEA_CONTROL_PLANE_SIGNING_KEY must be a 32-byte Ed25519 seed, base64url");
  }
  let logSigner: KeyPair | null = null;
  if (env.CLAWEA_LOG_SIGNING_KEY) {
    try {
      logSigner = keyPairFromSeed(b64uDecode(env.CLAWEA_LOG_SIGNING_KEY));
    } catch {
      throw new ConfigError("CLAWEA_LOG_SIGNING_KEY must be a 32-byte Ed25519 seed, base64url");
    }
  }
  return Object.freeze({
    host: env.HOST ?? "127.0.0.1",
    port: integer(env, "PORT", 8080),
    databaseUrl: env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/clawea",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    bootstrapKeyHash: createHash("sha256").update(bootstrapKey).digest(),
    keyring,
    signer,
    dashboardUrl: env.CLAWEA_DASHBOARD_URL || null,
    artifactStore: artifactStore(env),
    trustedSigners: Object.freeze({ gateway: didList(env, "CLAWEA_TRUST_GATEWAY_DIDS"), dataPlane: didList(env, "CLAWEA_TRUST_DATA_PLANE_DIDS") }),
    logSigner,
    logLevel: env.LOG_LEVEL ?? "info",
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 256 * 1024),
    migrateOnStart: env.MIGRATE_ON_START !== "false",
    queuePrefix: queuePrefix(env),
  });
}
