/**
 * Who is calling the gateway: a run, proved by its CST. Every request (model call or egress) is
 * authenticated here: the token's signature, issuer, audience, expiry and revocation (policy package),
 * then the agent it names (tenant + DID) and the WPC in force on that agent now, with the parents it
 * inherits resolved from the tenant's registry as preflight resolves them. Policy changes take effect on
 * the live agent within the agent cache's lifetime, and a newer parent within the inherited-policy cache's.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Redis } from "ioredis";
import { agents, policies, type Db } from "@clawea/db";
import type { ReasonCode } from "@clawea/protocol";
import { CST_GATEWAY_AUDIENCE, inheritsOf, resolvePolicy, verifyCst, type CstBinding, type CstClaims, type CstVerification, type NormalizeResult, type Policy, type RunPhase } from "@clawea/policy";
import type { RedisPush } from "../push/redis-push.js";
import { createRevocationView } from "./revocation-view.js";

export const GATEWAY_AUDIENCE = CST_GATEWAY_AUDIENCE;

export interface RunContext {
  tenantId: string;
  agentId: string;
  agentDid: string;
  templateId: string;
  runId: string;
  phase: RunPhase;
  jti: string;
  /** Apply phase: the scope hash the approval pinned. */
  approvedScopeHash: string | null;
  policyHash: string;
  policy: Policy;
  claims: CstClaims;
}

export type Authentication = { ok: true; run: RunContext } | { ok: false; reasonCode: ReasonCode; detail: string };

export interface RunAuthenticatorDeps {
  db: Db;
  redis: Redis;
  trustedIssuers: readonly string[];
  now: () => Date;
  /** How long an agent's row (status, policy hash) is reused; a policy assignment shows within this. */
  agentCacheMs?: number;
  /** How long a policy that inherits is reused; a newer parent shows within this. */
  inheritedPolicyCacheMs?: number;
  /** Revocations pushed by Redis: a token checked once is not read again while the channel is live. */
  push?: RedisPush | undefined;
}

interface AgentEntry {
  at: number;
  agent: { id: string; templateId: string; status: string; policyHash: string | null } | null;
}

interface PolicyEntry {
  /** Infinity for a document that inherits nothing: it is immutable under its hash. */
  expiresAtMs: number;
  /** null when the hash is not in the tenant's registry. */
  result: NormalizeResult | null;
}

export function createRunAuthenticator(deps: RunAuthenticatorDeps) {
  const agentCache = new Map<string, AgentEntry>();
  const policyCache = new Map<string, PolicyEntry>();
  const agentCacheMs = deps.agentCacheMs ?? 1_000;
  const inheritedPolicyCacheMs = deps.inheritedPolicyCacheMs ?? 1_000;

  async function agentOf(tenantId: string, did: string, nowMs: number): Promise<AgentEntry["agent"]> {
    const cacheKey = `${tenantId} ${did}`;
    const cached = agentCache.get(cacheKey);
    if (cached && nowMs - cached.at < agentCacheMs) return cached.agent;
    const [row] = await deps.db
      .select({ id: agents.id, templateId: agents.templateId, status: agents.status, policyHash: agents.policyHash })
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.did, did)))
      .limit(1);
    if (agentCache.size > 10_000) agentCache.clear();
    agentCache.set(cacheKey, { at: nowMs, agent: row ?? null });
    return row ?? null;
  }

  /** What an `inherits` naming `policyId` resolves to: the newest document of the tenant's registry with that id (as preflight reads it). */
  async function newestWithPolicyId(tenantId: string, policyId: string): Promise<unknown> {
    const [row] = await deps.db
      .select({ document: policies.document })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), sql`${policies.document} ->> 'policy_id' = ${policyId}`))
      .orderBy(desc(policies.createdAt), desc(policies.hash))
      .limit(1);
    return row?.document;
  }

  /**
   * A registered document is immutable under its hash, so a policy that inherits nothing is loaded once and
   * kept. A policy that inherits is not fixed by its hash: its parents are the newest registry documents
   * with the policy_ids it names, and registering a newer one changes them. Kept for ever, it would go on
   * enforcing a superseded parent (or, registered before its parent, deny everything for ever) while
   * preflight already decides under the new one; so it, and a hash the registry does not hold, is re-read
   * after `inheritedPolicyCacheMs`, much as the agent's row is.
   */
  async function policyOf(tenantId: string, hash: string, nowMs: number): Promise<NormalizeResult | null> {
    const cacheKey = `${tenantId} ${hash}`;
    const cached = policyCache.get(cacheKey);
    if (cached && nowMs < cached.expiresAtMs) return cached.result;
    const [row] = await deps.db
      .select({ document: policies.document })
      .from(policies)
      .where(and(eq(policies.tenantId, tenantId), eq(policies.hash, hash)));
    const result = row ? await resolvePolicy(row.document, (policyId) => newestWithPolicyId(tenantId, policyId)) : null;
    const immutable = row !== undefined && inheritsOf(row.document) === null;
    if (policyCache.size > 10_000) policyCache.clear();
    policyCache.set(cacheKey, { expiresAtMs: immutable ? Infinity : nowMs + inheritedPolicyCacheMs, result });
    return result;
  }

  /**
   * Signature checks are a quarter of a model call's gateway CPU, and a run sends the same token on
   * every call: a token that verified is reused until its own expiry. Revocation is still checked on
   * every call (`createRevocationView`: from Redis, or as pushed by it), and the agent and policy are
   * re-read through their caches.
   */
  const tokenCache = new Map<string, { verified: Extract<CstVerification, { ok: true }>; expMs: number }>();
  const revocations = createRevocationView(deps, deps.push);

  async function verifiedToken(token: string, requiredScope: string | undefined, now: Date, onSigned?: (binding: CstBinding) => void): Promise<CstVerification> {
    const cacheKey = `${requiredScope ?? ""} ${token}`;
    const cached = tokenCache.get(cacheKey);
    if (cached && now.getTime() < cached.expMs) {
      const jti = cached.verified.claims.jti;
      const revoked = jti ? revocations.isRevoked(jti) : false;
      // Issued in the same turn as a revocation read, so Redis answers both in one round trip.
      onSigned?.(cached.verified.binding);
      try {
        if (await revoked) return { ok: false, reason_code: "CST_REVOKED", detail: "the token was revoked" };
      } catch {
        // As verifyCst answers it: fail closed.
        return { ok: false, reason_code: "DEPENDENCY_UNAVAILABLE", detail: "the revocation check failed" };
      }
      return cached.verified;
    }
    const verified = await verifyCst(token, {
      trustedIssuers: deps.trustedIssuers,
      audience: GATEWAY_AUDIENCE,
      now: now.toISOString(),
      ...(requiredScope ? { requiredScope } : {}),
      isRevoked: async (jti) => revocations.isRevoked(jti),
    });
    if (verified.ok) {
      if (tokenCache.size > 10_000) tokenCache.clear();
      tokenCache.set(cacheKey, { verified, expMs: verified.claims.exp * 1000 });
    }
    return verified;
  }

  return {
    /**
     * `onSigned`, when given, is called with the binding of a token whose signature is already known good
     * (a token seen before), before its revocation is read: a caller that reads per-run state anyway
     * starts that read then, and both travel to Redis together. Its result is the caller's to use only
     * once this answers ok.
     */
    async authenticate(token: string | undefined, requiredScope?: string, onSigned?: (binding: CstBinding) => void): Promise<Authentication> {
      if (!token) return { ok: false, reasonCode: "CST_MALFORMED", detail: "send the run's CST (X-CST header or Bearer token)" };
      const now = deps.now();
      const verified = await verifiedToken(token, requiredScope, now, onSigned);
      if (!verified.ok) return { ok: false, reasonCode: verified.reason_code, detail: verified.detail };
      const { claims, binding } = verified;
      if (!binding.run_id || !binding.phase) {
        return { ok: false, reasonCode: "CST_BINDING_MISMATCH", detail: "the token is not bound to a run and phase" };
      }
      const agent = await agentOf(binding.tenant_id, claims.sub, now.getTime());
      if (!agent) return { ok: false, reasonCode: "CST_BINDING_MISMATCH", detail: "the token names no agent of its tenant" };
      if (agent.status !== "running") return { ok: false, reasonCode: "AGENT_NOT_RUNNING", detail: `the agent is ${agent.status}` };
      if (!agent.policyHash) return { ok: false, reasonCode: "POLICY_NOT_ASSIGNED", detail: "the agent has no WPC: everything is denied" };
      const loaded = await policyOf(binding.tenant_id, agent.policyHash, now.getTime());
      if (!loaded) return { ok: false, reasonCode: "POLICY_NOT_ASSIGNED", detail: "the agent's WPC is not in the tenant's registry" };
      if (!loaded.ok) return { ok: false, reasonCode: "POLICY_NOT_ASSIGNED", detail: `the agent's WPC cannot be used: ${loaded.reason_code}` };
      const { policy } = loaded;
      return {
        ok: true,
        run: {
          tenantId: binding.tenant_id,
          agentId: agent.id,
          agentDid: claims.sub,
          templateId: agent.templateId,
          runId: binding.run_id,
          phase: binding.phase,
          jti: claims.jti ?? "",
          approvedScopeHash: binding.approved_scope_hash_b64u ?? null,
          policyHash: agent.policyHash,
          policy,
          claims,
        },
      };
    },
  };
}

export type RunAuthenticator = ReturnType<typeof createRunAuthenticator>;
