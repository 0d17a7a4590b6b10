// Plans and scopes: canonical, deterministic under reordering and repetition, and the plan → approve → apply loop.
import { hashJcsB64u, ProtocolError, sha256B64u } from "@clawea/protocol";
import { describe, expect, it } from "vitest";
import { decide, type PolicyRequest } from "./decision.decide.js";
import { context, normalized, wpcV2 } from "./fixtures.test-support.js";
import { buildPlan, planWithinScope, scopeFrom, scopeHash, scopeOf, type PlanInput } from "./plan.model.js";
import type { IntendedSideEffect } from "./side-effect.model.js";

const effects: IntendedSideEffect[] = [
  { kind: "network_egress", target: "https://api.github.com:443", summary: "GET", risk_flags: [] },
  { kind: "repo_push", target: "github.com/acme/widgets@refs/heads/feat-1", summary: "push 2 commits", risk_flags: ["external_write"] },
  { kind: "filesystem_write", target: "src/app.ts", summary: "", risk_flags: [] },
  { kind: "external_api_write", target: "https://api.github.com/repos/acme/widgets/pulls", summary: "open PR", risk_flags: ["external_write"] },
  { kind: "network_egress", target: "https://api.github.com:443", summary: "POST", risk_flags: ["external_write"] },
  { kind: "email", target: "cfo@acme.com", summary: "weekly report", risk_flags: ["external_write"] },
];
const diff = {
  files: [
    { path: "src/app.ts", change: "modified" as const, sha256_b64u: sha256B64u("new app"), size_bytes: 7 },
    { path: "README.md", change: "added" as const, sha256_b64u: sha256B64u("readme") },
    { path: "old/legacy.ts", change: "deleted" as const },
  ],
};
const estimate = { tokens: 12_000, cost_minor: 40, duration_ms: 90_000 };
const input: PlanInput = { intended_side_effects: effects, workspace_diff: diff, estimate };

/** Deterministic shuffles (mulberry32), so a failure is reproducible. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("buildPlan", () => {
  const plan = buildPlan(input);

  it("sorts side effects by kind, target, summary and files by path", () => {
    expect(plan.intended_side_effects.map((e) => `${e.kind} ${e.target} ${e.summary}`)).toEqual([
      "email cfo@acme.com weekly report",
      "external_api_write https://api.github.com/repos/acme/widgets/pulls open PR",
      "filesystem_write src/app.ts ",
      "network_egress https://api.github.com:443 GET",
      "network_egress https://api.github.com:443 POST",
      "repo_push github.com/acme/widgets@refs/heads/feat-1 push 2 commits",
    ]);
    expect(plan.workspace_diff.files.map((f) => f.path)).toEqual(["README.md", "old/legacy.ts", "src/app.ts"]);
    expect(plan.risk_flags).toEqual(["destructive", "external_write"]);
  });

  it("hashes everything but the hash", () => {
    const { plan_hash_b64u, ...body } = plan;
    expect(plan_hash_b64u).toBe(hashJcsB64u(body));
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("same inputs in any order, repeated, give the same plan hash (seed %i)", (seed) => {
    const noisy: PlanInput = {
      intended_side_effects: shuffled([...effects, ...effects.slice(0, seed % effects.length)], seed).map((e) => ({
        ...e,
        target: e.kind === "filesystem_write" ? `./${e.target}` : e.target,
        risk_flags: shuffled(e.risk_flags, seed),
      })),
      workspace_diff: { files: shuffled(diff.files, seed * 31) },
      estimate: { duration_ms: estimate.duration_ms, cost_minor: estimate.cost_minor, tokens: estimate.tokens },
    };
    expect(buildPlan(noisy)).toEqual(plan);
  });

  it("repeats merge their risk flags", () => {
    const merged = buildPlan({ ...input, intended_side_effects: [{ ...effects[2]!, risk_flags: ["secret_path"] }, { ...effects[2]!, risk_flags: ["destructive"] }] });
    expect(merged.intended_side_effects).toEqual([{ ...effects[2], risk_flags: ["destructive", "secret_path"] }]);
  });

  it.each<[string, Partial<PlanInput>]>([
    ["another summary", { intended_side_effects: [...effects.slice(1), { ...effects[0]!, summary: "HEAD" }] }],
    ["another file hash", { workspace_diff: { files: [{ ...diff.files[0]!, sha256_b64u: sha256B64u("other") }, ...diff.files.slice(1)] } }],
    ["another estimate", { estimate: { ...estimate, tokens: 12_001 } }],
    ["one side effect fewer", { intended_side_effects: effects.slice(1) }],
  ])("%s changes the plan hash", (_name, change) => {
    expect(buildPlan({ ...input, ...change }).plan_hash_b64u).not.toBe(plan.plan_hash_b64u);
  });

  it("flags secrets in the diff", () => {
    const secret = buildPlan({ ...input, workspace_diff: { files: [{ path: "deploy/.env", change: "added", sha256_b64u: sha256B64u("x") }] } });
    expect(secret.risk_flags).toContain("secret_path");
  });

  it.each<[string, PlanInput]>([
    ["unknown kind", { ...input, intended_side_effects: [{ ...effects[0]!, kind: "teleport" } as unknown as IntendedSideEffect] }],
    ["inadmissible target", { ...input, intended_side_effects: [{ ...effects[0]!, target: "api.github.com" }] }],
    ["unknown risk flag", { ...input, intended_side_effects: [{ ...effects[0]!, risk_flags: ["spicy"] } as unknown as IntendedSideEffect] }],
    ["summary too long", { ...input, intended_side_effects: [{ ...effects[0]!, summary: "x".repeat(1025) }] }],
    ["path outside the workspace", { ...input, workspace_diff: { files: [{ path: "../x", change: "deleted" }] } }],
    ["absolute path", { ...input, workspace_diff: { files: [{ path: "/etc/x", change: "deleted" }] } }],
    ["the same file twice", { ...input, workspace_diff: { files: [diff.files[0]!, { ...diff.files[0]!, path: "./src/app.ts" }] } }],
    ["a deletion with a hash", { ...input, workspace_diff: { files: [{ path: "a", change: "deleted", sha256_b64u: sha256B64u("a") }] } }],
    ["an addition without a hash", { ...input, workspace_diff: { files: [{ path: "a", change: "added" }] } }],
    ["a hash that is not SHA-256", { ...input, workspace_diff: { files: [{ path: "a", change: "added", sha256_b64u: "abc" }] } }],
    ["unknown change", { ...input, workspace_diff: { files: [{ path: "a", change: "renamed" } as unknown as { path: string; change: "deleted" }] } }],
    ["negative estimate", { ...input, estimate: { ...estimate, cost_minor: -1 } }],
    ["non-integer estimate", { ...input, estimate: { ...estimate, duration_ms: 1.5 } }],
    ["no side-effect list", { ...input, intended_side_effects: null as unknown as IntendedSideEffect[] }],
  ])("PLAN_INVALID: %s", (_name, bad) => {
    expect(() => buildPlan(bad)).toThrowError(expect.objectContaining({ code: "PLAN_INVALID" }) as ProtocolError);
  });
});

describe("scopes", () => {
  const plan = buildPlan(input);
  const scope = scopeOf(plan);

  it("grants (kind, target) pairs only, each once", () => {
    expect(scope.side_effects).toEqual([
      { kind: "email", target: "cfo@acme.com" },
      { kind: "external_api_write", target: "https://api.github.com/repos/acme/widgets/pulls" },
      { kind: "filesystem_write", target: "src/app.ts" },
      { kind: "network_egress", target: "https://api.github.com:443" },
      { kind: "repo_push", target: "github.com/acme/widgets@refs/heads/feat-1" },
    ]);
    expect(scope.scope_hash_b64u).toBe(hashJcsB64u({ scope_version: "1", side_effects: scope.side_effects }));
  });

  it("the hash ignores order, repeats, summaries and flags", () => {
    expect(scopeHash(shuffled([...effects, ...effects], 9).map(({ kind, target }) => ({ kind, target })))).toBe(scope.scope_hash_b64u);
    expect(scopeOf(buildPlan({ ...input, intended_side_effects: effects.map((e) => ({ ...e, summary: "changed", risk_flags: [] })) }))).toEqual(scope);
  });

  it("a later plan inside the scope is covered; one reaching further is not", () => {
    const smaller = buildPlan({ ...input, intended_side_effects: effects.slice(0, 2) });
    expect(planWithinScope(smaller, scope)).toEqual({ within: true, outside: [] });
    const bigger = buildPlan({ ...input, intended_side_effects: [...effects, { kind: "email", target: "all@acme.com", summary: "", risk_flags: [] }] });
    expect(planWithinScope(bigger, scope)).toEqual({ within: false, outside: [{ kind: "email", target: "all@acme.com" }] });
  });

  it("a scope whose entries were changed after hashing is refused", () => {
    const widened = { ...scope, side_effects: [...scope.side_effects, { kind: "email" as const, target: "all@acme.com" }] };
    expect(() => planWithinScope(plan, widened)).toThrowError(expect.objectContaining({ code: "APPROVED_SCOPE_MISMATCH" }) as ProtocolError);
  });

  it("PLAN_INVALID for a bad entry", () => {
    expect(() => scopeFrom([{ kind: "email", target: "" }])).toThrowError(expect.objectContaining({ code: "PLAN_INVALID" }) as ProtocolError);
  });
});

describe("plan → approve → apply", () => {
  const policy = normalized(wpcV2);
  const attempts: PolicyRequest[] = [
    { type: "model_call", provider: "anthropic", model: "claude-sonnet-4" },
    { type: "egress", scheme: "https", host: "api.github.com", port: 443, method: "GET" },
    { type: "side_effect", kind: "filesystem_write", target: "src/app.ts", summary: "edit" },
    { type: "side_effect", kind: "repo_push", target: "github.com/acme/widgets@refs/heads/feat-1", summary: "push" },
    { type: "egress", scheme: "https", host: "api.github.com", port: 443, method: "GET" },
  ];

  function planPhase(requests: PolicyRequest[]) {
    const captured = requests.flatMap((r) => {
      const d = decide(policy, r, context({ phase: "plan" }));
      return d.effect === "deny" && d.intended_side_effect !== undefined ? [d.intended_side_effect] : [];
    });
    return buildPlan({ intended_side_effects: captured, workspace_diff: { files: [] }, estimate: { tokens: 1, cost_minor: 1, duration_ms: 1 } });
  }

  it("the same attempts in another order give the same plan", () => {
    expect(planPhase(shuffled(attempts, 3)).plan_hash_b64u).toBe(planPhase(attempts).plan_hash_b64u);
  });

  it("the approved scope lets exactly the planned side effects through", () => {
    const approved = context({ approved_scope: scopeOf(planPhase(attempts)) });
    for (const request of attempts) expect(decide(policy, request, approved).effect).toBe("allow");
    const unplanned = decide(policy, { type: "side_effect", kind: "filesystem_write", target: "src/other.ts" }, approved);
    expect(unplanned.effect === "deny" && unplanned.reason_code).toBe("SIDE_EFFECT_NOT_APPROVED");
  });
});
