// Matching primitives: globs, condition operators, deny-overrides within one layer.
import { describe, expect, it } from "vitest";
import { compileGlob } from "./glob.match.js";
import { compileResource, compileRule, evaluateRules, ruleFromStatement, type ConditionOperator } from "./rules.eval.js";

describe("globs (the Clawsig evaluator's semantics)", () => {
  it.each<[string, string, boolean]>([
    ["*", "anything/at/all", true],
    ["claude-*", "claude-sonnet-4", true],
    ["claude-*", "claude/x", false],
    ["src/**", "src/a/b/c.ts", true],
    ["src/*.ts", "src/a/b.ts", false],
    ["**/.env*", ".env", true],
    ["**/.env*", "config/.env.local", true],
    ["file?.txt", "file1.txt", true],
    ["file?.txt", "file/.txt", false],
    ["a.b", "aXb", false],
    ["(x)+", "(x)+", true],
    ["*.example.com", "a.b.example.com", true],
  ])("%s ~ %s = %s", (pattern, value, expected) => {
    expect(compileGlob(pattern).test(value)).toBe(expected);
  });
});

describe("conditions", () => {
  const check = (operator: ConditionOperator, expected: string, actual: string | undefined) => {
    const rule = compileRule({ sid: "s", effect: "Allow", actions: ["*"], resources: [compileResource("*")], conditions: [{ operator, key: "K", expected }] });
    return evaluateRules([rule], "x:y", { kind: "text", value: "r" }, (key) => (key === "K" ? actual : undefined)).effect === "allow";
  };
  it.each<[ConditionOperator, string, string | undefined, boolean]>([
    ["StringEquals", "a", "a", true],
    ["StringEquals", "a", "A", false],
    ["StringEquals", "a", undefined, false],
    ["StringNotEquals", "a", "b", true],
    ["StringNotEquals", "a", undefined, true],
    ["StringNotEquals", "a", "a", false],
    ["StringLike", "gpt-*", "gpt-4o", true],
    ["StringLike", "gpt-*", undefined, false],
    ["StringNotLike", "gpt-*", "claude", true],
    ["StringNotLike", "gpt-*", undefined, true],
    ["StringNotLike", "gpt-*", "gpt-4o", false],
    ["NumericEquals", "10", "10.0", true],
    ["NumericEquals", "10", "x", false],
    ["NumericEquals", "10", "", false],
    ["NumericLessThan", "19", "18", true],
    ["NumericLessThan", "19", "19", false],
    ["NumericLessThan", "19", undefined, false],
    ["NumericGreaterThan", "7", "8", true],
    ["NumericGreaterThan", "nope", "8", false],
    ["Bool", "true", "TRUE", true],
    ["Bool", "false", "false", true],
    ["Bool", "true", "false", false],
    ["Bool", "true", undefined, false],
    ["IpAddress", "10.0.0.0/8", "10.2.3.4", true],
    ["IpAddress", "10.0.0.0/8", "11.0.0.1", false],
    ["IpAddress", "192.168.1.7", "192.168.1.7", true],
    ["IpAddress", "0.0.0.0/0", "8.8.8.8", true],
    ["IpAddress", "10.0.0.0/33", "10.0.0.1", false],
    ["IpAddress", "10.0.0.0/8", "::1", false],
    ["IpAddress", "10.0.0.0/8", "10.0.0.256", false],
    ["IpAddress", "10.0.0.0/8", undefined, false],
  ])("%s %s vs %s = %s", (operator, expected, actual, result) => {
    expect(check(operator, expected, actual)).toBe(result);
  });

  it("StringIn (v1 translation) holds for any listed value", () => {
    const rule = compileRule({ sid: "s", effect: "Allow", actions: ["*"], resources: [compileResource("*")], conditions: [{ operator: "StringIn", key: "K", expected: ["a", "b"] }] });
    const run = (v: string | undefined) => evaluateRules([rule], "x", { kind: "text", value: "r" }, () => v).effect;
    expect([run("a"), run("b"), run("c"), run(undefined)]).toEqual(["allow", "allow", "none", "none"]);
  });
});

describe("one layer", () => {
  const rules = [
    ruleFromStatement({ sid: "allow-all", effect: "Allow", actions: ["side_effect:*"], resources: ["**"] }),
    ruleFromStatement({ sid: "allow-src", effect: "Allow", actions: ["side_effect:filesystem_write"], resources: ["src/**"] }),
    ruleFromStatement({ sid: "deny-secrets", effect: "Deny", actions: ["side_effect:*"], resources: ["**/secrets/**"] }),
  ];
  it("collects every matching allow", () => {
    expect(evaluateRules(rules, "side_effect:filesystem_write", { kind: "text", value: "src/a.ts" }, () => undefined)).toEqual({ effect: "allow", sids: ["allow-all", "allow-src"] });
  });
  it("any matching deny wins, whatever the statement order", () => {
    const target = { kind: "text", value: "src/secrets/a" } as const;
    expect(evaluateRules(rules, "side_effect:filesystem_write", target, () => undefined)).toEqual({ effect: "deny", sids: ["deny-secrets"] });
    expect(evaluateRules([...rules].reverse(), "side_effect:filesystem_write", target, () => undefined).effect).toBe("deny");
  });
  it("no matching action is no decision", () => {
    expect(evaluateRules(rules, "model:invoke", { kind: "text", value: "x" }, () => undefined)).toEqual({ effect: "none", sids: [] });
  });
  it("a resource that is not a destination pattern never matches a destination, unless it matches everything", () => {
    const files = [ruleFromStatement({ sid: "files", effect: "Allow", actions: ["*"], resources: ["src/**"] })];
    const destination = { kind: "destination", value: { scheme: "https", host: "src", port: 443 } } as const;
    expect(evaluateRules(files, "side_effect:network_egress", destination, () => undefined).effect).toBe("none");
    expect(evaluateRules(rules, "side_effect:network_egress", destination, () => undefined).effect).toBe("allow");
  });
});
