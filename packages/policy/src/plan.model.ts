/**
 * The plan a plan-phase run produces (intended side effects, workspace diff, estimate) as one canonical,
 * hashed document, and the scope an approval pins: the set of (kind, target) the apply phase may perform.
 */
import { hashJcsB64u, isB64u, ProtocolError } from "@clawea/protocol";
import {
  canonicalTarget,
  isRiskFlag,
  isSideEffectKind,
  looksSecret,
  type IntendedSideEffect,
  type RiskFlag,
  type ScopeEntry,
} from "./side-effect.model.js";

export type FileChange = "added" | "modified" | "deleted";

export interface WorkspaceFileChange {
  /** Relative to the workspace root, normalised, never leaving it. */
  readonly path: string;
  readonly change: FileChange;
  /** SHA-256 (b64u) of the new content; absent for a deletion. */
  readonly sha256_b64u?: string;
  readonly size_bytes?: number;
}

export interface WorkspaceDiff {
  readonly files: readonly WorkspaceFileChange[];
}

export interface PlanEstimate {
  readonly tokens: number;
  readonly cost_minor: number;
  readonly duration_ms: number;
}

export interface PlanInput {
  readonly intended_side_effects: readonly IntendedSideEffect[];
  readonly workspace_diff: WorkspaceDiff;
  readonly estimate: PlanEstimate;
}

export interface Plan {
  readonly plan_version: "1";
  /** Canonical targets, sorted by (kind, target, summary), exact repeats merged. */
  readonly intended_side_effects: readonly IntendedSideEffect[];
  /** Sorted by path. */
  readonly workspace_diff: WorkspaceDiff;
  readonly estimate: PlanEstimate;
  /** Every flag of the side effects and the diff, sorted. */
  readonly risk_flags: readonly RiskFlag[];
  /** b64u(sha256(JCS(the plan without this field))). */
  readonly plan_hash_b64u: string;
}

/** The scope an approval grants: canonical (kind, target) pairs, sorted, each once, and their hash. */
export interface ApprovedScope {
  readonly scope_hash_b64u: string;
  readonly side_effects: readonly ScopeEntry[];
}

export const PLAN_VERSION = "1";
export const SCOPE_VERSION = "1";
const MAX_SUMMARY_LENGTH = 1024;
const SHA256_B64U_RE = /^[A-Za-z0-9_-]{43}$/;

function planInvalid(path: string, message: string): ProtocolError {
  return new ProtocolError("PLAN_INVALID", message, path);
}

function compareStrings(a: string, b: string): number {
  // Code-unit order, as RFC 8785 sorts keys: independent of locale and runtime.
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEntries(a: ScopeEntry, b: ScopeEntry): number {
  return compareStrings(a.kind, b.kind) || compareStrings(a.target, b.target);
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function canonicalEntry(entry: ScopeEntry, path: string): ScopeEntry {
  if (typeof entry !== "object" || entry === null) throw planInvalid(path, "must be an object");
  if (!isSideEffectKind(entry.kind)) throw planInvalid(`${path}.kind`, "is not a side-effect kind");
  const target = canonicalTarget(entry.kind, entry.target);
  if (target === null) throw planInvalid(`${path}.target`, `is not an admissible ${entry.kind} target`);
  return { kind: entry.kind, target };
}

function canonicalIntended(effect: IntendedSideEffect, path: string): IntendedSideEffect {
  const { kind, target } = canonicalEntry(effect, path);
  if (typeof effect.summary !== "string" || effect.summary.length > MAX_SUMMARY_LENGTH) {
    throw planInvalid(`${path}.summary`, `must be a string of at most ${MAX_SUMMARY_LENGTH} characters`);
  }
  if (!Array.isArray(effect.risk_flags) || !effect.risk_flags.every(isRiskFlag)) throw planInvalid(`${path}.risk_flags`, "must list known risk flags");
  return { kind, target, summary: effect.summary, risk_flags: [...new Set(effect.risk_flags)].sort() };
}

function canonicalFile(file: WorkspaceFileChange, path: string): WorkspaceFileChange {
  if (typeof file !== "object" || file === null) throw planInvalid(path, "must be an object");
  const normalised = canonicalTarget("filesystem_write", file.path);
  if (normalised === null || normalised === "." || normalised.startsWith("/") || normalised === ".." || normalised.startsWith("../")) {
    throw planInvalid(`${path}.path`, "must be a path inside the workspace");
  }
  if (file.change !== "added" && file.change !== "modified" && file.change !== "deleted") throw planInvalid(`${path}.change`, "must be added, modified or deleted");
  const out: { path: string; change: FileChange; sha256_b64u?: string; size_bytes?: number } = { path: normalised, change: file.change };
  if (file.change === "deleted") {
    if (file.sha256_b64u !== undefined || file.size_bytes !== undefined) throw planInvalid(path, "a deletion has no content hash or size");
  } else {
    if (typeof file.sha256_b64u !== "string" || !SHA256_B64U_RE.test(file.sha256_b64u) || !isB64u(file.sha256_b64u)) {
      throw planInvalid(`${path}.sha256_b64u`, "must be the SHA-256 (b64u) of the new content");
    }
    out.sha256_b64u = file.sha256_b64u;
    if (file.size_bytes !== undefined) {
      if (!isCount(file.size_bytes)) throw planInvalid(`${path}.size_bytes`, "must be a non-negative integer");
      out.size_bytes = file.size_bytes;
    }
  }
  return out;
}

/**
 * The canonical plan: same side effects (in any order, repeated or not), same diff and estimate, same
 * `plan_hash_b64u`. Throws PLAN_INVALID (a ProtocolError) on input no plan phase can produce.
 */
export function buildPlan(input: PlanInput): Plan {
  if (!Array.isArray(input.intended_side_effects)) throw planInvalid("intended_side_effects", "must be an array");
  const merged = new Map<string, IntendedSideEffect>();
  input.intended_side_effects.forEach((raw, i) => {
    const effect = canonicalIntended(raw, `intended_side_effects[${i}]`);
    const key = `${effect.kind}\n${effect.target}\n${effect.summary}`;
    const seen = merged.get(key);
    merged.set(key, seen === undefined ? effect : { ...effect, risk_flags: [...new Set([...seen.risk_flags, ...effect.risk_flags])].sort() });
  });
  const effects = [...merged.values()].sort((a, b) => compareEntries(a, b) || compareStrings(a.summary, b.summary));

  if (typeof input.workspace_diff !== "object" || input.workspace_diff === null || !Array.isArray(input.workspace_diff.files)) {
    throw planInvalid("workspace_diff.files", "must be an array");
  }
  const files = input.workspace_diff.files.map((f, i) => canonicalFile(f, `workspace_diff.files[${i}]`)).sort((a, b) => compareStrings(a.path, b.path));
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.path === files[i - 1]!.path) throw planInvalid("workspace_diff.files", `${files[i]!.path} is listed twice`);
  }

  const { estimate } = input;
  if (typeof estimate !== "object" || estimate === null || !isCount(estimate.tokens) || !isCount(estimate.cost_minor) || !isCount(estimate.duration_ms)) {
    throw planInvalid("estimate", "tokens, cost_minor and duration_ms must be non-negative integers");
  }

  const flags = new Set<RiskFlag>(effects.flatMap((e) => e.risk_flags));
  if (files.some((f) => looksSecret(f.path))) flags.add("secret_path");
  if (files.some((f) => f.change === "deleted")) flags.add("destructive");

  const body = {
    plan_version: PLAN_VERSION,
    intended_side_effects: effects,
    workspace_diff: { files },
    estimate: { tokens: estimate.tokens, cost_minor: estimate.cost_minor, duration_ms: estimate.duration_ms },
    risk_flags: [...flags].sort(),
  } as const;
  return { ...body, plan_hash_b64u: hashJcsB64u(body) };
}

/** A scope from (kind, target) pairs: canonical targets, sorted, each once, hashed with the scope version. */
export function scopeFrom(entries: readonly ScopeEntry[]): ApprovedScope {
  if (!Array.isArray(entries)) throw planInvalid("side_effects", "must be an array");
  const byKey = new Map<string, ScopeEntry>();
  entries.forEach((entry, i) => {
    const canonical = canonicalEntry(entry, `side_effects[${i}]`);
    byKey.set(`${canonical.kind}\n${canonical.target}`, canonical);
  });
  const sideEffects = [...byKey.values()].sort(compareEntries);
  return { scope_hash_b64u: hashJcsB64u({ scope_version: SCOPE_VERSION, side_effects: sideEffects }), side_effects: sideEffects };
}

/** What approving this plan grants. Summaries and risk flags inform the approver; they are not part of the grant. */
export function scopeOf(plan: Plan): ApprovedScope {
  return scopeFrom(plan.intended_side_effects);
}

export function scopeHash(entries: readonly ScopeEntry[]): string {
  return scopeFrom(entries).scope_hash_b64u;
}

/**
 * Whether a later plan stays inside an approved scope ("Approve for scope"), and what falls outside it.
 * Throws APPROVED_SCOPE_MISMATCH when the scope's entries do not hash to its `scope_hash_b64u`.
 */
export function planWithinScope(plan: Plan, scope: ApprovedScope): { within: boolean; outside: ScopeEntry[] } {
  if (scopeFrom(scope.side_effects).scope_hash_b64u !== scope.scope_hash_b64u) {
    throw new ProtocolError("APPROVED_SCOPE_MISMATCH", "the scope's side effects do not hash to its scope_hash_b64u", "scope_hash_b64u");
  }
  const granted = new Set(scope.side_effects.map((e) => `${e.kind}\n${e.target}`));
  const outside = scopeOf(plan).side_effects.filter((e) => !granted.has(`${e.kind}\n${e.target}`));
  return { within: outside.length === 0, outside };
}
