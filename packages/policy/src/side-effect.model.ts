/** Side effects in canonical form (what a plan lists and an approval pins) and the risk flags an approver sees. */
import { destinationFromUrl, destinationTarget, type Destination } from "./egress.pattern.js";

export const SIDE_EFFECT_KINDS = [
  "network_egress",
  "filesystem_write",
  "filesystem_delete",
  "external_api_write",
  "repo_push",
  "email",
  "chat_message",
] as const;
export type SideEffectKind = (typeof SIDE_EFFECT_KINDS)[number];

export const RISK_FLAGS = [
  "destructive",
  "external_write",
  "ip_literal",
  "new_domain",
  "outside_workspace",
  "plaintext_http",
  "secret_path",
] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];

/** What an approval pins: one kind of side effect on one canonical target. */
export interface ScopeEntry {
  readonly kind: SideEffectKind;
  readonly target: string;
}

/** A side effect the plan phase captured instead of performing. */
export interface IntendedSideEffect extends ScopeEntry {
  readonly summary: string;
  /** Sorted, each once. */
  readonly risk_flags: readonly RiskFlag[];
}

/** What risk flags need to know about a policy: the hosts it names without a wildcard. */
export interface NamedHosts {
  readonly named_hosts: ReadonlySet<string>;
}

const MAX_TARGET_LENGTH = 2048;
// C0 controls and DEL: a target is shown to a human and compared byte for byte; hidden characters have no place.
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const EXTERNAL_WRITE_KINDS = new Set<SideEffectKind>(["external_api_write", "repo_push", "email", "chat_message"]);
const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const SECRET_SEGMENT_RE =
  /(?:^|\/)(?:\.env(?:\.[^/]*)?|\.ssh|\.aws|\.gnupg|\.docker|\.kube|\.azure|secrets?|credentials?(?:\.[^/]*)?|\.npmrc|\.pypirc|\.netrc|\.pgpass|\.git-credentials|id_(?:rsa|dsa|ecdsa|ed25519)(?:\.pub)?)(?:\/|$)/;
const SECRET_EXTENSION_RE = /\.(?:pem|key|p12|pfx|jks|keystore|kdbx)$/;

export function isSideEffectKind(value: unknown): value is SideEffectKind {
  return typeof value === "string" && (SIDE_EFFECT_KINDS as readonly string[]).includes(value);
}

export function isRiskFlag(value: unknown): value is RiskFlag {
  return typeof value === "string" && (RISK_FLAGS as readonly string[]).includes(value);
}

/** POSIX path with `.` and empty segments removed and `..` resolved as far as the path allows. */
function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(segment);
  }
  const joined = out.join("/");
  return absolute ? `/${joined}` : joined === "" ? "." : joined;
}

/** An http(s) URL without credentials or fragment, host lower-cased, default port dropped. */
function canonicalUrl(target: string): string | null {
  if (destinationFromUrl(target) === null) return null;
  const url = new URL(target);
  return `${url.origin}${url.pathname}${url.search}`;
}

/**
 * The one spelling of a target: `scheme://host:port` for network egress, a normalised URL for API writes,
 * a normalised POSIX path for files, the trimmed text otherwise. Null when the target is not admissible.
 */
export function canonicalTarget(kind: SideEffectKind, target: string): string | null {
  if (typeof target !== "string" || hasControlCharacter(target)) return null;
  const trimmed = target.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_TARGET_LENGTH) return null;
  switch (kind) {
    case "network_egress": {
      const destination = destinationFromUrl(trimmed);
      return destination === null ? null : destinationTarget(destination);
    }
    case "external_api_write":
      return canonicalUrl(trimmed);
    case "filesystem_write":
    case "filesystem_delete":
      return normalizePath(trimmed);
    case "repo_push":
    case "email":
    case "chat_message":
      return trimmed;
  }
}

/** The destination a canonical target reaches over the network, if it is one. */
export function destinationOf(entry: ScopeEntry): Destination | null {
  return entry.kind === "network_egress" || entry.kind === "external_api_write" ? destinationFromUrl(entry.target) : null;
}

function isIpLiteral(host: string): boolean {
  return IPV4_RE.test(host) || host.startsWith("[");
}

/** Whether a path or URL path looks like it holds credentials or keys. */
export function looksSecret(target: string): boolean {
  const lower = target.toLowerCase();
  let path = lower;
  if (/^https?:\/\//.test(lower)) {
    try {
      path = new URL(lower).pathname;
    } catch {
      path = lower;
    }
  }
  return SECRET_SEGMENT_RE.test(path) || SECRET_EXTENSION_RE.test(path);
}

export interface RiskInput {
  readonly kind: SideEffectKind;
  readonly target: string;
  /** The HTTP method, when the gateway saw one (not through a CONNECT tunnel). */
  readonly method?: string;
}

/**
 * The flags an approval card shows for one side effect, sorted. `new_domain`: the host is reached only
 * through a wildcard or an unrestricted statement, never named by the policy.
 */
export function riskFlags(sideEffect: RiskInput, policy: NamedHosts): RiskFlag[] {
  const target = canonicalTarget(sideEffect.kind, sideEffect.target) ?? sideEffect.target;
  const method = sideEffect.method?.toUpperCase();
  const flags = new Set<RiskFlag>();
  if (EXTERNAL_WRITE_KINDS.has(sideEffect.kind) || (method !== undefined && UNSAFE_METHODS.has(method))) flags.add("external_write");
  if (sideEffect.kind === "filesystem_delete" || method === "DELETE") flags.add("destructive");
  if ((sideEffect.kind === "filesystem_write" || sideEffect.kind === "filesystem_delete") && (target.startsWith("/") || target === ".." || target.startsWith("../"))) {
    flags.add("outside_workspace");
  }
  const destination = destinationOf({ kind: sideEffect.kind, target });
  if (destination !== null) {
    if (!policy.named_hosts.has(destination.host)) flags.add("new_domain");
    if (destination.scheme === "http") flags.add("plaintext_http");
    if (isIpLiteral(destination.host)) flags.add("ip_literal");
  }
  if (looksSecret(target)) flags.add("secret_path");
  return [...flags].sort();
}
