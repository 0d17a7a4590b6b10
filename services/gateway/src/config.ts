/** The gateway's configuration: parsed once from the environment, frozen; no default for a secret. */
import { b64uDecode, isDidKey, keyPairFromSeed, type KeyPair } from "@clawea/protocol";
import { keyringFrom, type Keyring } from "@clawea/db";
import { MODEL_IDENTITY_TIERS, type ModelIdentityTier } from "@clawea/policy";

export interface ProviderRoute {
  /** Upstream base URL, e.g. https://api.openai.com/v1 (tests point it at a scripted local server). */
  baseUrl: string;
  api: "openai" | "anthropic";
  /**
   * What the operator vouches for about the identity of every model behind this route. It is stated to
   * the policy (a WPC's `minimum_model_identity_tier`) and recorded in the receipt. Absent: unknown, so a
   * policy with a tier floor denies this provider's models.
   */
  model_identity_tier?: ModelIdentityTier;
  /**
   * The price list: per model name (or `*` for the provider's other models), minor currency units per
   * million input and output tokens. A priced call's cost counts against the WPC's
   * `max_cost_minor_per_run` and is recorded in its receipt; an unpriced model costs 0.
   */
  prices?: Record<string, ModelPrice>;
}

export interface ModelPrice {
  input_per_mtok_minor: number;
  output_per_mtok_minor: number;
}

export interface GatewayConfig {
  host: string;
  /** Model API (OpenAI- and Anthropic-compatible base URLs). */
  port: number;
  /** HTTP forward proxy and CONNECT tunnel for all other egress. */
  egressPort: number;
  databaseUrl: string;
  redisUrl: string;
  /** The gateway's receipt-signing key (did:key published by GET /v1/trust). */
  signer: KeyPair;
  gatewayId: string;
  /** did:key of every CST issuer (the control plane). */
  cstIssuers: string[];
  keyring: Keyring;
  providers: Record<string, ProviderRoute>;
  upstreamTimeoutMs: number;
  bodyLimitBytes: number;
  logLevel: string;
  /** Server processes on the same ports (GATEWAY_WORKERS, default 1); more than one runs a supervising primary. */
  workers: number;
  /**
   * How a model call's `llm_call` event is committed before its answer is released (GATEWAY_CHAIN_COMMIT):
   * `async` (default) does not wait for PostgreSQL's WAL flush, the call's receipt batch flushes it
   * within milliseconds; `sync` waits for it (see the README's "Durability").
   */
  chainCommit: ChainCommit;
}

export const CHAIN_COMMITS = ["async", "sync"] as const;
export type ChainCommit = (typeof CHAIN_COMMITS)[number];

/** GATEWAY_CHAIN_COMMIT, default `async`. */
export function chainCommitOf(env: NodeJS.ProcessEnv): ChainCommit {
  const value = env.GATEWAY_CHAIN_COMMIT ?? "async";
  if (!(CHAIN_COMMITS as readonly string[]).includes(value)) throw new ConfigError(`GATEWAY_CHAIN_COMMIT must be one of ${CHAIN_COMMITS.join(", ")}`);
  return value as ChainCommit;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

// Public closed-model APIs: the gateway can claim no more about their models than their names.
const DEFAULT_PROVIDERS: Record<string, ProviderRoute> = {
  openai: { baseUrl: "https://api.openai.com/v1", api: "openai", model_identity_tier: "closed_opaque" },
  anthropic: { baseUrl: "https://api.anthropic.com", api: "anthropic", model_identity_tier: "closed_opaque" },
};

const PROVIDERS_EXAMPLE = '{"openai":{"baseUrl":"https://api.openai.com/v1","api":"openai","model_identity_tier":"closed_opaque"}}';
const PROVIDER_FIELDS = ["baseUrl", "api", "model_identity_tier", "prices"];
// A provider is addressed as `<provider>/<model>`, so its name cannot hold a slash.
const PROVIDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parsePrices(value: unknown, at: string): Record<string, ModelPrice> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new ConfigError(`${at} must be an object {"<model or *>": {input_per_mtok_minor, output_per_mtok_minor}}`);
  const prices: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(value)) {
    if (!isPlainObject(price)) throw new ConfigError(`${at}.${model} must be {input_per_mtok_minor, output_per_mtok_minor}`);
    const unknown = Object.keys(price).find((key) => key !== "input_per_mtok_minor" && key !== "output_per_mtok_minor");
    if (unknown !== undefined) throw new ConfigError(`${at}.${model}.${unknown} is not a price (input_per_mtok_minor, output_per_mtok_minor)`);
    const input = price["input_per_mtok_minor"];
    const output = price["output_per_mtok_minor"];
    for (const [field, n] of [["input_per_mtok_minor", input], ["output_per_mtok_minor", output]] as const) {
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new ConfigError(`${at}.${model}.${field} must be a non-negative integer`);
    }
    prices[model] = { input_per_mtok_minor: input as number, output_per_mtok_minor: output as number };
  }
  return prices;
}

/** `CLAWEA_PROVIDERS`: `{provider: {baseUrl, api, model_identity_tier?, prices?}}`, every member checked. */
function parseProviders(raw: string): Record<string, ProviderRoute> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`CLAWEA_PROVIDERS must be JSON: ${PROVIDERS_EXAMPLE}`);
  }
  if (!isPlainObject(parsed)) throw new ConfigError(`CLAWEA_PROVIDERS must be a JSON object: ${PROVIDERS_EXAMPLE}`);
  const providers: Record<string, ProviderRoute> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const at = `CLAWEA_PROVIDERS.${name}`;
    if (!PROVIDER_NAME.test(name)) throw new ConfigError(`${at}: a provider name is letters, digits, ".", "_" or "-" (no "/"), at most 64 characters`);
    if (!isPlainObject(value)) throw new ConfigError(`${at} must be an object {baseUrl, api, model_identity_tier?}`);
    const unknown = Object.keys(value).find((key) => !PROVIDER_FIELDS.includes(key));
    if (unknown !== undefined) throw new ConfigError(`${at}.${unknown} is not a provider setting (${PROVIDER_FIELDS.join(", ")})`);
    const { baseUrl, api, model_identity_tier: tier } = value;
    if (typeof baseUrl !== "string" || !URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) throw new ConfigError(`${at}.baseUrl must be an http(s) URL`);
    if (api !== "openai" && api !== "anthropic") throw new ConfigError(`${at}.api must be "openai" or "anthropic"`);
    if (tier !== undefined && !(MODEL_IDENTITY_TIERS as readonly unknown[]).includes(tier)) {
      throw new ConfigError(`${at}.model_identity_tier must be one of ${MODEL_IDENTITY_TIERS.join(", ")}`);
    }
    const prices = parsePrices(value["prices"], `${at}.prices`);
    providers[name] = {
      baseUrl,
      api,
      ...(tier === undefined ? {} : { model_identity_tier: tier as ModelIdentityTier }),
      ...(prices === undefined ? {} : { prices }),
    };
  }
  return providers;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new ConfigError(`${name} must be a non-negative integer, got ${raw}`);
  return value;
}

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name} is not set: ${hint}`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<GatewayConfig> {
  let signer: KeyPair;
  try {
    signer = keyPairFromSeed(b64uDecode(required(env, "CLAWEA_GATEWAY_SIGNING_KEY", "the gateway's Ed25519 seed, 32 bytes base64url (clawea keygen)")));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError("CLAWEA_GATEWAY_SIGNING_KEY must be a 32-byte Ed25519 seed, base64url");
  }
  const cstIssuers = required(env, "CLAWEA_CST_ISSUERS", "comma-separated did:key of the control plane(s) that mint CSTs")
    .split(",")
    .map((did) => did.trim())
    .filter(Boolean);
  if (cstIssuers.length === 0 || !cstIssuers.every(isDidKey)) throw new ConfigError("CLAWEA_CST_ISSUERS must list Ed25519 did:key values");
  const providers = env.CLAWEA_PROVIDERS ? parseProviders(env.CLAWEA_PROVIDERS) : DEFAULT_PROVIDERS;
  let keyring: Keyring;
  try {
    keyring = keyringFrom(required(env, "CLAWEA_KEK", "the key-encryption key the control plane sealed secrets with"), integer(env, "CLAWEA_KEK_VERSION", 1));
  } catch (error) {
    throw error instanceof ConfigError ? error : new ConfigError(`CLAWEA_KEK: ${(error as Error).message}`);
  }
  return Object.freeze({
    host: env.HOST ?? "127.0.0.1",
    port: integer(env, "GATEWAY_PORT", 8081),
    egressPort: integer(env, "GATEWAY_EGRESS_PORT", 8082),
    databaseUrl: env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/clawea",
    redisUrl: env.REDIS_URL ?? "redis://127.0.0.1:6379",
    signer,
    gatewayId: env.CLAWEA_GATEWAY_ID ?? "gw_local",
    cstIssuers,
    keyring,
    providers,
    upstreamTimeoutMs: integer(env, "UPSTREAM_TIMEOUT_MS", 120_000),
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 4 * 1024 * 1024),
    logLevel: env.LOG_LEVEL ?? "info",
    workers: Math.max(1, integer(env, "GATEWAY_WORKERS", 1)),
    chainCommit: chainCommitOf(env),
  });
}
