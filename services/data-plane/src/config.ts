/** The data plane's configuration: parsed once from the environment, frozen. */
import { resolve } from "node:path";
import { keyringFrom, type Keyring } from "@clawea/db";
import { b64uDecode, isDidKey, keyPairFromSeed, type KeyPair } from "@clawea/protocol";

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
  /** Opens agents' signing keys and runs' sealed CSTs. */
  keyring: Keyring;
  /** Signs execution attestations. */
  signer: KeyPair;
  /** Signs the transparency log's tree heads. */
  logSigner: KeyPair;
  /** The control plane's did:keys: the only issuers of run CSTs. */
  cstIssuers: readonly string[];
  /** Where the `fs` artifact store keeps its files. */
  artifactRoot: string;
  /** How long one phase of one run may take. */
  agentTimeoutMs: number;
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

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

function seedKey(env: NodeJS.ProcessEnv, name: string, what: string): KeyPair {
  const raw = required(env, name, `${what}, an Ed25519 seed of 32 bytes, base64url (clawea keygen)`);
  try {
    return keyPairFromSeed(b64uDecode(raw));
  } catch {
    throw new ConfigError(`${name} must be a 32-byte Ed25519 seed, base64url`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  let keyring: Keyring;
  try {
    keyring = keyringFrom(required(env, "CLAWEA_KEK", "the key-encryption key the control plane uses (32 bytes, base64url)"), integer(env, "CLAWEA_KEK_VERSION", 1, 1));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`CLAWEA_KEK: ${(error as Error).message}`);
  }
  const cstIssuers = required(env, "CLAWEA_CST_ISSUERS", "the control plane's did:key (comma-separated if several)")
    .split(",")
    .map((did) => did.trim())
    .filter((did) => did !== "");
  if (cstIssuers.length === 0 || !cstIssuers.every(isDidKey)) throw new ConfigError("CLAWEA_CST_ISSUERS must list did:key identifiers");
  return Object.freeze({
    keyring,
    signer: seedKey(env, "CLAWEA_DATA_PLANE_SIGNING_KEY", "the data plane's attestation key"),
    logSigner: seedKey(env, "CLAWEA_LOG_SIGNING_KEY", "the transparency log's key"),
    cstIssuers: Object.freeze(cstIssuers),
    artifactRoot: resolve(env.ARTIFACT_ROOT || ".data/artifacts"),
    agentTimeoutMs: integer(env, "AGENT_TIMEOUT_MS", 600_000, 1_000),
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
