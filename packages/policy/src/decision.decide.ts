/**
 * The one decision function: the gateway calls it per model call, egress attempt and side effect, and
 * preflight calls it for a whole scope, so both always agree. Pure: time and usage come in as arguments.
 */
import { isRfc3339, type ReasonCode } from "@clawea/protocol";
import { canonicalHost, destinationTarget, isPort, isScheme, type Destination, type Scheme } from "./egress.pattern.js";
import { scopeFrom, type ApprovedScope } from "./plan.model.js";
import { MODEL_IDENTITY_TIERS, tierRank, type ModelIdentityTier, type Policy } from "./policy.model.js";
import { evaluateRules, type Lookup, type Target } from "./rules.eval.js";
import {
  canonicalTarget,
  destinationOf,
  isSideEffectKind,
  riskFlags,
  type IntendedSideEffect,
  type ScopeEntry,
  type SideEffectKind,
} from "./side-effect.model.js";

export type PolicyRequest =
  | {
      readonly type: "model_call";
      readonly provider: string;
      readonly model: string;
      /** Tokens this call may add (prompt + max output); counted against the budget before the call. */
      readonly estimated_tokens?: number;
      /** Required when the policy sets a minimum model identity tier. */
      readonly model_identity_tier?: ModelIdentityTier;
    }
  | {
      readonly type: "egress";
      readonly scheme: Scheme;
      readonly host: string;
      readonly port: number;
      /** Absent through a CONNECT tunnel. */
      readonly method?: string;
    }
  | {
      readonly type: "side_effect";
      readonly kind: SideEffectKind;
      /** A URL for network egress and API writes, a path for files, the repository ref, address or channel otherwise. */
      readonly target: string;
      readonly summary?: string;
    };

export type RunPhase = "plan" | "apply";

export interface Usage {
  readonly tokens_used: number;
  readonly cost_used_minor: number;
}

/** Nothing used yet: what a question that does not spend budget (listing models, judging a plan) is asked with. */
export const NO_USAGE: Usage = Object.freeze({ tokens_used: 0, cost_used_minor: 0 });

export interface DecisionContext {
  readonly phase: RunPhase;
  /** RFC 3339; conditions on `Context:Hour` read its UTC hour. */
  readonly now: string;
  readonly usage: Usage;
  /** Apply phase: the scope the run's approval pinned (its hash is checked here). */
  readonly approved_scope?: ApprovedScope;
  /** Read by conditions on `Agent:DID`. */
  readonly agent_did?: string;
}

export const DENY_REASON_CODES = [
  "POLICY_REQUEST_INVALID",
  "POLICY_MODEL_DENIED",
  "POLICY_EGRESS_DENIED",
  "POLICY_SIDE_EFFECT_DENIED",
  "POLICY_BUDGET_EXCEEDED",
  "PLAN_PHASE_SIDE_EFFECT_CAPTURED",
  "APPROVAL_REQUIRED",
  "APPROVED_SCOPE_MISMATCH",
  "SIDE_EFFECT_NOT_APPROVED",
] as const satisfies readonly ReasonCode[];
export type DenyReasonCode = (typeof DENY_REASON_CODES)[number];

export type Decision =
  | { readonly effect: "allow"; readonly statement_ids: readonly string[] }
  | {
      readonly effect: "deny";
      readonly reason_code: DenyReasonCode;
      /** Deterministic, safe to return to the agent; never parse it, read `reason_code`. */
      readonly detail: string;
      /** The statements that denied explicitly; empty for default deny and non-policy reasons. */
      readonly statement_ids: readonly string[];
      /** Plan phase only: what the caller records in the plan instead of performing it. */
      readonly intended_side_effect?: IntendedSideEffect;
    };

const MAX_NAME_LENGTH = 256;
const MAX_SUMMARY_LENGTH = 1024;
const METHOD_RE = /^[A-Za-z]{1,16}$/;

function deny(reason_code: DenyReasonCode, detail: string, statement_ids: readonly string[] = []): Decision {
  return { effect: "deny", reason_code, detail, statement_ids };
}

function isName(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function contextProblem(context: DecisionContext): string | null {
  if (typeof context !== "object" || context === null) return "context must be an object";
  if (context.phase !== "plan" && context.phase !== "apply") return "context.phase must be plan or apply";
  if (!isRfc3339(context.now)) return "context.now must be an RFC 3339 date-time";
  const usage = context.usage as Usage | undefined;
  if (typeof usage !== "object" || usage === null || !isCount(usage.tokens_used) || !isCount(usage.cost_used_minor)) {
    return "context.usage must hold non-negative integers tokens_used and cost_used_minor";
  }
  return null;
}

/** The run's standing as conditions see it: `Run:Phase` and `Request:HasHumanApproval`. */
interface Standing {
  readonly phase: RunPhase;
  readonly approved: boolean;
}

function standingOf(context: DecisionContext): Standing {
  return { phase: context.phase, approved: context.phase === "apply" && context.approved_scope !== undefined };
}

/**
 * A side effect in the plan phase is never performed: the question is whether it may be captured for an
 * approver, and it may be if the apply phase, once approved, would let it through. So the policy is asked
 * as the approved apply phase asks it. Asked with the plan's own standing, a statement that allows only
 * "with human approval" (or only in the apply phase) would deny while planning, and so no approval could
 * ever be asked for it. An explicit Deny that still matches still wins.
 */
const APPROVED_APPLY: Standing = { phase: "apply", approved: true };

/** What conditions may read, computed only when a condition asks. */
function lookupFor(context: DecisionContext, request: Readonly<Record<string, string | undefined>>, standing: Standing = standingOf(context)): Lookup {
  return (key) => {
    if (Object.hasOwn(request, key)) return request[key];
    switch (key) {
      case "Agent:DID":
        return context.agent_did;
      case "Run:Phase":
        return standing.phase;
      case "Run:TokensUsed":
        return String(context.usage.tokens_used);
      case "Run:CostUsedMinor":
        return String(context.usage.cost_used_minor);
      case "Request:HasHumanApproval":
        return String(standing.approved);
      case "Context:Hour":
        return String(new Date(context.now).getUTCHours());
      default:
        return undefined;
    }
  };
}

/** Strict intersection: every layer must allow; an explicit Deny in any layer is reported before a silent one. */
function evaluate(policy: Policy, action: string, target: Target, lookup: Lookup) {
  const allowed: string[] = [];
  let silent: string | null = null;
  for (const layer of policy.layers) {
    const result = evaluateRules(layer.rules, action, target, lookup);
    if (result.effect === "deny") return { allowed: false as const, explicit: true, sids: result.sids, layer: layer.policy_id };
    if (result.effect === "none") silent ??= layer.policy_id;
    else allowed.push(...result.sids);
  }
  if (silent !== null) return { allowed: false as const, explicit: false, sids: [] as string[], layer: silent };
  return { allowed: true as const, sids: allowed };
}

function denialDetail(what: string, outcome: { explicit: boolean; sids: readonly string[]; layer: string }): string {
  return outcome.explicit
    ? `${what} is denied by statement ${outcome.sids.join(", ")} of policy ${outcome.layer}`
    : `${what} is not allowed by policy ${outcome.layer} (default deny)`;
}

function decideModelCall(policy: Policy, request: Extract<PolicyRequest, { type: "model_call" }>, context: DecisionContext): Decision {
  if (!isName(request.provider) || !isName(request.model)) return deny("POLICY_REQUEST_INVALID", "provider and model must be non-empty strings of at most 256 characters");
  const estimated = request.estimated_tokens ?? 0;
  if (!isCount(estimated)) return deny("POLICY_REQUEST_INVALID", "estimated_tokens must be a non-negative integer");
  const tier = request.model_identity_tier;
  if (tier !== undefined && !(MODEL_IDENTITY_TIERS as readonly string[]).includes(tier)) return deny("POLICY_REQUEST_INVALID", "model_identity_tier is not a known tier");

  const lookup = lookupFor(context, { "Model:Provider": request.provider, "Model:Name": request.model });
  const outcome = evaluate(policy, "model:invoke", { kind: "text", value: request.model }, lookup);
  const what = `model ${request.model} of provider ${request.provider}`;
  if (!outcome.allowed) return deny("POLICY_MODEL_DENIED", denialDetail(what, outcome), outcome.sids);

  const floor = policy.minimum_model_identity_tier;
  if (floor !== null && (tier === undefined || tierRank(tier) < tierRank(floor))) {
    return deny("POLICY_MODEL_DENIED", `${what} has identity tier ${tier ?? "unknown"}, below the policy's minimum ${floor}`);
  }

  const { max_tokens_per_run: maxTokens, max_cost_minor_per_run: maxCost } = policy.budget;
  const { tokens_used: tokens, cost_used_minor: cost } = context.usage;
  if (tokens >= maxTokens || tokens + estimated > maxTokens) {
    return deny("POLICY_BUDGET_EXCEEDED", `token budget: ${tokens} used + ${estimated} estimated of ${maxTokens} per run`);
  }
  if (cost >= maxCost) return deny("POLICY_BUDGET_EXCEEDED", `cost budget: ${cost} of ${maxCost} minor units per run used`);
  return { effect: "allow", statement_ids: outcome.sids };
}

interface SideEffectCall {
  entry: ScopeEntry;
  destination: Destination | null;
  method: string | undefined;
  summary: string;
}

function egressCall(request: Extract<PolicyRequest, { type: "egress" }>): SideEffectCall | string {
  if (!isScheme(request.scheme)) return "scheme must be http or https";
  const host = typeof request.host === "string" ? canonicalHost(request.host) : null;
  if (host === null) return "host must be a host name or IP literal";
  if (!isPort(request.port)) return "port must be an integer from 1 to 65535";
  if (request.method !== undefined && (typeof request.method !== "string" || !METHOD_RE.test(request.method))) return "method must be an HTTP method";
  const method = request.method?.toUpperCase();
  const destination = { scheme: request.scheme, host, port: request.port };
  return { entry: { kind: "network_egress", target: destinationTarget(destination) }, destination, method, summary: method ?? "CONNECT" };
}

function sideEffectCall(request: Extract<PolicyRequest, { type: "side_effect" }>): SideEffectCall | string {
  if (!isSideEffectKind(request.kind)) return "kind is not a side-effect kind";
  const target = canonicalTarget(request.kind, request.target);
  if (target === null) return `target is not an admissible ${request.kind} target`;
  if (request.summary !== undefined && (typeof request.summary !== "string" || request.summary.length > MAX_SUMMARY_LENGTH)) {
    return `summary must be a string of at most ${MAX_SUMMARY_LENGTH} characters`;
  }
  const entry: ScopeEntry = { kind: request.kind, target };
  return { entry, destination: destinationOf(entry), method: undefined, summary: request.summary ?? "" };
}

// An approved scope is checked against its hash once per object: the gateway reuses it for a whole run.
const verifiedScopes = new WeakMap<ApprovedScope, ReadonlySet<string> | null>();

function grantedKeys(scope: ApprovedScope): ReadonlySet<string> | null {
  let keys = verifiedScopes.get(scope);
  if (keys === undefined) {
    try {
      const recomputed = scopeFrom(scope.side_effects);
      keys = recomputed.scope_hash_b64u === scope.scope_hash_b64u ? new Set(recomputed.side_effects.map((e) => `${e.kind}\n${e.target}`)) : null;
    } catch {
      keys = null;
    }
    verifiedScopes.set(scope, keys);
  }
  return keys;
}

function decideSideEffect(policy: Policy, call: SideEffectCall, context: DecisionContext): Decision {
  const { entry, destination, method } = call;
  const text: Record<string, string | undefined> = { "SideEffect:Kind": entry.kind, "SideEffect:Target": entry.target };
  if (destination !== null) {
    text["SideEffect:TargetDomain"] = destination.host;
    text["SideEffect:TargetPort"] = String(destination.port);
    text["SideEffect:Scheme"] = destination.scheme;
  }
  if (method !== undefined) text["Request:Method"] = method;
  const target: Target = entry.kind === "network_egress" && destination !== null ? { kind: "destination", value: destination } : { kind: "text", value: entry.target };
  const standing = context.phase === "plan" ? APPROVED_APPLY : standingOf(context);
  const outcome = evaluate(policy, `side_effect:${entry.kind}`, target, lookupFor(context, text, standing));
  if (!outcome.allowed) {
    const code = entry.kind === "network_egress" ? "POLICY_EGRESS_DENIED" : "POLICY_SIDE_EFFECT_DENIED";
    return deny(code, denialDetail(`${entry.kind} to ${entry.target}`, outcome), outcome.sids);
  }

  if (context.phase === "plan") {
    const intended: IntendedSideEffect = {
      kind: entry.kind,
      target: entry.target,
      summary: call.summary,
      risk_flags: riskFlags(method === undefined ? entry : { ...entry, method }, policy),
    };
    return {
      effect: "deny",
      reason_code: "PLAN_PHASE_SIDE_EFFECT_CAPTURED",
      detail: `plan phase: ${entry.kind} to ${entry.target} was recorded as an intended side effect, not performed`,
      statement_ids: [],
      intended_side_effect: intended,
    };
  }
  if (context.approved_scope === undefined) return deny("APPROVAL_REQUIRED", "apply phase without an approved scope: nothing is performed");
  const granted = grantedKeys(context.approved_scope);
  if (granted === null) return deny("APPROVED_SCOPE_MISMATCH", "the approved scope does not hash to its scope_hash_b64u");
  if (!granted.has(`${entry.kind}\n${entry.target}`)) return deny("SIDE_EFFECT_NOT_APPROVED", `${entry.kind} to ${entry.target} is outside the approved scope`);
  return { effect: "allow", statement_ids: outcome.sids };
}

/**
 * Allow or deny one request under a normalised policy. Model calls: allowed model, identity tier, budget.
 * Side effects: the policy first (default deny; in the plan phase asked as the approved apply phase would
 * ask it), then the phase: captured in plan, approved scope in apply.
 */
export function decide(policy: Policy, request: PolicyRequest, context: DecisionContext): Decision {
  const problem = contextProblem(context);
  if (problem !== null) return deny("POLICY_REQUEST_INVALID", problem);
  if (typeof request !== "object" || request === null) return deny("POLICY_REQUEST_INVALID", "request must be an object");
  switch (request.type) {
    case "model_call":
      return decideModelCall(policy, request, context);
    case "egress":
    case "side_effect": {
      const call = request.type === "egress" ? egressCall(request) : sideEffectCall(request);
      return typeof call === "string" ? deny("POLICY_REQUEST_INVALID", call) : decideSideEffect(policy, call, context);
    }
    default:
      return deny("POLICY_REQUEST_INVALID", "request.type must be model_call, egress or side_effect");
  }
}

/** The canonical (kind, target) of a side-effect request, for the caller's side-effect records; null for model calls. */
export function sideEffectOf(request: PolicyRequest): ScopeEntry | null {
  if (request.type === "model_call") return null;
  const call = request.type === "egress" ? egressCall(request) : sideEffectCall(request);
  return typeof call === "string" ? null : call.entry;
}

export interface PreflightResult {
  readonly allowed: boolean;
  /** Each code once, in the order the requests first produced it. */
  readonly reason_codes: readonly DenyReasonCode[];
  readonly decisions: readonly Decision[];
}

export interface PreflightContext {
  readonly now: string;
  readonly usage?: Usage;
  readonly agent_did?: string;
}

/**
 * "Would this scope be allowed under this policy?": every request decided as the gateway would in the apply
 * phase of a run whose approval granted exactly the scope's side effects. Only the policy can say no.
 */
export function preflight(policy: Policy, requests: readonly PolicyRequest[], context: PreflightContext): PreflightResult {
  const entries = requests.flatMap((r) => {
    const entry = typeof r === "object" && r !== null ? sideEffectOf(r) : null;
    return entry === null ? [] : [entry];
  });
  const base = { phase: "apply" as const, now: context.now, usage: context.usage ?? NO_USAGE, approved_scope: scopeFrom(entries) };
  const decisionContext: DecisionContext = context.agent_did === undefined ? base : { ...base, agent_did: context.agent_did };
  const decisions = requests.map((r) => decide(policy, r, decisionContext));
  const codes = new Set<DenyReasonCode>();
  for (const d of decisions) if (d.effect === "deny") codes.add(d.reason_code);
  return { allowed: codes.size === 0, reason_codes: [...codes], decisions };
}
