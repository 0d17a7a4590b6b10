/** The verifier's answer: a verdict, the reason codes behind it, and where each problem sits. */
import type { ReasonCode } from "@clawea/protocol";

export interface Finding {
  code: ReasonCode;
  /** Where in the verified document, e.g. `payload.event_chain[2].event_hash_b64u`; `$` is the document itself. */
  path: string;
  message: string;
}

/**
 * `details` carries facts read from the artifact, and only when everything verified: facts from an
 * artifact that failed are unauthenticated, so a caller never gets the chance to rely on them.
 */
export type VerificationResult<D> =
  | { valid: true; reason_codes: ["OK"]; findings: []; details: D }
  | { valid: false; reason_codes: ReasonCode[]; findings: Finding[]; details: null };

/** What an internal check hands to the one that called it. */
export type Checked<D> = { ok: true; findings: []; details: D } | { ok: false; findings: Finding[]; details: null };

export function finding(code: ReasonCode, path: string, message: string): Finding {
  return { code, path, message };
}

/** Facts are read only once no finding stands against the artifact. */
export function conclude<D>(findings: Finding[], facts: () => D): Checked<D> {
  return findings.length === 0 ? { ok: true, findings: [], details: facts() } : { ok: false, findings, details: null };
}

export function rejected(findings: Finding[]): Checked<never> {
  return { ok: false, findings, details: null };
}

/** Appends `path` to `prefix`: `joinPath("payload", "receipts[0]")`, `joinPath("$", "payload")`. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === "$") return path;
  if (path === "$") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

export function toResult<D>(checked: Checked<D>): VerificationResult<D> {
  if (checked.ok) return { valid: true, reason_codes: ["OK"], findings: [], details: checked.details };
  // Primary first: codes in the order the checks ran, each once.
  const reasonCodes = [...new Set(checked.findings.map((f) => f.code))];
  return { valid: false, reason_codes: reasonCodes, findings: checked.findings, details: null };
}
