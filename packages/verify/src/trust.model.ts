/** Trust anchors and verification time: the only outside facts a verification depends on. */
import { isRfc3339 } from "@clawea/protocol";
import { finding, type Finding } from "./result.model.js";

export const SIGNER_ROLES = ["gateway", "agent", "data_plane", "control_plane", "log", "derivation", "audit"] as const;
export type SignerRole = (typeof SIGNER_ROLES)[number];

/**
 * The DIDs a verifier pins (for clawea, those `GET /v1/trust` publishes). A signer acting in role R
 * is trusted iff it is in `allowed_signer_dids` and, when `roles[R]` is given, also in `roles[R]`.
 */
export interface TrustAnchors {
  allowed_signer_dids: readonly string[];
  roles?: Partial<Record<SignerRole, readonly string[]>>;
}

export interface VerifyOptions {
  trust: TrustAnchors;
  /** RFC 3339 verification time: expiry and future-dating are judged against it, never the local clock. */
  now: string;
  /**
   * Size caps for one proof bundle. The defaults are upstream's (1000 events, 1000 receipts): a bundle
   * over them is one the reference verifier rejects, so raising them trades portability for reach.
   */
  limits?: { max_events?: number; max_receipts?: number };
}

export const DEFAULT_LIMITS = { max_events: 1000, max_receipts: 1000 } as const;

/** Options checked once and turned into what every check reads. */
export interface VerifyContext {
  trust: TrustAnchors;
  nowMs: number;
  /** Clock skew allowed when comparing artifact times with `now`. */
  skewMs: number;
  limits: { max_events: number; max_receipts: number };
}

export function isTrusted(trust: TrustAnchors, role: SignerRole, did: string): boolean {
  if (!trust.allowed_signer_dids.includes(did)) return false;
  const forRole = trust.roles?.[role];
  return forRole === undefined || forRole.includes(did);
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function isTrustAnchors(value: unknown): value is TrustAnchors {
  if (typeof value !== "object" || value === null) return false;
  const { allowed_signer_dids: allowed, roles } = value as Record<string, unknown>;
  if (!isStringList(allowed) || allowed.length === 0) return false;
  if (roles === undefined) return true;
  if (typeof roles !== "object" || roles === null) return false;
  return Object.entries(roles).every(
    ([role, dids]) => (SIGNER_ROLES as readonly string[]).includes(role) && (dids === undefined || isStringList(dids)),
  );
}

/** Callers may be plain JavaScript (the CLI reads a trust file), so the options are checked, not assumed. */
export function contextFrom(
  options: unknown,
  skewMs: number,
): { ok: true; ctx: VerifyContext } | { ok: false; findings: Finding[] } {
  const record = typeof options === "object" && options !== null ? (options as Record<string, unknown>) : {};
  const findings: Finding[] = [];
  // An empty allowlist would make every signer untrusted; upstream reports that as missing configuration.
  if (!isTrustAnchors(record["trust"])) {
    findings.push(finding("DEPENDENCY_NOT_CONFIGURED", "opts.trust", "trust anchors are missing, empty or malformed"));
  }
  if (!isRfc3339(record["now"])) {
    findings.push(finding("MALFORMED_ENVELOPE", "opts.now", "the verification time must be an RFC 3339 date-time"));
  }
  const limits = { ...DEFAULT_LIMITS, ...(typeof record["limits"] === "object" && record["limits"] !== null ? record["limits"] : {}) };
  if (!Number.isSafeInteger(limits.max_events) || !Number.isSafeInteger(limits.max_receipts) || limits.max_events < 1 || limits.max_receipts < 1) {
    findings.push(finding("DEPENDENCY_NOT_CONFIGURED", "opts.limits", "limits must be positive integers"));
  }
  if (findings.length > 0) return { ok: false, findings };
  return { ok: true, ctx: { trust: record["trust"] as TrustAnchors, nowMs: Date.parse(record["now"] as string), skewMs, limits } };
}
