// Every branch of decide, as tables: v1 and v2 policies, plan and apply phase, each reason code.
import { describe, expect, it } from "vitest";
import { context, normalized, wpcV1, wpcV2 } from "./fixtures.test-support.js";
import { decide, preflight, sideEffectOf, type DecisionContext, type PolicyRequest } from "./decision.decide.js";
import { scopeFrom, type ApprovedScope } from "./plan.model.js";
import type { ScopeEntry } from "./side-effect.model.js";

const v1 = normalized(wpcV1);
const v2 = normalized(wpcV2);

/** The apply phase of a run whose approval granted exactly what `requests` ask for. */
function approvedFor(...requests: PolicyRequest[]): DecisionContext {
  const entries = requests.map(sideEffectOf).filter((e): e is ScopeEntry => e !== null);
  return context({ approved_scope: scopeFrom(entries) });
}

function codeOf(policy = v1, request: PolicyRequest, ctx: DecisionContext = approvedFor(request)): string {
  const decision = decide(policy, request, ctx);
  return decision.effect === "allow" ? "ALLOW" : decision.reason_code;
}

const egress = (host: string, port = 443, scheme: "http" | "https" = "https", method?: string): PolicyRequest =>
  method === undefined ? { type: "egress", scheme, host, port } : { type: "egress", scheme, host, port, method };
const model = (provider: string, name: string, estimated_tokens?: number): PolicyRequest =>
  estimated_tokens === undefined ? { type: "model_call", provider, model: name } : { type: "model_call", provider, model: name, estimated_tokens };
const effect = (kind: string, target: string): PolicyRequest => ({ type: "side_effect", kind, target }) as PolicyRequest;

describe("WPC v1", () => {
  it.each<[string, PolicyRequest, string]>([
    ["listed provider and model", model("anthropic", "claude-sonnet-4-20250514"), "ALLOW"],
    ["exact model", model("openai", "gpt-4o"), "ALLOW"],
    ["provider not listed", model("google", "gemini-2.5-pro"), "POLICY_MODEL_DENIED"],
    ["model not listed", model("anthropic", "claude-opus-4"), "POLICY_MODEL_DENIED"],
    ["listed model under another listed provider is still a listed pair", model("openai", "gpt-4o-mini"), "ALLOW"],
    ["host on the list, default https port", egress("api.github.com"), "ALLOW"],
    ["host on the list, default http port", egress("api.github.com", 80, "http"), "ALLOW"],
    ["host on the list, other port", egress("api.github.com", 8443), "POLICY_EGRESS_DENIED"],
    ["host case and trailing dot do not matter", egress("API.GitHub.com."), "ALLOW"],
    ["wildcard covers a subdomain", egress("registry.npmjs.org"), "ALLOW"],
    ["wildcard covers deeper subdomains", egress("a.b.npmjs.org"), "ALLOW"],
    ["wildcard does not cover the apex", egress("npmjs.org"), "POLICY_EGRESS_DENIED"],
    ["scheme-pinned entry refuses the other scheme", egress("pypi.org", 80, "http"), "POLICY_EGRESS_DENIED"],
    ["scheme-pinned entry", egress("pypi.org"), "ALLOW"],
    ["explicit port", egress("registry.internal", 8443), "ALLOW"],
    ["explicit port excludes the default one", egress("registry.internal", 443), "POLICY_EGRESS_DENIED"],
    ["any port", egress("mirror.local", 3128, "http"), "ALLOW"],
    ["host not listed", egress("exfil.example"), "POLICY_EGRESS_DENIED"],
    ["suffix trick", egress("api.github.com.evil.example"), "POLICY_EGRESS_DENIED"],
    ["network egress as a URL side effect", effect("network_egress", "https://api.github.com/repos/acme/x?page=2"), "ALLOW"],
    ["v1 knows no file writes", effect("filesystem_write", "src/index.ts"), "POLICY_SIDE_EFFECT_DENIED"],
    ["v1 knows no repo pushes", effect("repo_push", "github.com/acme/widgets@refs/heads/x"), "POLICY_SIDE_EFFECT_DENIED"],
    ["v1 knows no API writes, even to allowed hosts", effect("external_api_write", "https://api.github.com/repos/acme/x/issues"), "POLICY_SIDE_EFFECT_DENIED"],
  ])("%s", (_name, request, expected) => {
    expect(codeOf(v1, request)).toBe(expected);
  });
});

describe("WPC v2", () => {
  const at = (hour: string) => `2026-11-25T${hour}:30:00Z`;
  it.each<[string, PolicyRequest, string, string[]]>([
    ["allowed model", model("anthropic", "claude-sonnet-4"), "ALLOW", ["models-anthropic"]],
    ["condition on the provider", model("openai", "claude-sonnet-4"), "POLICY_MODEL_DENIED", []],
    ["resource glob on the model", model("anthropic", "gpt-4o"), "POLICY_MODEL_DENIED", []],
    ["allowed egress", egress("api.github.com"), "ALLOW", ["egress-github"]],
    ["wildcard egress", egress("raw.githubusercontent.com"), "ALLOW", ["egress-github"]],
    ["explicit deny beats allow", egress("api.github.com", 80, "http"), "POLICY_EGRESS_DENIED", ["no-plaintext"]],
    ["default deny for egress", egress("example.com"), "POLICY_EGRESS_DENIED", []],
    ["API write inside the org", effect("external_api_write", "https://api.github.com/repos/acme/widgets/issues"), "ALLOW", ["github-writes"]],
    ["API write outside the org", effect("external_api_write", "https://api.github.com/repos/other/x/issues"), "POLICY_SIDE_EFFECT_DENIED", []],
    ["push a feature branch", effect("repo_push", "github.com/acme/widgets@refs/heads/feat-1"), "ALLOW", ["github-writes"]],
    ["push to main", effect("repo_push", "github.com/acme/widgets@refs/heads/main"), "POLICY_SIDE_EFFECT_DENIED", ["no-main-push"]],
    ["write a source file", effect("filesystem_write", "src/app/main.ts"), "ALLOW", ["workspace-writes"]],
    ["paths are normalised before matching", effect("filesystem_write", "./src//app/../main.ts"), "ALLOW", ["workspace-writes"]],
    ["cannot climb out of an allowed folder", effect("filesystem_write", "src/../deploy/key.txt"), "POLICY_SIDE_EFFECT_DENIED", []],
    ["secrets inside an allowed folder", effect("filesystem_write", "src/config/.env.local"), "POLICY_SIDE_EFFECT_DENIED", ["no-secrets"]],
    ["nothing allows deletes", effect("filesystem_delete", "src/old.ts"), "POLICY_SIDE_EFFECT_DENIED", []],
    ["nothing allows chat messages", effect("chat_message", "slack:#general"), "POLICY_SIDE_EFFECT_DENIED", []],
  ])("%s", (_name, request, expected, sids) => {
    const decision = decide(v2, request, approvedFor(request));
    expect(decision.effect === "allow" ? "ALLOW" : decision.reason_code).toBe(expected);
    expect(decision.statement_ids).toEqual(sids);
  });

  it.each([
    ["09", "ALLOW"],
    ["18", "ALLOW"],
    ["19", "POLICY_SIDE_EFFECT_DENIED"],
    ["03", "POLICY_SIDE_EFFECT_DENIED"],
  ])("conditions read the hour of context.now (%s UTC)", (hour, expected) => {
    const request = effect("email", "cfo@acme.com");
    expect(codeOf(v2, request, { ...approvedFor(request), now: at(hour) })).toBe(expected);
  });

  it("reads Agent:DID, Run:Phase and usage keys", () => {
    const policy = normalized({
      policy_version: "2",
      policy_id: "keys",
      issuer_did: "did:web:acme.example",
      statements: [
        {
          sid: "only-agent-a",
          effect: "Allow",
          actions: ["model:invoke"],
          resources: ["*"],
          conditions: { StringEquals: { "Agent:DID": "did:key:zA", "Run:Phase": "plan" }, NumericLessThan: { "Run:TokensUsed": "10" } },
        },
      ],
      metadata: { clawea: { budget: { max_tokens_per_run: 100, max_cost_minor_per_run: 100 } } },
    });
    const request = model("openai", "gpt-4o");
    const base = context({ phase: "plan", agent_did: "did:key:zA" });
    expect(codeOf(policy, request, base)).toBe("ALLOW");
    expect(codeOf(policy, request, { ...base, agent_did: "did:key:zB" })).toBe("POLICY_MODEL_DENIED");
    expect(codeOf(policy, request, { ...base, phase: "apply" })).toBe("POLICY_MODEL_DENIED");
    expect(codeOf(policy, request, { ...base, usage: { tokens_used: 10, cost_used_minor: 0 } })).toBe("POLICY_MODEL_DENIED");
  });
});

describe("default deny", () => {
  const bareV1 = normalized({ policy_version: "1", policy_id: "bare", issuer_did: "did:web:acme.example" });
  const onlyProviders = normalized({ policy_version: "1", policy_id: "p", issuer_did: "did:web:acme.example", allowed_providers: ["openai"] });
  const unrelatedV2 = normalized({
    policy_version: "2",
    policy_id: "reads-only",
    issuer_did: "did:web:acme.example",
    statements: [{ sid: "reads", effect: "Allow", actions: ["side_effect:filesystem_read"], resources: ["*"] }],
  });

  it.each([
    ["a v1 policy that says nothing", bareV1],
    ["a v1 policy with providers but no models", onlyProviders],
    ["a v2 policy whose statements cover other actions", unrelatedV2],
  ])("%s allows nothing", (_name, policy) => {
    expect(codeOf(policy, model("openai", "gpt-4o"))).toBe("POLICY_MODEL_DENIED");
    expect(codeOf(policy, egress("api.github.com"))).toBe("POLICY_EGRESS_DENIED");
    for (const kind of ["filesystem_write", "filesystem_delete", "repo_push", "email", "chat_message"]) {
      expect(codeOf(policy, effect(kind, kind.startsWith("file") ? "a.txt" : "x"))).toBe("POLICY_SIDE_EFFECT_DENIED");
    }
    expect(codeOf(policy, effect("external_api_write", "https://api.github.com/x"))).toBe("POLICY_SIDE_EFFECT_DENIED");
  });

  it("a policy without a budget allows no model call", () => {
    const noBudget = normalized({ ...wpcV1, metadata: {} });
    expect(noBudget.budget).toEqual({ max_tokens_per_run: 0, max_cost_minor_per_run: 0 });
    expect(codeOf(noBudget, model("openai", "gpt-4o"))).toBe("POLICY_BUDGET_EXCEEDED");
  });
});

describe("budget", () => {
  it.each<[string, number, number, number | undefined, string]>([
    ["fresh run", 0, 0, 1000, "ALLOW"],
    ["no estimate", 199_999, 0, undefined, "ALLOW"],
    ["estimate fits exactly", 199_000, 0, 1000, "ALLOW"],
    ["estimate overflows", 199_000, 0, 1001, "POLICY_BUDGET_EXCEEDED"],
    ["tokens used up", 200_000, 0, undefined, "POLICY_BUDGET_EXCEEDED"],
    ["cost used up", 0, 500, undefined, "POLICY_BUDGET_EXCEEDED"],
    ["cost nearly used up", 0, 499, undefined, "ALLOW"],
  ])("%s", (_name, tokens, cost, estimate, expected) => {
    expect(codeOf(v1, model("openai", "gpt-4o", estimate), context({ usage: { tokens_used: tokens, cost_used_minor: cost } }))).toBe(expected);
  });

  it("the allowlist is checked before the budget", () => {
    expect(codeOf(v1, model("google", "gemini"), context({ usage: { tokens_used: 10 ** 9, cost_used_minor: 0 } }))).toBe("POLICY_MODEL_DENIED");
  });
});

describe("model identity tier", () => {
  const tiered = normalized({ ...wpcV1, minimum_model_identity_tier: "closed_provider_manifest" });
  it.each<[string, PolicyRequest, string]>([
    ["unknown tier", model("openai", "gpt-4o"), "POLICY_MODEL_DENIED"],
    ["weaker tier", { type: "model_call", provider: "openai", model: "gpt-4o", model_identity_tier: "closed_opaque" }, "POLICY_MODEL_DENIED"],
    ["the floor", { type: "model_call", provider: "openai", model: "gpt-4o", model_identity_tier: "closed_provider_manifest" }, "ALLOW"],
    ["stronger", { type: "model_call", provider: "openai", model: "gpt-4o", model_identity_tier: "tee_measured" }, "ALLOW"],
  ])("%s", (_name, request, expected) => {
    expect(codeOf(tiered, request)).toBe(expected);
  });
});

describe("phases", () => {
  const push = effect("repo_push", "github.com/acme/widgets@refs/heads/feat-1");

  it("plan phase: model calls pass", () => {
    expect(codeOf(v2, model("anthropic", "claude-sonnet-4"), context({ phase: "plan" }))).toBe("ALLOW");
  });

  it("plan phase: an allowed side effect is captured, denied and returned in canonical form", () => {
    const decision = decide(v1, egress("REGISTRY.npmjs.org", 443, "https", "post"), context({ phase: "plan" }));
    expect(decision).toEqual({
      effect: "deny",
      reason_code: "PLAN_PHASE_SIDE_EFFECT_CAPTURED",
      detail: expect.any(String),
      statement_ids: [],
      intended_side_effect: { kind: "network_egress", target: "https://registry.npmjs.org:443", summary: "POST", risk_flags: ["external_write", "new_domain"] },
    });
  });

  it("plan phase: a CONNECT tunnel is summarised as such", () => {
    const decision = decide(v1, egress("api.github.com"), context({ phase: "plan" }));
    expect(decision.effect === "deny" && decision.intended_side_effect).toEqual({
      kind: "network_egress",
      target: "https://api.github.com:443",
      summary: "CONNECT",
      risk_flags: [],
    });
  });

  it("plan phase: a side effect the policy forbids is denied by the policy and not captured", () => {
    const decision = decide(v2, effect("repo_push", "github.com/acme/widgets@refs/heads/main"), context({ phase: "plan" }));
    expect(decision.effect === "deny" && decision.reason_code).toBe("POLICY_SIDE_EFFECT_DENIED");
    expect(decision).not.toHaveProperty("intended_side_effect");
  });

  it("plan phase: the caller's summary is kept", () => {
    const decision = decide(v2, { type: "side_effect", kind: "repo_push", target: "github.com/acme/widgets@refs/heads/feat-1", summary: "push 3 commits" }, context({ phase: "plan" }));
    expect(decision.effect === "deny" && decision.intended_side_effect?.summary).toBe("push 3 commits");
  });

  it("apply phase without an approval fails closed", () => {
    expect(codeOf(v2, push, context())).toBe("APPROVAL_REQUIRED");
  });

  it("apply phase: only what was approved passes", () => {
    const approved = approvedFor(push);
    expect(codeOf(v2, push, approved)).toBe("ALLOW");
    expect(codeOf(v2, effect("repo_push", "github.com/acme/widgets@refs/heads/feat-2"), approved)).toBe("SIDE_EFFECT_NOT_APPROVED");
    expect(codeOf(v2, egress("api.github.com"), approved)).toBe("SIDE_EFFECT_NOT_APPROVED");
  });

  it("apply phase: an approval cannot widen the policy", () => {
    const main = effect("repo_push", "github.com/acme/widgets@refs/heads/main");
    expect(codeOf(v2, main, approvedFor(main))).toBe("POLICY_SIDE_EFFECT_DENIED");
  });

  it("apply phase: an egress request matches an approved URL-form side effect", () => {
    const approved = approvedFor(effect("network_egress", "https://api.github.com/repos/acme"));
    expect(codeOf(v1, egress("api.github.com", 443, "https", "GET"), approved)).toBe("ALLOW");
  });

  it("apply phase: a scope whose entries do not hash to its pinned hash is refused", () => {
    const approved = scopeFrom([sideEffectOf(push)!]);
    const widened: ApprovedScope = { ...approved, side_effects: [...approved.side_effects, { kind: "repo_push", target: "github.com/acme/widgets@refs/heads/feat-2" }] };
    expect(codeOf(v2, push, context({ approved_scope: widened }))).toBe("APPROVED_SCOPE_MISMATCH");
    const garbage = { scope_hash_b64u: approved.scope_hash_b64u, side_effects: [{ kind: "nope", target: "" }] } as unknown as ApprovedScope;
    expect(codeOf(v2, push, context({ approved_scope: garbage }))).toBe("APPROVED_SCOPE_MISMATCH");
  });
});

describe("plan phase: capturable means what an approved apply phase would allow", () => {
  const gated = normalized({
    policy_version: "2",
    policy_id: "approval-gated",
    issuer_did: "did:web:acme.example",
    statements: [
      { sid: "models", effect: "Allow", actions: ["model:invoke"], resources: ["*"], conditions: { StringEquals: { "Run:Phase": "plan" } } },
      { sid: "with-approval", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["*.example.org"], conditions: { Bool: { "Request:HasHumanApproval": "true" } } },
      { sid: "apply-pushes", effect: "Allow", actions: ["side_effect:repo_push"], resources: ["github.com/acme/**"], conditions: { StringEquals: { "Run:Phase": "apply" } } },
      { sid: "never-unapproved-email", effect: "Allow", actions: ["side_effect:email"], resources: ["*@acme.com"] },
      { sid: "no-unapproved-email", effect: "Deny", actions: ["side_effect:email"], resources: ["*"], conditions: { Bool: { "Request:HasHumanApproval": "false" } } },
      { sid: "no-internal", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["internal.example.org"] },
    ],
    metadata: { clawea: { budget: { max_tokens_per_run: 100, max_cost_minor_per_run: 100 } } },
  });
  const plan = context({ phase: "plan" });

  it.each<[string, PolicyRequest]>([
    ["an Allow conditioned on human approval", egress("api.example.org")],
    ["an Allow conditioned on the apply phase", effect("repo_push", "github.com/acme/app@refs/heads/fix")],
    ["a Deny conditioned on the absence of approval", effect("email", "cfo@acme.com")],
  ])("%s: captured while planning, allowed once approved", (_name, request) => {
    const planned = decide(gated, request, plan);
    expect(planned.effect === "deny" && planned.reason_code).toBe("PLAN_PHASE_SIDE_EFFECT_CAPTURED");
    expect(planned.effect === "deny" && planned.intended_side_effect?.target).toBe(sideEffectOf(request)?.target);
    expect(codeOf(gated, request, approvedFor(request))).toBe("ALLOW");
    expect(preflight(gated, [request], { now: plan.now }).allowed).toBe(true);
  });

  it("an explicit Deny still wins, and is not captured", () => {
    const decision = decide(gated, egress("internal.example.org"), plan);
    expect(decision).toMatchObject({ effect: "deny", reason_code: "POLICY_EGRESS_DENIED", statement_ids: ["no-internal"] });
    expect(decision).not.toHaveProperty("intended_side_effect");
  });

  it("what no approval could allow is still denied by the policy", () => {
    expect(codeOf(gated, egress("api.example.com"), plan)).toBe("POLICY_EGRESS_DENIED");
    expect(codeOf(gated, effect("repo_push", "github.com/other/app@refs/heads/x"), plan)).toBe("POLICY_SIDE_EFFECT_DENIED");
    expect(codeOf(gated, effect("email", "someone@elsewhere.com"), plan)).toBe("POLICY_SIDE_EFFECT_DENIED");
  });

  it("the apply phase without an approval still reads HasHumanApproval false", () => {
    expect(codeOf(gated, egress("api.example.org"), context())).toBe("POLICY_EGRESS_DENIED");
    expect(codeOf(gated, effect("email", "cfo@acme.com"), context())).toBe("POLICY_SIDE_EFFECT_DENIED");
  });

  it("model calls are decided in the run's real phase", () => {
    expect(codeOf(gated, model("openai", "gpt-4o"), plan)).toBe("ALLOW");
    expect(codeOf(gated, model("openai", "gpt-4o"), context())).toBe("POLICY_MODEL_DENIED");
  });

  it("for every side effect, the plan captures exactly what preflight allows", () => {
    const requests: PolicyRequest[] = [
      egress("api.example.org"),
      egress("internal.example.org"),
      egress("api.example.com"),
      egress("api.example.org", 80, "http", "POST"),
      effect("repo_push", "github.com/acme/app@refs/heads/fix"),
      effect("repo_push", "github.com/other/app@refs/heads/fix"),
      effect("email", "cfo@acme.com"),
      effect("email", "x@elsewhere.com"),
      effect("filesystem_write", "src/a.ts"),
    ];
    for (const policy of [gated, v1, v2]) {
      for (const request of requests) {
        const captured = decide(policy, request, plan);
        const allowed = preflight(policy, [request], { now: plan.now }).allowed;
        expect(captured.effect === "deny" && captured.reason_code === "PLAN_PHASE_SIDE_EFFECT_CAPTURED", JSON.stringify(request)).toBe(allowed);
      }
    }
  });
});

describe("malformed requests and contexts", () => {
  const ok = context();
  it.each<[string, unknown, unknown]>([
    ["unknown request type", { type: "tool_call" }, ok],
    ["request is not an object", null, ok],
    ["empty provider", { type: "model_call", provider: "", model: "gpt-4o" }, ok],
    ["negative estimate", { type: "model_call", provider: "openai", model: "gpt-4o", estimated_tokens: -1 }, ok],
    ["fractional estimate", { type: "model_call", provider: "openai", model: "gpt-4o", estimated_tokens: 1.5 }, ok],
    ["unknown tier", { type: "model_call", provider: "openai", model: "gpt-4o", model_identity_tier: "gold" }, ok],
    ["ftp scheme", { type: "egress", scheme: "ftp", host: "a.example", port: 21 }, ok],
    ["host with a space", { type: "egress", scheme: "https", host: "a b.example", port: 443 }, ok],
    ["host with a path", { type: "egress", scheme: "https", host: "a.example/x", port: 443 }, ok],
    ["port 0", { type: "egress", scheme: "https", host: "a.example", port: 0 }, ok],
    ["port too large", { type: "egress", scheme: "https", host: "a.example", port: 65536 }, ok],
    ["odd method", { type: "egress", scheme: "https", host: "a.example", port: 443, method: "GET /" }, ok],
    ["unknown side-effect kind", { type: "side_effect", kind: "launch_missiles", target: "x" }, ok],
    ["empty target", { type: "side_effect", kind: "email", target: "  " }, ok],
    ["control character in target", { type: "side_effect", kind: "email", target: "a@acme.com\nBcc: x" }, ok],
    ["URL side effect that is not http(s)", { type: "side_effect", kind: "network_egress", target: "ftp://a.example" }, ok],
    ["URL with credentials", { type: "side_effect", kind: "external_api_write", target: "https://u:p@a.example/x" }, ok],
    ["oversized summary", { type: "side_effect", kind: "email", target: "a@acme.com", summary: "x".repeat(1025) }, ok],
    ["unknown phase", { type: "model_call", provider: "openai", model: "gpt-4o" }, { ...ok, phase: "review" }],
    ["now is not RFC 3339", { type: "model_call", provider: "openai", model: "gpt-4o" }, { ...ok, now: "yesterday" }],
    ["negative usage", { type: "model_call", provider: "openai", model: "gpt-4o" }, { ...ok, usage: { tokens_used: -1, cost_used_minor: 0 } }],
    ["no usage", { type: "model_call", provider: "openai", model: "gpt-4o" }, { phase: "plan", now: ok.now }],
  ])("%s", (_name, request, ctx) => {
    expect(codeOf(v1, request as PolicyRequest, ctx as DecisionContext)).toBe("POLICY_REQUEST_INVALID");
  });
});

describe("preflight", () => {
  it("allows a scope the policy allows, and lists each denial code once in order", () => {
    const allowed = preflight(v1, [model("openai", "gpt-4o"), egress("api.github.com"), effect("network_egress", "https://pypi.org/simple")], { now: "2026-11-25T10:00:00Z" });
    expect(allowed).toMatchObject({ allowed: true, reason_codes: [] });
    const denied = preflight(v1, [egress("evil.example"), model("google", "gemini"), egress("npmjs.org"), egress("api.github.com")], { now: "2026-11-25T10:00:00Z" });
    expect(denied.allowed).toBe(false);
    expect(denied.reason_codes).toEqual(["POLICY_EGRESS_DENIED", "POLICY_MODEL_DENIED"]);
    expect(denied.decisions.map((d) => d.effect)).toEqual(["deny", "deny", "deny", "allow"]);
  });

  it("agrees with the gateway's apply-phase decisions request by request", () => {
    const requests = [egress("api.github.com"), effect("repo_push", "github.com/acme/a@refs/heads/main"), effect("filesystem_write", "src/x.ts"), model("anthropic", "claude-3")];
    const result = preflight(v2, requests, { now: "2026-11-25T10:00:00Z", usage: { tokens_used: 5, cost_used_minor: 1 }, agent_did: "did:key:zA" });
    const gateway = approvedFor(...requests);
    requests.forEach((request, i) => {
      expect(result.decisions[i]).toEqual(decide(v2, request, { ...gateway, usage: { tokens_used: 5, cost_used_minor: 1 }, agent_did: "did:key:zA" }));
    });
  });

  it("reports malformed requests instead of throwing", () => {
    expect(preflight(v1, [null as unknown as PolicyRequest], { now: "2026-11-25T10:00:00Z" }).reason_codes).toEqual(["POLICY_REQUEST_INVALID"]);
  });
});
