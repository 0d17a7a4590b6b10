/**
 * Preflight's scope: what a CI job says it wants to do (model calls, egress, side effects), turned
 * into the requests `decide` judges, and the answer as a report. One implementation for the API
 * (`POST /v1/preflight`) and the CLI (`clawea preflight`), so the two can never disagree; the
 * decision itself is `preflight`, the gateway's own function.
 */
import { DEFAULT_PORTS } from "./egress.pattern.js";
import { preflight, sideEffectOf, type Decision, type DenyReasonCode, type PolicyRequest } from "./decision.decide.js";
import type { SideEffectKind } from "./side-effect.model.js";
import type { Policy } from "./policy.model.js";

export interface ScopeModelCall {
  provider: string;
  model: string;
  model_identity_tier?: string;
  estimated_tokens?: number;
}

export type ScopeEgress = { url: string; method?: string } | { scheme: "http" | "https"; host: string; port?: number; method?: string };

export interface ScopeSideEffect {
  kind: string;
  target: string;
  summary?: string;
}

export interface PreflightScope {
  model_calls?: readonly ScopeModelCall[];
  egress?: readonly ScopeEgress[];
  side_effects?: readonly ScopeSideEffect[];
}

export interface ScopeError {
  path: string;
  message: string;
}

/** One request of the scope, and where in the scope document it came from (a JSON Pointer). */
export interface ScopeIntent {
  path: string;
  request: PolicyRequest;
}

export interface PreflightReportDecision {
  scope_path: string;
  type: PolicyRequest["type"];
  kind?: SideEffectKind;
  target: string;
  effect: "allow" | "deny";
  reason_code?: DenyReasonCode;
  detail?: string;
  statement_ids: string[];
}

export interface PreflightReport {
  allowed: boolean;
  reason_codes: DenyReasonCode[];
  decisions: PreflightReportDecision[];
  policy_hash_b64u: string;
  evaluated_at: string;
}

function egressRequest(intent: ScopeEgress): PolicyRequest | string {
  const method = intent.method === undefined ? {} : { method: intent.method };
  if (!("url" in intent)) return { type: "egress", scheme: intent.scheme, host: intent.host, port: intent.port ?? DEFAULT_PORTS[intent.scheme], ...method };
  let url: URL;
  try {
    url = new URL(intent.url);
  } catch {
    return "url is not an absolute URL";
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "http" && scheme !== "https") return "url must be http or https";
  if (url.username !== "" || url.password !== "") return "url must not carry credentials";
  return { type: "egress", scheme, host: url.hostname, port: url.port === "" ? DEFAULT_PORTS[scheme] : Number(url.port), ...method };
}

/** The scope's requests in document order: model calls, then egress, then side effects. Values are `decide`'s to judge. */
export function scopeIntents(scope: PreflightScope): { ok: true; intents: ScopeIntent[] } | { ok: false; errors: ScopeError[] } {
  const intents: ScopeIntent[] = [];
  const errors: ScopeError[] = [];
  (scope.model_calls ?? []).forEach((call, i) => intents.push({ path: `/model_calls/${i}`, request: { type: "model_call", ...call } as PolicyRequest }));
  (scope.egress ?? []).forEach((egress, i) => {
    const request = egressRequest(egress);
    if (typeof request === "string") errors.push({ path: `/egress/${i}`, message: request });
    else intents.push({ path: `/egress/${i}`, request });
  });
  (scope.side_effects ?? []).forEach((effect, i) => intents.push({ path: `/side_effects/${i}`, request: { type: "side_effect", ...effect } as PolicyRequest }));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, intents };
}

function targetOf(request: PolicyRequest): string {
  if (request.type === "model_call") return `${request.provider}/${request.model}`;
  return sideEffectOf(request)?.target ?? (request.type === "egress" ? `${request.scheme}://${request.host}:${request.port}` : request.target);
}

function render(intent: ScopeIntent, decision: Decision): PreflightReportDecision {
  const { request } = intent;
  const base = { scope_path: intent.path, type: request.type, ...(request.type === "side_effect" ? { kind: request.kind } : {}), target: targetOf(request) };
  return decision.effect === "allow"
    ? { ...base, effect: "allow", statement_ids: [...decision.statement_ids] }
    : { ...base, effect: "deny", reason_code: decision.reason_code, detail: decision.detail, statement_ids: [...decision.statement_ids] };
}

/**
 * Decides every intent with `preflight` (the apply phase of a run whose approval granted exactly the
 * scope's side effects). A request the decision function calls malformed is an error of the scope,
 * not a denial.
 */
export function decideScope(policy: Policy, intents: readonly ScopeIntent[], now: string): { ok: true; report: PreflightReport } | { ok: false; errors: ScopeError[] } {
  const result = preflight(
    policy,
    intents.map((i) => i.request),
    { now },
  );
  const errors: ScopeError[] = [];
  result.decisions.forEach((decision, i) => {
    if (decision.effect === "deny" && decision.reason_code === "POLICY_REQUEST_INVALID") errors.push({ path: intents[i]!.path, message: decision.detail });
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    report: {
      allowed: result.allowed,
      reason_codes: [...result.reason_codes],
      decisions: result.decisions.map((decision, i) => render(intents[i]!, decision)),
      policy_hash_b64u: policy.policy_hash_b64u,
      evaluated_at: now,
    },
  };
}
