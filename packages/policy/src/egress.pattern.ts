/** Network destinations in canonical form, and the `[scheme://]host[:port]` patterns an egress allowlist holds. */
import { compileGlob, type Glob } from "./glob.match.js";

export type Scheme = "http" | "https";

export const DEFAULT_PORTS: Readonly<Record<Scheme, number>> = { http: 80, https: 443 };

/** Where a request goes: lower-case host without a trailing dot, explicit port. */
export interface Destination {
  readonly scheme: Scheme;
  readonly host: string;
  readonly port: number;
}

export interface EgressPattern {
  readonly source: string;
  /** `*` or `**`: any scheme, host and port. */
  readonly any: boolean;
  /** Absent: either scheme. */
  readonly scheme: Scheme | null;
  readonly host: Glob;
  /** `"*"`: any port; `null`: the request scheme's default port (80 or 443) only. */
  readonly port: number | "*" | null;
}

const LABEL = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";
const HOSTNAME_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const IPV6_RE = /^\[[0-9a-f:.]+\]$/;
const PATTERN_RE = /^(?:(https?):\/\/)?(\[[0-9a-fA-F:.*]+\]|[A-Za-z0-9_.*?-]+)(?::(\d{1,5}|\*))?$/;

export function isScheme(value: unknown): value is Scheme {
  return value === "http" || value === "https";
}

export function isPort(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** The canonical spelling of a host name or IP literal, or null when it is neither. */
export function canonicalHost(host: string): string | null {
  let h = host.toLowerCase();
  if (h.endsWith(".")) h = h.slice(0, -1);
  if (h.length === 0 || h.length > 253) return null;
  return HOSTNAME_RE.test(h) || IPV6_RE.test(h) ? h : null;
}

export function destinationTarget(d: Destination): string {
  return `${d.scheme}://${d.host}:${d.port}`;
}

/** An http(s) URL as a destination (IDN hosts become punycode); null for anything else. */
export function destinationFromUrl(target: string): Destination | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  const scheme = url.protocol.slice(0, -1);
  if (!isScheme(scheme) || url.username !== "" || url.password !== "") return null;
  const host = canonicalHost(url.hostname);
  if (host === null) return null;
  return { scheme, host, port: url.port === "" ? DEFAULT_PORTS[scheme] : Number(url.port) };
}

/** Parses one allowlist entry; null when it is not a destination pattern (e.g. a file glob in a v2 statement). */
export function parseEgressPattern(source: string): EgressPattern | null {
  if (source === "*" || source === "**") {
    return { source, any: true, scheme: null, host: compileGlob("*"), port: "*" };
  }
  const match = PATTERN_RE.exec(source);
  if (!match) return null;
  const [, scheme, rawHost, rawPort] = match;
  let host = rawHost!.toLowerCase();
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host.length === 0) return null;
  let port: number | "*" | null = null;
  if (rawPort === "*") port = "*";
  else if (rawPort !== undefined) {
    port = Number(rawPort);
    if (!isPort(port)) return null;
  }
  return { source, any: false, scheme: isScheme(scheme) ? scheme : null, host: compileGlob(host), port };
}

export function egressMatches(pattern: EgressPattern, d: Destination): boolean {
  if (pattern.any) return true;
  if (pattern.scheme !== null && pattern.scheme !== d.scheme) return false;
  if (pattern.port === null ? d.port !== DEFAULT_PORTS[d.scheme] : pattern.port !== "*" && pattern.port !== d.port) return false;
  return pattern.host.test(d.host);
}
