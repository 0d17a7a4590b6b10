/**
 * Scoped capability tokens: JWTs (EdDSA) whose claims follow Clawsig `scoped_token_claims.v1`. That schema
 * is closed, so clawea's tenant/run/phase/approval binding travels as `clawea:` entries of `scope`.
 */
import { b64uDecode, canonicalize, hashJcsB64u, isDidKey, isRfc3339, ProtocolError, utf8, type KeyPair, type ReasonCode } from "@clawea/protocol";
import { validate, type CstClaims } from "@clawea/schema";
import { privateJwk, joseJws, publicJwk, type CompactJwsEngine, type CstHeader } from "./cst.jws.js";
import { compileGlob } from "./glob.match.js";
import type { RunPhase } from "./decision.decide.js";

export type { CstClaims };

/** What a CST is bound to, carried in `scope` as `clawea:tenant:<id>`, `clawea:run:<id>`, `clawea:phase:<phase>`, `clawea:approved_scope:<hash>`. */
export interface CstBinding {
  readonly tenant_id: string;
  readonly run_id?: string;
  readonly phase?: RunPhase;
  /** Apply phase only: the scope hash the approval pinned. */
  readonly approved_scope_hash_b64u?: string;
}

/** The claims the issuer chooses; `token_version`, `iat`, `token_scope_hash_b64u` and the binding entries of `scope` are added. */
export type CstClaimsInput = Omit<CstClaims, "token_version" | "iat" | "token_scope_hash_b64u" | "scope" | "jti"> & {
  /** Capability grants in the WPC action vocabulary (`model:invoke`, `side_effect:*`); globs allowed. */
  readonly scope?: readonly string[];
  /** Required: revocation is by `jti`. */
  readonly jti: string;
};

export interface MintCstInput {
  readonly claims: CstClaimsInput;
  readonly binding: CstBinding;
  readonly signer: KeyPair;
  /** RFC 3339; becomes `iat`. */
  readonly now: string;
  readonly jws?: CompactJwsEngine;
}

export interface VerifyCstOptions {
  /** did:key of every issuer whose tokens are accepted (the control plane). */
  readonly trustedIssuers: readonly string[];
  /** This service's audience name; it must be one of the token's `aud`. */
  readonly audience: string;
  /** RFC 3339. */
  readonly now: string;
  /** Each given field must match the token's binding. */
  readonly expected?: {
    readonly tenant_id?: string;
    readonly agent_did?: string;
    readonly run_id?: string;
    readonly phase?: RunPhase;
    readonly policy_hash_b64u?: string;
    readonly approved_scope_hash_b64u?: string;
    readonly mission_id?: string;
  };
  /** An action the token must grant (`model:invoke`, `side_effect:network_egress`). */
  readonly requiredScope?: string;
  /** Backed by Redis/Postgres in the gateway; asked last, only for tokens that pass everything else. */
  readonly isRevoked?: (jti: string) => boolean | Promise<boolean>;
  readonly clockSkewSeconds?: number;
  readonly jws?: CompactJwsEngine;
}

export const CST_REASON_CODES = [
  "CST_MALFORMED",
  "CST_SIGNATURE_INVALID",
  "CST_EXPIRED",
  "CST_AUDIENCE_MISMATCH",
  "CST_BINDING_MISMATCH",
  "CST_SCOPE_DENIED",
  "CST_REVOKED",
  "DEPENDENCY_NOT_CONFIGURED",
  "DEPENDENCY_UNAVAILABLE",
] as const satisfies readonly ReasonCode[];
export type CstReasonCode = (typeof CST_REASON_CODES)[number];

export type CstVerification =
  | {
      readonly ok: true;
      readonly claims: CstClaims;
      readonly binding: CstBinding;
      /** The `scope` entries that are capability grants (not binding). */
      readonly grants: readonly string[];
      readonly issuer_did: string;
    }
  | { readonly ok: false; readonly reason_code: CstReasonCode; readonly detail: string };

export const CST_SCOPE_PREFIX = "clawea:";

/** The audience of every run CST: the gateway is the service that checks them (the data plane too, before an apply). */
export const CST_GATEWAY_AUDIENCE = "clawea-gateway";
const BINDING_PREFIXES = {
  tenant: "clawea:tenant:",
  run: "clawea:run:",
  phase: "clawea:phase:",
  approvedScope: "clawea:approved_scope:",
} as const;
const ID_RE = /^[A-Za-z0-9._-]{1,128}$/;
const SHA256_B64U_RE = /^[A-Za-z0-9_-]{43}$/;
const MAX_TOKEN_LENGTH = 16 * 1024;
const HEADER_KEYS = ["alg", "kid", "typ"];
// Authorization-relevant claims that enter token_scope_hash_b64u (scoped_token_claims.v1's definition).
const SCOPE_HASH_OPTIONAL_CLAIMS = [
  "owner_ref",
  "owner_did",
  "controller_did",
  "agent_did",
  "policy_hash_b64u",
  "control_plane_policy_hash_b64u",
  "payment_account_did",
  "spend_cap",
  "mission_id",
  "delegation_id",
  "delegator_did",
  "delegate_did",
  "delegation_policy_hash_b64u",
  "delegation_spend_cap_minor",
  "delegation_expires_at",
] as const;

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * sha256(JCS({token_version, sub, aud[], scope[], ...authorization claims})): stable across re-issuance
 * (no iat/exp/jti/nonce); `aud` and `scope` as sorted sets.
 */
export function tokenScopeHash(claims: Omit<CstClaims, "iat" | "exp">): string {
  const input: Record<string, unknown> = {
    token_version: "1",
    sub: claims.sub,
    aud: uniqueSorted(typeof claims.aud === "string" ? [claims.aud] : claims.aud),
    scope: uniqueSorted(claims.scope),
  };
  for (const key of SCOPE_HASH_OPTIONAL_CLAIMS) if (claims[key] !== undefined) input[key] = claims[key];
  return hashJcsB64u(input);
}

function bindingProblem(binding: CstBinding): string | null {
  if (!ID_RE.test(binding.tenant_id)) return "tenant_id must be an id";
  if (binding.run_id !== undefined && !ID_RE.test(binding.run_id)) return "run_id must be an id";
  if (binding.phase !== undefined && binding.phase !== "plan" && binding.phase !== "apply") return "phase must be plan or apply";
  const pinned = binding.approved_scope_hash_b64u;
  if (pinned !== undefined && !SHA256_B64U_RE.test(pinned)) return "approved_scope_hash_b64u must be a SHA-256 b64u";
  if (binding.phase === "apply" && pinned === undefined) return "an apply-phase token pins an approved scope hash";
  if (binding.phase !== "apply" && pinned !== undefined) return "only an apply-phase token pins an approved scope hash";
  return null;
}

function bindingScopes(binding: CstBinding): string[] {
  const out = [`${BINDING_PREFIXES.tenant}${binding.tenant_id}`];
  if (binding.run_id !== undefined) out.push(`${BINDING_PREFIXES.run}${binding.run_id}`);
  if (binding.phase !== undefined) out.push(`${BINDING_PREFIXES.phase}${binding.phase}`);
  if (binding.approved_scope_hash_b64u !== undefined) out.push(`${BINDING_PREFIXES.approvedScope}${binding.approved_scope_hash_b64u}`);
  return out;
}

/** Splits `scope` into the binding and the grants; a string when the `clawea:` entries are not a valid binding. */
export function readBinding(scope: readonly string[]): { binding: CstBinding; grants: string[] } | string {
  const found: { tenant: string[]; run: string[]; phase: string[]; approvedScope: string[] } = { tenant: [], run: [], phase: [], approvedScope: [] };
  const grants: string[] = [];
  for (const entry of scope) {
    if (!entry.startsWith(CST_SCOPE_PREFIX)) {
      grants.push(entry);
      continue;
    }
    const slot = (Object.keys(BINDING_PREFIXES) as (keyof typeof BINDING_PREFIXES)[]).find((k) => entry.startsWith(BINDING_PREFIXES[k]));
    if (slot === undefined) return `unknown binding entry ${entry}`;
    found[slot].push(entry.slice(BINDING_PREFIXES[slot].length));
  }
  for (const [slot, values] of Object.entries(found)) if (values.length > 1) return `more than one ${slot} binding`;
  const [tenant] = found.tenant;
  if (tenant === undefined) return "no tenant binding";
  const binding: { tenant_id: string; run_id?: string; phase?: RunPhase; approved_scope_hash_b64u?: string } = { tenant_id: tenant };
  const [run] = found.run;
  const [phase] = found.phase;
  const [pinned] = found.approvedScope;
  if (run !== undefined) binding.run_id = run;
  if (phase !== undefined) binding.phase = phase as RunPhase;
  if (pinned !== undefined) binding.approved_scope_hash_b64u = pinned;
  const problem = bindingProblem(binding);
  return problem ?? { binding, grants: uniqueSorted(grants) };
}

function epochSeconds(rfc3339: string): number {
  return Math.floor(Date.parse(rfc3339) / 1000);
}

/**
 * Signs a CST. Throws CST_MALFORMED (a ProtocolError) when the claims or binding cannot make a valid token:
 * that is the issuer's bug, not a caller's request.
 */
export async function mintCst(input: MintCstInput): Promise<string> {
  const { claims: given, binding, signer, now } = input;
  if (!isRfc3339(now)) throw new ProtocolError("CST_MALFORMED", "now must be an RFC 3339 date-time", "now");
  const problem = bindingProblem(binding);
  if (problem !== null) throw new ProtocolError("CST_MALFORMED", problem, "binding");
  const grants = given.scope ?? [];
  if (grants.some((g) => g.startsWith(CST_SCOPE_PREFIX))) throw new ProtocolError("CST_MALFORMED", "grants may not use the clawea: binding prefix", "claims.scope");
  const iat = epochSeconds(now);
  const unsigned: Omit<CstClaims, "token_scope_hash_b64u"> = {
    ...given,
    token_version: "1",
    scope: uniqueSorted([...grants, ...bindingScopes(binding)]),
    iat,
  };
  const claims: CstClaims = { ...unsigned, token_scope_hash_b64u: tokenScopeHash(unsigned) };
  const checked = validate("cst_claims", claims);
  if (!checked.ok) throw new ProtocolError("CST_MALFORMED", `claims fail scoped_token_claims.v1 at ${checked.errors[0]?.path || "/"}`, "claims");
  if (claims.exp <= iat) throw new ProtocolError("CST_MALFORMED", "exp must be after now", "claims.exp");
  if (given.jti.length === 0) throw new ProtocolError("CST_MALFORMED", "jti must be non-empty", "claims.jti");
  const header: CstHeader = { alg: "EdDSA", typ: "JWT", kid: signer.did };
  return (input.jws ?? joseJws).sign(header, utf8(canonicalize(claims)), privateJwk(signer));
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** A JWS segment as JSON; undefined for anything that is not strict base64url of UTF-8 JSON. */
function decodeJson(segment: string): unknown {
  try {
    return JSON.parse(utf8Decoder.decode(b64uDecode(segment))) as unknown;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(reason_code: CstReasonCode, detail: string): CstVerification {
  return { ok: false, reason_code, detail };
}

function bindingMismatch(claims: CstClaims, binding: CstBinding, expected: NonNullable<VerifyCstOptions["expected"]>): string | null {
  if (expected.tenant_id !== undefined && binding.tenant_id !== expected.tenant_id) return "tenant";
  if (expected.agent_did !== undefined && (claims.sub !== expected.agent_did || (claims.agent_did ?? claims.sub) !== expected.agent_did)) return "agent";
  if (expected.run_id !== undefined && binding.run_id !== expected.run_id) return "run";
  if (expected.phase !== undefined && binding.phase !== expected.phase) return "phase";
  if (expected.policy_hash_b64u !== undefined && claims.policy_hash_b64u !== expected.policy_hash_b64u) return "policy hash";
  if (expected.approved_scope_hash_b64u !== undefined && binding.approved_scope_hash_b64u !== expected.approved_scope_hash_b64u) return "approved scope";
  if (expected.mission_id !== undefined && claims.mission_id !== expected.mission_id) return "mission";
  return null;
}

/**
 * Checks a CST, cheapest and most fundamental first: form, issuer and signature, claims schema, validity
 * window, audience, binding, granted scope, and only then revocation (the one I/O the caller injects).
 * Never throws: a revocation lookup that fails answers DEPENDENCY_UNAVAILABLE (fail closed).
 */
export async function verifyCst(token: string, options: VerifyCstOptions): Promise<CstVerification> {
  const skew = options.clockSkewSeconds ?? 0;
  if (!isRfc3339(options.now) || options.trustedIssuers.length === 0 || options.audience.length === 0 || !Number.isSafeInteger(skew) || skew < 0) {
    return fail("DEPENDENCY_NOT_CONFIGURED", "verifyCst needs trusted issuers, an audience, a valid now and a non-negative skew");
  }
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return fail("CST_MALFORMED", "not a compact JWS of acceptable size");
  const parts = token.split(".");
  if (parts.length !== 3) return fail("CST_MALFORMED", "not a compact JWS");
  const [headerPart, payloadPart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (!isPlainObject(header) || Object.keys(header).sort().join() !== HEADER_KEYS.join()) return fail("CST_MALFORMED", "the header must hold exactly alg, typ and kid");
  if (header["alg"] !== "EdDSA" || header["typ"] !== "JWT") return fail("CST_MALFORMED", "alg must be EdDSA and typ JWT");
  const issuer = header["kid"];
  if (!isDidKey(issuer)) return fail("CST_MALFORMED", "kid must be the issuer's did:key");
  // An untrusted issuer is treated as a signature that fails under every trusted key.
  if (!options.trustedIssuers.includes(issuer)) return fail("CST_SIGNATURE_INVALID", "the issuer is not trusted");
  if (!(await (options.jws ?? joseJws).verify(token, publicJwk(issuer)))) return fail("CST_SIGNATURE_INVALID", "the signature does not verify");

  const payload = decodeJson(payloadPart);
  const checked = validate("cst_claims", payload);
  if (!checked.ok) return fail("CST_MALFORMED", `claims fail scoped_token_claims.v1 at ${checked.errors[0]?.path || "/"}`);
  const claims = checked.value;
  if (claims.jti === undefined || claims.jti.length === 0) return fail("CST_MALFORMED", "no jti");
  if (claims.token_scope_hash_b64u === undefined || claims.token_scope_hash_b64u !== tokenScopeHash(claims)) {
    return fail("CST_MALFORMED", "token_scope_hash_b64u does not match the claims");
  }
  const read = readBinding(claims.scope);
  if (typeof read === "string") return fail("CST_MALFORMED", read);

  const now = epochSeconds(options.now);
  if (now - skew >= claims.exp) return fail("CST_EXPIRED", "the token has expired");
  if (claims.iat > now + skew) return fail("CST_EXPIRED", "the token is not valid yet");
  if (claims.delegation_expires_at !== undefined && now - skew >= claims.delegation_expires_at) return fail("CST_EXPIRED", "the delegation has expired");

  const audiences = typeof claims.aud === "string" ? [claims.aud] : claims.aud;
  if (!audiences.includes(options.audience)) return fail("CST_AUDIENCE_MISMATCH", `the token is not for ${options.audience}`);

  const mismatch = options.expected === undefined ? null : bindingMismatch(claims, read.binding, options.expected);
  if (mismatch !== null) return fail("CST_BINDING_MISMATCH", `the token is bound to another ${mismatch}`);

  const required = options.requiredScope;
  if (required !== undefined && !read.grants.some((g) => compileGlob(g).test(required))) return fail("CST_SCOPE_DENIED", `the token does not grant ${required}`);

  if (options.isRevoked !== undefined) {
    let revoked: boolean;
    try {
      revoked = await options.isRevoked(claims.jti);
    } catch {
      return fail("DEPENDENCY_UNAVAILABLE", "the revocation check failed");
    }
    if (revoked) return fail("CST_REVOKED", "the token was revoked");
  }
  return { ok: true, claims, binding: read.binding, grants: read.grants, issuer_did: issuer };
}
