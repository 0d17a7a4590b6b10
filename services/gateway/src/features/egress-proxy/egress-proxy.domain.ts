/** What the egress proxy reads off the wire: the run's credential, the destination, headers to drop, addresses to refuse. */
import { BlockList, isIP } from "node:net";
import type { Scheme } from "@clawea/policy";

/** One egress attempt as the policy sees it: a plain HTTP request, or a CONNECT tunnel (no method). */
export interface EgressTarget {
  scheme: Scheme;
  /** Lower case, no trailing dot; IPv6 literals in brackets (as the policy spells them). */
  host: string;
  port: number;
  /** Absent for CONNECT: the proxy cannot see inside a tunnel. */
  method?: string;
  /** Plain HTTP only: origin-form path and query sent upstream. */
  path?: string;
}

export type ProxyCredential = { kind: "none" } | { kind: "token"; token: string } | { kind: "unusable" };

/**
 * The CST from `Proxy-Authorization`: `Bearer <cst>`, or `Basic` as HTTP(S)_PROXY=http://<user>:<cst>@gw:port
 * sends it (the password; the user name when the password is empty, for http://<cst>@gw:port).
 */
export function proxyCredential(header: string | undefined): ProxyCredential {
  if (header === undefined || header.trim() === "") return { kind: "none" };
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { kind: "unusable" };
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === "bearer") return { kind: "token", token: value };
  if (scheme !== "basic") return { kind: "unusable" };
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const token = colon === -1 ? decoded : decoded.slice(colon + 1) || decoded.slice(0, colon);
  return token === "" ? { kind: "unusable" } : { kind: "token", token };
}

// WHATWG URL parsing canonicalises hosts (lower case, IDN to punycode, `127.1` and `0x7f.1` to 127.0.0.1),
// so the policy, the record and the address check all see the same spelling.
function canonicalHostOf(url: URL): string | null {
  const host = url.hostname.replace(/\.$/, "");
  return host === "" ? null : host;
}

/** `CONNECT host:port` (port required, nothing else): always `https`, since a tunnel is opaque to the proxy. */
export function connectTarget(authority: string | undefined): EgressTarget | null {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s/?#@[\]:]+):(\d{1,5})$/.exec(authority ?? "");
  if (!match) return null;
  let url: URL;
  try {
    url = new URL(`https://${match[1]!}/`);
  } catch {
    return null;
  }
  const host = canonicalHostOf(url);
  return host === null ? null : { scheme: "https", host, port: Number(match[2]) };
}

/** An absolute-form `http://host[:port]/path` request line; origin-form and `https://` (use CONNECT) are not proxy requests. */
export function forwardTarget(requestUrl: string | undefined, method: string | undefined): EgressTarget | null {
  if (requestUrl === undefined || method === undefined || !/^http:\/\//i.test(requestUrl)) return null;
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  const host = canonicalHostOf(url);
  if (host === null) return null;
  return { scheme: "http", host, port: url.port === "" ? 80 : Number(url.port), method, path: `${url.pathname}${url.search}` };
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"]);

/**
 * Raw headers (name, value, name, value, …) without hop-by-hop headers, those the `Connection` header names,
 * and `Proxy-Authorization` (the run's CST never leaves the gateway). `host`, when given, replaces any Host
 * header so the upstream sees the destination the policy decided on, not one the client smuggled in.
 */
export function endToEndHeaders(rawHeaders: readonly string[], host?: string): string[] {
  const named = new Set<string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === "connection") {
      for (const token of rawHeaders[i + 1]!.split(",")) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = host === undefined ? [] : ["Host", host];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || named.has(lower) || (host !== undefined && lower === "host")) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  return out;
}

/** The Host header for a destination: the port only when it is not the scheme's default. */
export function hostHeader(target: EgressTarget): string {
  return target.port === (target.scheme === "http" ? 80 : 443) ? target.host : `${target.host}:${target.port}`;
}

/** The address to dial for an IP-literal host (brackets off), or null for a host name. */
export function literalAddress(host: string): string | null {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  return isIP(bare) === 0 ? null : bare;
}

export type BlockedAddressKind = "loopback" | "private" | "link_local" | "reserved";

const BLOCKED_RANGES: ReadonlyArray<readonly [BlockedAddressKind, string, number, "ipv4" | "ipv6"]> = [
  ["loopback", "127.0.0.0", 8, "ipv4"],
  ["loopback", "::1", 128, "ipv6"],
  ["private", "10.0.0.0", 8, "ipv4"],
  ["private", "172.16.0.0", 12, "ipv4"],
  ["private", "192.168.0.0", 16, "ipv4"],
  ["private", "100.64.0.0", 10, "ipv4"],
  ["private", "fc00::", 7, "ipv6"],
  ["private", "fec0::", 10, "ipv6"],
  ["link_local", "169.254.0.0", 16, "ipv4"],
  ["link_local", "fe80::", 10, "ipv6"],
  ["reserved", "0.0.0.0", 8, "ipv4"],
  ["reserved", "192.0.0.0", 24, "ipv4"],
  ["reserved", "192.0.2.0", 24, "ipv4"],
  ["reserved", "198.18.0.0", 15, "ipv4"],
  ["reserved", "198.51.100.0", 24, "ipv4"],
  ["reserved", "203.0.113.0", 24, "ipv4"],
  ["reserved", "224.0.0.0", 4, "ipv4"],
  ["reserved", "240.0.0.0", 4, "ipv4"],
  ["reserved", "::", 128, "ipv6"],
  ["reserved", "100::", 64, "ipv6"],
  ["reserved", "2001:db8::", 32, "ipv6"],
  ["reserved", "ff00::", 8, "ipv6"],
];

const BLOCK_LISTS: ReadonlyArray<readonly [BlockedAddressKind, BlockList]> = (["loopback", "private", "link_local", "reserved"] as const).map((kind) => {
  const list = new BlockList();
  for (const [k, network, prefix, family] of BLOCKED_RANGES) if (k === kind) list.addSubnet(network, prefix, family);
  return [kind, list] as const;
});

/** The 16 bytes of an IPv6 address (dotted-quad tail allowed), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.toLowerCase();
  const tail: number[] = [];
  const quad = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    if (isIP(quad[1]!) !== 4) return null;
    tail.push(...quad[1]!.split(".").map(Number));
    text = `${text.slice(0, -quad[1]!.length)}0:0`;
  }
  const [head = "", rest] = text.split("::");
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const left = groups(head);
  const right = groups(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(fill).fill("0"), ...right];
  if (all.length !== 8) return null;
  const bytes = all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** IPv4 inside NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses, which reach that IPv4 host. */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (b === null) return null;
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return b.slice(12).join(".");
  if (b[0] === 0x20 && b[1] === 0x02) return b.slice(2, 6).join(".");
  return null;
}

/**
 * Why the proxy must not dial this address on a policy's wildcard: loopback, private (RFC 1918, CGNAT,
 * ULA), link-local (cloud metadata lives at 169.254.169.254) or otherwise special; null for a public address.
 * IPv4-mapped, NAT64 and 6to4 addresses are judged by the IPv4 address they reach.
 */
export function blockedAddressKind(address: string): BlockedAddressKind | null {
  const family = isIP(address);
  if (family === 0) return "reserved";
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const [kind, list] of BLOCK_LISTS) if (list.check(address, type)) return kind;
  const embedded = family === 6 ? embeddedIpv4(address) : null;
  return embedded === null ? null : blockedAddressKind(embedded);
}
