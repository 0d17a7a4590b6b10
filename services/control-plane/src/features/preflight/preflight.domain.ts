/**
 * Preflight's pure part: the API's scope as the policy package's requests, and the policy package's
 * `preflight` answer as the report. The decision itself is `@clawea/policy`'s, the gateway's own.
 */
import type { Static } from "@sinclair/typebox";
import { DEFAULT_PORTS, preflight, sideEffectOf, type Decision, type Policy, type PolicyRequest } from "@clawea/policy";
import type { EgressIntent, PreflightDecision, PreflightReport, PreflightScope } from "./preflight.schemas.js";

export type Scope = Static<typeof PreflightScope>;
export type Report = Static<typeof PreflightReport>;
type ReportDecision = Static<typeof PreflightDecision>;

export interface ScopeError {
  path: string;
  message: string;
}

/** One request of the scope, and where in the scope document it came from. */
export interface Intent {
  path: string;
  request: PolicyRequest;
}

export type Outcome = { ok: true; report: Report } | { ok: false; errors: ScopeError[] };

function egressRequest(intent: Static<typeof EgressIntent>): PolicyRequest | string {
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

/** The scope's requests in document order: model calls, then egress, then side effects. */
export function intentsOf(scope: Scope): { ok: true; intents: Intent[] } | { ok: false; errors: ScopeError[] } {
  const intents: Intent[] = [];
  const errors: ScopeError[] = [];
  (scope.model_calls ?? []).forEach((call, i) => intents.push({ path: `/model_calls/${i}`, request: { type: "model_call", ...call } }));
  (scope.egress ?? []).forEach((egress, i) => {
    const request = egressRequest(egress);
    if (typeof request === "string") errors.push({ path: `/egress/${i}`, message: request });
    else intents.push({ path: `/egress/${i}`, request });
  });
  (scope.side_effects ?? []).forEach((effect, i) => intents.push({ path: `/side_effects/${i}`, request: { type: "side_effect", ...effect } }));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, intents };
}

function targetOf(request: PolicyRequest): string {
  if (request.type === "model_call") return `${request.provider}/${request.model}`;
  return sideEffectOf(request)?.target ?? (request.type === "egress" ? `${request.scheme}://${request.host}:${request.port}` : request.target);
}

function render(intent: Intent, decision: Decision): ReportDecision {
  const { request } = intent;
  const base = { scope_path: intent.path, type: request.type, ...(request.type === "side_effect" ? { kind: request.kind } : {}), target: targetOf(request) };
  return decision.effect === "allow"
    ? { ...base, effect: "allow", statement_ids: [...decision.statement_ids] }
    : { ...base, effect: "deny", reason_code: decision.reason_code, detail: decision.detail, statement_ids: [...decision.statement_ids] };
}

/**
 * Decides every intent with `preflight` (the apply phase of a run whose approval granted exactly the scope's
 * side effects). A request the policy package calls malformed is an error of the scope, not a denial.
 */
export function decideScope(policy: Policy, intents: readonly Intent[], now: string): Outcome {
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
