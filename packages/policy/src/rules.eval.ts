/**
 * IAM-style rules compiled once from WPC statements: action, resource and condition matching, explicit Deny
 * over Allow, default deny. The semantics follow the Clawsig v2 evaluator; the code and compiled form are ours.
 */
import type { PolicyStatement } from "@clawea/schema";
import { egressMatches, parseEgressPattern, type Destination, type EgressPattern } from "./egress.pattern.js";
import { compileGlob, type Glob } from "./glob.match.js";

export type Effect = "Allow" | "Deny";

export const CONDITION_OPERATORS = [
  "StringEquals",
  "StringNotEquals",
  "StringLike",
  "StringNotLike",
  "NumericEquals",
  "NumericLessThan",
  "NumericGreaterThan",
  "Bool",
  "IpAddress",
] as const;
/** The WPC v2 operators, plus `StringIn`, which only v1 translation produces (one value of a list). */
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number] | "StringIn";

export interface Condition {
  readonly operator: ConditionOperator;
  readonly key: string;
  readonly expected: string | readonly string[];
  test(actual: string | undefined): boolean;
}

export interface Resource {
  readonly source: string;
  readonly glob: Glob;
  /** The same pattern read as a destination (`[scheme://]host[:port]`); null when it is not one. */
  readonly egress: EgressPattern | null;
}

export interface Rule {
  readonly sid: string;
  readonly effect: Effect;
  readonly actions: readonly Glob[];
  readonly resources: readonly Resource[];
  /** All must hold. */
  readonly conditions: readonly Condition[];
}

/** What is being done to what: the resource is a string, or a destination for network egress. */
export type Target = { readonly kind: "text"; readonly value: string } | { readonly kind: "destination"; readonly value: Destination };

/** Reads a context key (`Model:Provider`, `SideEffect:TargetDomain`, ...); undefined when the request has none. */
export type Lookup = (key: string) => string | undefined;

export type LayerResult = { readonly effect: "allow" | "deny" | "none"; readonly sids: readonly string[] };

function toNumber(text: string | undefined): number {
  return text === undefined || text.trim() === "" ? Number.NaN : Number(text);
}

function ipv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let n = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

/** IPv4 CIDR (or a single address); anything else, including IPv6, does not match: fail closed. */
function cidrContains(cidr: string, address: string): boolean {
  const [network, prefixText, extra] = cidr.split("/");
  if (extra !== undefined || network === undefined) return false;
  const prefix = prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : -1;
  const net = ipv4(network);
  const ip = ipv4(address);
  if (prefix < 0 || prefix > 32 || net === null || ip === null) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(net / size) === Math.floor(ip / size);
}

function compileCondition(operator: ConditionOperator, key: string, expected: string | readonly string[]): Condition {
  const one = typeof expected === "string" ? expected : "";
  let test: (actual: string | undefined) => boolean;
  switch (operator) {
    case "StringEquals":
      test = (actual) => actual === one;
      break;
    case "StringNotEquals":
      test = (actual) => actual !== one;
      break;
    case "StringLike": {
      const glob = compileGlob(one);
      test = (actual) => actual !== undefined && glob.test(actual);
      break;
    }
    case "StringNotLike": {
      const glob = compileGlob(one);
      test = (actual) => actual === undefined || !glob.test(actual);
      break;
    }
    case "NumericEquals":
    case "NumericLessThan":
    case "NumericGreaterThan": {
      const bound = toNumber(one);
      const compare =
        operator === "NumericEquals" ? (a: number) => a === bound : operator === "NumericLessThan" ? (a: number) => a < bound : (a: number) => a > bound;
      // NaN on either side compares false: an unreadable number never satisfies a condition.
      test = (actual) => compare(toNumber(actual));
      break;
    }
    case "Bool": {
      const want = one.toLowerCase() === "true";
      test = (actual) => actual !== undefined && (actual.toLowerCase() === "true") === want;
      break;
    }
    case "IpAddress":
      test = (actual) => actual !== undefined && cidrContains(one, actual);
      break;
    case "StringIn": {
      const values = new Set(typeof expected === "string" ? [expected] : expected);
      test = (actual) => actual !== undefined && values.has(actual);
      break;
    }
  }
  return { operator, key, expected, test };
}

export function compileResource(source: string): Resource {
  return { source, glob: compileGlob(source), egress: parseEgressPattern(source) };
}

export interface RuleSpec {
  readonly sid: string;
  readonly effect: Effect;
  readonly actions: readonly string[];
  readonly resources: readonly Resource[];
  readonly conditions?: readonly { operator: ConditionOperator; key: string; expected: string | readonly string[] }[];
}

export function compileRule(spec: RuleSpec): Rule {
  return {
    sid: spec.sid,
    effect: spec.effect,
    actions: spec.actions.map(compileGlob),
    resources: spec.resources,
    conditions: (spec.conditions ?? []).map((c) => compileCondition(c.operator, c.key, c.expected)),
  };
}

/** A v2 statement as a rule. Condition maps are read in key order, so evaluation never depends on document order. */
export function ruleFromStatement(statement: PolicyStatement): Rule {
  const conditions: { operator: ConditionOperator; key: string; expected: string }[] = [];
  const blocks = statement.conditions ?? {};
  for (const operator of CONDITION_OPERATORS) {
    const map = blocks[operator];
    if (map === undefined) continue;
    for (const key of Object.keys(map).sort()) conditions.push({ operator, key, expected: map[key]! });
  }
  return compileRule({
    sid: statement.sid,
    effect: statement.effect,
    actions: statement.actions,
    resources: statement.resources.map(compileResource),
    conditions,
  });
}

function resourceMatches(resource: Resource, target: Target): boolean {
  if (target.kind === "text") return resource.glob.test(target.value);
  if (resource.egress !== null) return egressMatches(resource.egress, target.value);
  return resource.glob.any;
}

/** One layer of policy: explicit Deny wins, then any Allow, else no statement applies (default deny). */
export function evaluateRules(rules: readonly Rule[], action: string, target: Target, lookup: Lookup): LayerResult {
  const allowed: string[] = [];
  const denied: string[] = [];
  for (const rule of rules) {
    if (!rule.actions.some((a) => a.test(action))) continue;
    if (!rule.resources.some((r) => resourceMatches(r, target))) continue;
    if (!rule.conditions.every((c) => c.test(lookup(c.key)))) continue;
    (rule.effect === "Deny" ? denied : allowed).push(rule.sid);
  }
  if (denied.length > 0) return { effect: "deny", sids: denied };
  if (allowed.length > 0) return { effect: "allow", sids: allowed };
  return { effect: "none", sids: [] };
}
