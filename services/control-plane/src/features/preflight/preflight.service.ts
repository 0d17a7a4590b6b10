/**
 * "Would this scope be allowed under this policy?" for CI: the policy comes from the tenant's registry
 * (by hash) or inline, parents from the registry, and the answer from `@clawea/policy`, as at the gateway.
 */
import type { Static } from "@sinclair/typebox";
import type { Db } from "@clawea/db";
import { inheritsOf, resolvePolicy, type NormalizeResult } from "@clawea/policy";
import { isRfc3339 } from "@clawea/protocol";
import { ApiError } from "../../http/problem.js";
import { decideScope, intentsOf, type Report, type ScopeError } from "./preflight.domain.js";
import { preflightRepo } from "./preflight.repo.js";
import type { PreflightRequest } from "./preflight.schemas.js";

export interface PreflightDeps {
  db: Db;
  now: () => Date;
}

const CACHE_LIMIT = 10_000;

function scopeInvalid(errors: ScopeError[]): ApiError {
  const first = errors[0]!;
  return new ApiError("POLICY_REQUEST_INVALID", `scope${first.path}: ${first.message}`, {
    errors: errors.map((e) => ({ path: `/scope${e.path}`, message: e.message })),
  });
}

export function createPreflightService({ db, now }: PreflightDeps) {
  /**
   * Registered documents are immutable under their hash, so a normalised policy is kept per (tenant, hash)
   * and the hot path reads no database. Not for a policy with parents: `inherits` names a policy_id, and
   * a newer document may take that id over; preflight answers for the registry as it is now. (The gateway,
   * on its hot path, keeps one for a second.)
   */
  const normalized = new Map<string, NormalizeResult>();

  /** Parents resolved by the policy package's one rule, from this tenant's registry (newest by policy_id). */
  function withParents(tenantId: string, document: unknown): Promise<NormalizeResult> {
    return resolvePolicy(document, (policyId) => preflightRepo.documentByPolicyId(db, tenantId, policyId));
  }

  async function registered(tenantId: string, hash: string): Promise<NormalizeResult> {
    const key = `${tenantId} ${hash}`;
    const cached = normalized.get(key);
    if (cached !== undefined) return cached;
    const document = await preflightRepo.documentByHash(db, tenantId, hash);
    if (document === undefined) throw new ApiError("NOT_FOUND", "no policy with that hash in this tenant's registry");
    const result = await withParents(tenantId, document);
    if (inheritsOf(document) === null) {
      if (normalized.size >= CACHE_LIMIT) normalized.clear();
      normalized.set(key, result);
    }
    return result;
  }

  return {
    async preflight(tenantId: string, body: Static<typeof PreflightRequest>): Promise<Report> {
      const at = body.now ?? now().toISOString();
      // The schema's date-time admits what the decision function does not (a space for the T, leap seconds).
      if (!isRfc3339(at)) throw new ApiError("VALIDATION_FAILED", "now must be an RFC 3339 date-time", { errors: [{ path: "/now", message: "must be an RFC 3339 date-time" }] });
      const intents = intentsOf(body.scope);
      if (!intents.ok) throw scopeInvalid(intents.errors);
      // The schema admits exactly one of the two.
      const policy = body.policy_hash !== undefined ? await registered(tenantId, body.policy_hash) : await withParents(tenantId, body.wpc);
      if (!policy.ok) {
        const first = policy.errors[0];
        throw new ApiError(policy.reason_code, `the policy is not usable: ${first?.path || "/"} ${first?.message ?? ""}`, { errors: policy.errors });
      }
      const outcome = decideScope(policy.policy, intents.intents, at);
      if (!outcome.ok) throw scopeInvalid(outcome.errors);
      return outcome.report;
    },
  };
}
