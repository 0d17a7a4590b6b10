/**
 * One internal model for WPC v1 and v2: compiled rules per layer (the policy and the parents it inherits),
 * budgets and model-identity floor, with default deny wherever the document is silent.
 */
import { hashJcsB64u, ProtocolError, type ReasonCode } from "@clawea/protocol";
import { validate, type SchemaError, type WorkPolicyContractV1, type WorkPolicyContractV2 } from "@clawea/schema";
import { parseEgressPattern, type EgressPattern } from "./egress.pattern.js";
import { compileResource, compileRule, ruleFromStatement, type Rule } from "./rules.eval.js";
import { SIDE_EFFECT_KINDS, type SideEffectKind } from "./side-effect.model.js";

export type WorkPolicyContract = WorkPolicyContractV1 | WorkPolicyContractV2;

export const MODEL_IDENTITY_TIERS = ["closed_opaque", "closed_provider_manifest", "openweights_hashable", "tee_measured"] as const;
export type ModelIdentityTier = (typeof MODEL_IDENTITY_TIERS)[number];

export interface Budget {
  /** Tokens (in + out) a run may use; 0 when the policy sets none. */
  readonly max_tokens_per_run: number;
  /** Cost in minor currency units a run may use; 0 when the policy sets none. */
  readonly max_cost_minor_per_run: number;
}

export interface PolicyLayer {
  readonly policy_id: string;
  readonly policy_version: "1" | "2";
  readonly policy_hash_b64u: string;
  readonly rules: readonly Rule[];
}

export interface RedactionRule {
  readonly path: string;
  readonly action: "remove" | "hash" | "mask";
}

export interface Policy {
  readonly policy_id: string;
  readonly policy_version: "1" | "2";
  /** The content address of the policy's own document (parents have theirs in `layers`). */
  readonly policy_hash_b64u: string;
  readonly issuer_did: string;
  /** The policy first, then each parent it inherits: an action must be allowed by every layer (strict intersection). */
  readonly layers: readonly PolicyLayer[];
  /** The smallest budget of any layer. */
  readonly budget: Budget;
  /**
   * `metadata.clawea.stateless` in any layer: every run executes in a fresh sandbox of its own, with no
   * persistence, destroyed when the run ends.
   */
  readonly stateless: boolean;
  /** The strictest floor of any layer; null when none sets one. */
  readonly minimum_model_identity_tier: ModelIdentityTier | null;
  readonly receipt_privacy_mode: "hash_only" | "encrypted" | null;
  /** Every layer's rules, for the gateway to apply before hashing and forwarding. */
  readonly redaction_rules: readonly RedactionRule[];
  /** Destination patterns this policy's own Allow rules name for network egress (informational). */
  readonly egress_allowlist: readonly EgressPattern[];
  /** Side-effect kinds some Allow rule could permit in every layer (informational; decide is the authority). */
  readonly side_effect_kinds: readonly SideEffectKind[];
  /** Hosts an Allow rule names without a wildcard: the others are a `new_domain` risk. */
  readonly named_hosts: ReadonlySet<string>;
}

export type NormalizeReasonCode = Extract<ReasonCode, "POLICY_INVALID" | "POLICY_PARENT_UNRESOLVED" | "CANONICALIZATION_FAILED">;

export type NormalizeResult =
  | { readonly ok: true; readonly policy: Policy }
  | { readonly ok: false; readonly reason_code: NormalizeReasonCode; readonly errors: readonly SchemaError[] };

export interface NormalizeOptions {
  /** Looks up a parent named by `inherits` (from a registry the caller has already read); undefined if unknown. */
  resolveParent?: (policyId: string) => unknown;
}

/** How many parents a chain may have. */
export const MAX_INHERITANCE_DEPTH = 8;
const BUDGET_KEYS = ["max_tokens_per_run", "max_cost_minor_per_run"] as const;

/** The registry's content address of a WPC: b64u(sha256(JCS(document))). */
export function policyHash(wpc: WorkPolicyContract): string {
  return hashJcsB64u(wpc);
}

class NormalizeError extends Error {
  constructor(
    readonly reasonCode: NormalizeReasonCode,
    readonly errors: SchemaError[],
  ) {
    super(errors[0]?.message ?? reasonCode);
  }
}

function invalid(path: string, message: string): NormalizeError {
  return new NormalizeError("POLICY_INVALID", [{ path, message }]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const EXTENSION_KEYS = ["budget", "stateless"];

/** `metadata.clawea.stateless`: a boolean when present. */
function readStateless(metadata: Record<string, unknown> | undefined): boolean {
  const extension = metadata?.["clawea"];
  if (!isPlainObject(extension) || extension["stateless"] === undefined) return false;
  if (typeof extension["stateless"] !== "boolean") throw invalid("/metadata/clawea/stateless", "must be a boolean");
  return extension["stateless"];
}

/** clawea's extension, kept in the hash-bound `metadata`: `metadata.clawea.budget.{max_tokens_per_run, max_cost_minor_per_run}` and `metadata.clawea.stateless`. */
function readBudget(metadata: Record<string, unknown> | undefined): Budget {
  const budget = { max_tokens_per_run: 0, max_cost_minor_per_run: 0 };
  const extension = metadata?.["clawea"];
  if (extension === undefined) return budget;
  if (!isPlainObject(extension)) throw invalid("/metadata/clawea", "must be an object");
  for (const key of Object.keys(extension)) if (!EXTENSION_KEYS.includes(key)) throw invalid(`/metadata/clawea/${key}`, "is not a clawea policy extension");
  const declared = extension["budget"];
  if (declared === undefined) return budget;
  if (!isPlainObject(declared)) throw invalid("/metadata/clawea/budget", "must be an object");
  for (const key of Object.keys(declared)) {
    if (!(BUDGET_KEYS as readonly string[]).includes(key)) throw invalid(`/metadata/clawea/budget/${key}`, "is not a budget dimension");
  }
  for (const key of BUDGET_KEYS) {
    const value = declared[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw invalid(`/metadata/clawea/budget/${key}`, "must be a non-negative integer");
    }
    budget[key] = value;
  }
  return budget;
}

/** v1 lists as rules. Silence allows nothing: no providers or no models means no model, no allowlist means no egress. */
function rulesFromV1(wpc: WorkPolicyContractV1): Rule[] {
  const rules: Rule[] = [];
  const providers = wpc.allowed_providers ?? [];
  const models = wpc.allowed_models ?? [];
  if (providers.length > 0 && models.length > 0) {
    rules.push(
      compileRule({
        sid: "v1:allowed_models",
        effect: "Allow",
        actions: ["model:invoke"],
        resources: models.map(compileResource),
        conditions: [{ operator: "StringIn", key: "Model:Provider", expected: providers }],
      }),
    );
  }
  const egress = wpc.egress_allowlist ?? [];
  egress.forEach((entry, i) => {
    if (parseEgressPattern(entry) === null) throw invalid(`/egress_allowlist/${i}`, "is not a [scheme://]host[:port] pattern");
  });
  if (egress.length > 0) {
    rules.push(
      compileRule({ sid: "v1:egress_allowlist", effect: "Allow", actions: ["side_effect:network_egress"], resources: egress.map(compileResource) }),
    );
  }
  return rules;
}

interface ParsedLayer {
  layer: PolicyLayer;
  wpc: WorkPolicyContract;
}

/** The canonicaliser's `$.a[0].b` as the JSON Pointer `/a/0/b` that schema errors use. */
function toPointer(path: string): string {
  return path.replace(/^\$/, "").replace(/\[(\d+)\]/g, ".$1").split(".").join("/");
}

function parseLayer(document: unknown): ParsedLayer {
  if (!isPlainObject(document)) throw invalid("", "must be an object");
  const version = document["policy_version"];
  if (version !== "1" && version !== "2") throw invalid("/policy_version", 'must be "1" or "2"');
  const checked = validate(version === "1" ? "wpc_v1" : "wpc_v2", document);
  if (!checked.ok) throw new NormalizeError("POLICY_INVALID", checked.errors);
  const wpc = checked.value;
  let hash: string;
  try {
    hash = policyHash(wpc);
  } catch (error) {
    if (error instanceof ProtocolError) throw new NormalizeError("CANONICALIZATION_FAILED", [{ path: toPointer(error.path ?? "$"), message: error.message }]);
    throw error;
  }
  const rules = wpc.policy_version === "1" ? rulesFromV1(wpc) : wpc.statements.map(ruleFromStatement);
  return { wpc, layer: { policy_id: wpc.policy_id, policy_version: wpc.policy_version, policy_hash_b64u: hash, rules } };
}

function allowsAction(layer: PolicyLayer, action: string): boolean {
  return layer.rules.some((rule) => rule.effect === "Allow" && rule.actions.some((a) => a.test(action)));
}

const TIER_RANK = new Map<string, number>(MODEL_IDENTITY_TIERS.map((tier, i) => [tier, i]));

export function tierRank(tier: string): number {
  return TIER_RANK.get(tier) ?? -1;
}

/**
 * Validates a WPC (v1 or v2) against its schema and clawea's `metadata.clawea` extension, resolves the
 * parents it inherits, and compiles everything once. Never throws; an unusable document is an answer.
 */
export function normalizePolicy(document: unknown, options: NormalizeOptions = {}): NormalizeResult {
  try {
    const chain: ParsedLayer[] = [parseLayer(document)];
    for (let current = chain[0]!.wpc; current.policy_version === "2" && current.inherits !== undefined; ) {
      const parentId: string = current.inherits;
      if (chain.length > MAX_INHERITANCE_DEPTH) throw new NormalizeError("POLICY_PARENT_UNRESOLVED", [{ path: "/inherits", message: "inheritance is deeper than 8 policies" }]);
      if (chain.some((p) => p.wpc.policy_id === parentId)) throw new NormalizeError("POLICY_PARENT_UNRESOLVED", [{ path: "/inherits", message: `inheritance cycle through ${parentId}` }]);
      const raw = options.resolveParent?.(parentId);
      if (raw === undefined) throw new NormalizeError("POLICY_PARENT_UNRESOLVED", [{ path: "/inherits", message: `parent policy ${parentId} is not available` }]);
      const parent = parseLayer(raw);
      if (parent.wpc.policy_id !== parentId) throw new NormalizeError("POLICY_PARENT_UNRESOLVED", [{ path: "/inherits", message: `the resolver returned ${parent.wpc.policy_id} for ${parentId}` }]);
      chain.push(parent);
      current = parent.wpc;
    }
    const budgets = chain.map((p) => readBudget(p.wpc.metadata));
    const tiers = chain.flatMap((p) => (p.wpc.policy_version === "1" && p.wpc.minimum_model_identity_tier !== undefined ? [p.wpc.minimum_model_identity_tier] : []));
    const own = chain[0]!;
    const layers = chain.map((p) => p.layer);
    const egressAllowlist: EgressPattern[] = [];
    const namedHosts = new Set<string>();
    for (const rule of own.layer.rules) {
      if (rule.effect !== "Allow" || !rule.actions.some((a) => a.test("side_effect:network_egress") || a.test("side_effect:external_api_write"))) continue;
      for (const resource of rule.resources) {
        if (resource.egress === null) continue;
        egressAllowlist.push(resource.egress);
        if (resource.egress.host.literal) namedHosts.add(resource.egress.host.source);
      }
      for (const condition of rule.conditions) {
        if (condition.key === "SideEffect:TargetDomain" && condition.operator === "StringEquals" && typeof condition.expected === "string") {
          namedHosts.add(condition.expected.toLowerCase());
        }
      }
    }
    const policy: Policy = {
      policy_id: own.layer.policy_id,
      policy_version: own.layer.policy_version,
      policy_hash_b64u: own.layer.policy_hash_b64u,
      issuer_did: own.wpc.issuer_did,
      layers,
      budget: {
        max_tokens_per_run: Math.min(...budgets.map((b) => b.max_tokens_per_run)),
        max_cost_minor_per_run: Math.min(...budgets.map((b) => b.max_cost_minor_per_run)),
      },
      stateless: chain.some((p) => readStateless(p.wpc.metadata)),
      minimum_model_identity_tier: tiers.reduce<ModelIdentityTier | null>((max, t) => (max === null || tierRank(t) > tierRank(max) ? t : max), null),
      receipt_privacy_mode: own.wpc.policy_version === "1" ? (own.wpc.receipt_privacy_mode ?? null) : null,
      redaction_rules: chain.flatMap((p) => (p.wpc.policy_version === "1" ? (p.wpc.redaction_rules ?? []) : [])),
      egress_allowlist: egressAllowlist,
      side_effect_kinds: SIDE_EFFECT_KINDS.filter((kind) => layers.every((layer) => allowsAction(layer, `side_effect:${kind}`))),
      named_hosts: namedHosts,
    };
    return { ok: true, policy };
  } catch (error) {
    if (error instanceof NormalizeError) return { ok: false, reason_code: error.reasonCode, errors: error.errors };
    throw error;
  }
}
