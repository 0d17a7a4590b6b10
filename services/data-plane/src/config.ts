/** The data plane's configuration: parsed once from the environment, frozen. */
import { resolve } from "node:path";
import { keyringFrom, type Keyring } from "@clawea/db";
import { b64uDecode, isDidKey, keyPairFromSeed, type KeyPair } from "@clawea/protocol";
import { ArtifactConfigError, artifactStoreConfig, type ArtifactStoreConfig } from "@clawea/runs";
import { queuePrefixOf } from "@clawea/queue";

export const SANDBOX_PROVIDERS = ["local", "cloudflare"] as const;
export type SandboxProviderName = (typeof SANDBOX_PROVIDERS)[number];

export type { ArtifactStoreConfig };

export interface Config {
  databaseUrl: string;
  redisUrl: string;
  sandboxProvider: SandboxProviderName;
  /** Where the `local` provider keeps one directory per sandbox. */
  sandboxRoot: string;
  /** The `cloudflare` provider's bridge Worker (infra/cloudflare) and its bearer token; null for other providers. */
  cloudflareBridge: { url: string; token: string } | null;
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
  /** `ARTIFACT_STORE`: `fs` (under `artifactRoot`) or `s3` (`S3_*`). */
  artifactStore: ArtifactStoreConfig;
  /** How often the fleet's health sweep checks every running agent (one scheduler for all data planes). */
  healthIntervalMs: number;
  /** BullMQ key prefix (`QUEUE_PREFIX`): platforms sharing one Redis keep their queues apart with it. */
  queuePrefix: string;
  /** Failed sandbox restarts in a row after which an agent is `failed` (`SANDBOX_RESTART_FAILED`). */
  maxRestartFailures: number;
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

/** Read only when SANDBOX_PROVIDER=cloudflare; the token never travels in clear text beyond this host. */
function cloudflareBridge(env: NodeJS.ProcessEnv, name: SandboxProviderName): Config["cloudflareBridge"] {
  if (name !== "cloudflare") return null;
  const raw = required(env, "CLOUDFLARE_BRIDGE_URL", "the sandbox bridge Worker's URL (infra/cloudflare, wrangler deploy)");
  let bridge: URL;
  try {
    bridge = new URL(raw);
  } catch {
    throw new ConfigError(`CLOUDFLARE_BRIDGE_URL must be a URL, got ${raw}`);
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(bridge.hostname);
  if (bridge.protocol !== "https:" && !(bridge.protocol === "http:" && loopback)) {
    throw new ConfigError("CLOUDFLARE_BRIDGE_URL must be https (plain http only on loopback)");
  }
  return Object.freeze({
    url: bridge.toString(),
    token: required(env, "CLOUDFLARE_BRIDGE_TOKEN", "the bridge Worker's BRIDGE_TOKEN secret (wrangler secret put BRIDGE_TOKEN)"),
  });
}

function seedKey(env: NodeJS.ProcessEnv, name: string, what: string): KeyPair {
  const raw = required(env, name, `${what}, an Ed25519 seed of 32 bytes, base64url (clawea keygen)`);
  try {
    return keyPairFromSeed(b64uDecode(raw));
  } catch {
    throw new ConfigError(`${name} must be a 32-byte Ed25519 seed, base64url`);
  }
}

function artifactStore(env: NodeJS.ProcessEnv, root: string): ArtifactStoreConfig {
  try {
    return artifactStoreConfig(env, root);
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
  const artifactRoot = resolve(env.ARTIFACT_ROOT || ".data/artifacts");
  const sandboxProvider = provider(env.SANDBOX_PROVIDER);
  return Object.freeze({
    keyring,
    signer: seedKey(env, "CLAWEA_DATA_PLANE_SIGNING_KEY", "the data plane's attestation key"),
    logSigner: seedKey(env, "CLAWEA_LOG_SIGNING_KEY", "the transparency log's key"),
    cstIssuers: Object.freeze(cstIssuers),
    artifactRoot,
    artifactStore: artifactStore(env, artifactRoot),
    healthIntervalMs: integer(env, "HEALTH_INTERVAL_SECONDS", 30, 1) * 1000,
    queuePrefix: queuePrefix(env),
    maxRestartFailures: integer(env, "AGENT_RESTART_MAX_FAILURES", 3, 1),
    agentTimeoutMs: integer(env, "AGENT_TIMEOUT_MS", 600_000, 1_000),
    databaseUrl: env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/clawea",
    redisUrl: env.REDIS_URL || "redis://127.0.0.1:6379",
    sandboxProvider,
    sandboxRoot: resolve(env.SANDBOX_ROOT || ".data/sandboxes"),
    cloudflareBridge: cloudflareBridge(env, sandboxProvider),
    gateway: Object.freeze({
      modelUrl: url(env, "GATEWAY_MODEL_URL", "http://127.0.0.1:8081/v1"),
      egressProxyUrl: url(env, "GATEWAY_EGRESS_PROXY_URL", "http://127.0.0.1:8082"),
    }),
    concurrency: integer(env, "WORKER_CONCURRENCY", 8, 1),
    logLevel: env.LOG_LEVEL || "info",
  });
}
