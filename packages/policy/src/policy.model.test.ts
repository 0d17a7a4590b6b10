// normalizePolicy: schema and extension checks, the content address, inheritance, and the derived views.
import { hashJcsB64u } from "@clawea/protocol";
import { describe, expect, it } from "vitest";
import { decide } from "./decision.decide.js";
import { context, normalized, wpcV1, wpcV2 } from "./fixtures.test-support.js";
import { normalizePolicy, policyHash } from "./policy.model.js";

describe("policyHash", () => {
  it("is the registry's content address: b64u(sha256(JCS(document)))", () => {
    expect(policyHash(wpcV1)).toBe(hashJcsB64u(wpcV1));
    expect(normalized(wpcV2).policy_hash_b64u).toBe(hashJcsB64u(wpcV2));
  });

  it("does not depend on member order", () => {
    const reordered = Object.fromEntries(Object.entries(wpcV1).reverse()) as typeof wpcV1;
    expect(policyHash(reordered)).toBe(policyHash(wpcV1));
  });
});

describe("normalizePolicy rejects what it cannot enforce", () => {
  it.each<[string, unknown, string, string]>([
    ["not an object", "policy", "POLICY_INVALID", ""],
    ["unknown version", { ...wpcV1, policy_version: "3" }, "POLICY_INVALID", "/policy_version"],
    ["v2 without statements", { ...wpcV2, statements: [] }, "POLICY_INVALID", "/statements"],
    ["a v1 field in a v2 document", { ...wpcV2, allowed_models: ["*"] }, "POLICY_INVALID", "/allowed_models"],
    ["unknown provider", { ...wpcV1, allowed_providers: ["acme-llm"] }, "POLICY_INVALID", "/allowed_providers/0"],
    ["an egress entry with a path", { ...wpcV1, egress_allowlist: ["https://api.github.com/repos"] }, "POLICY_INVALID", "/egress_allowlist/0"],
    ["an egress entry with a bad port", { ...wpcV1, egress_allowlist: ["api.github.com:99999"] }, "POLICY_INVALID", "/egress_allowlist/0"],
    ["clawea extension is not an object", { ...wpcV1, metadata: { clawea: [] } }, "POLICY_INVALID", "/metadata/clawea"],
    ["unknown clawea extension", { ...wpcV1, metadata: { clawea: { budgets: {} } } }, "POLICY_INVALID", "/metadata/clawea/budgets"],
    ["unknown budget dimension", { ...wpcV1, metadata: { clawea: { budget: { max_usd: 5 } } } }, "POLICY_INVALID", "/metadata/clawea/budget/max_usd"],
    ["negative budget", { ...wpcV1, metadata: { clawea: { budget: { max_tokens_per_run: -1 } } } }, "POLICY_INVALID", "/metadata/clawea/budget/max_tokens_per_run"],
    ["fractional budget", { ...wpcV1, metadata: { clawea: { budget: { max_cost_minor_per_run: 1.5 } } } }, "POLICY_INVALID", "/metadata/clawea/budget/max_cost_minor_per_run"],
    ["a lone surrogate", { ...wpcV1, policy_id: "bad\uD800" }, "CANONICALIZATION_FAILED", "/policy_id"],
  ])("%s", (_name, document, code, path) => {
    const result = normalizePolicy(document);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason_code).toBe(code);
      expect(result.errors[0]?.path ?? "").toBe(path);
    }
  });
});

describe("the normalised model", () => {
  it("keeps what the gateway applies besides decisions", () => {
    const policy = normalized(wpcV1);
    expect(policy).toMatchObject({
      policy_id: "acme-eng-default",
      policy_version: "1",
      issuer_did: wpcV1.issuer_did,
      budget: { max_tokens_per_run: 200_000, max_cost_minor_per_run: 500 },
      minimum_model_identity_tier: null,
      receipt_privacy_mode: "hash_only",
      redaction_rules: [{ path: "$.messages[*].content", action: "hash" }],
    });
    expect(policy.layers.map((l) => l.rules.map((r) => r.sid))).toEqual([["v1:allowed_models", "v1:egress_allowlist"]]);
  });

  it("lists the destinations and side-effect kinds the policy's Allow rules name", () => {
    expect(normalized(wpcV1).egress_allowlist.map((p) => p.source)).toEqual(wpcV1.egress_allowlist);
    expect(normalized(wpcV1).side_effect_kinds).toEqual(["network_egress"]);
    expect(normalized(wpcV2).side_effect_kinds).toEqual(["network_egress", "filesystem_write", "external_api_write", "repo_push", "email"]);
    expect([...normalized(wpcV1).named_hosts].sort()).toEqual(["api.github.com", "mirror.local", "pypi.org", "registry.internal"]);
    expect([...normalized(wpcV2).named_hosts].sort()).toEqual(["api.github.com"]);
  });

  it("a single budget dimension leaves the other at zero", () => {
    const policy = normalized({ ...wpcV1, metadata: { clawea: { budget: { max_tokens_per_run: 10 } } } });
    expect(policy.budget).toEqual({ max_tokens_per_run: 10, max_cost_minor_per_run: 0 });
  });
});

describe("inheritance (strict intersection)", () => {
  const parent = {
    policy_version: "2",
    policy_id: "acme-org-baseline",
    issuer_did: "did:web:acme.example",
    statements: [
      { sid: "org-models", effect: "Allow", actions: ["model:invoke"], resources: ["claude-*", "gpt-4o"] },
      { sid: "org-egress", effect: "Allow", actions: ["side_effect:*"], resources: ["*"] },
      { sid: "org-no-pastebin", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["pastebin.com"] },
    ],
    metadata: { clawea: { budget: { max_tokens_per_run: 50_000, max_cost_minor_per_run: 1000 } } },
  };
  const child = {
    policy_version: "2",
    policy_id: "team-data",
    issuer_did: "did:web:acme.example",
    inherits: "acme-org-baseline",
    statements: [
      { sid: "team-models", effect: "Allow", actions: ["model:invoke"], resources: ["*"] },
      { sid: "team-egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["*:443"] },
    ],
    metadata: { clawea: { budget: { max_tokens_per_run: 80_000, max_cost_minor_per_run: 200 } } },
  };
  const registry = new Map<string, unknown>([["acme-org-baseline", parent]]);
  const policy = normalized(child, { resolveParent: (id) => registry.get(id) });

  it("every layer must allow", () => {
    const ok = decide(policy, { type: "model_call", provider: "openai", model: "gpt-4o" }, context());
    expect(ok).toEqual({ effect: "allow", statement_ids: ["team-models", "org-models"] });
    const silentParent = decide(policy, { type: "model_call", provider: "google", model: "gemini-2.5-pro" }, context());
    expect(silentParent).toMatchObject({ effect: "deny", reason_code: "POLICY_MODEL_DENIED", statement_ids: [] });
    expect(silentParent.effect === "deny" && silentParent.detail).toContain("acme-org-baseline");
  });

  it("an explicit deny in the parent wins over the child's allow", () => {
    const decision = decide(policy, { type: "egress", scheme: "https", host: "pastebin.com", port: 443 }, context({ phase: "plan" }));
    expect(decision).toMatchObject({ reason_code: "POLICY_EGRESS_DENIED", statement_ids: ["org-no-pastebin"] });
  });

  it("takes the smallest budget per dimension and records every layer", () => {
    expect(policy.budget).toEqual({ max_tokens_per_run: 50_000, max_cost_minor_per_run: 200 });
    expect(policy.layers.map((l) => l.policy_id)).toEqual(["team-data", "acme-org-baseline"]);
    expect(policy.policy_hash_b64u).toBe(hashJcsB64u(child));
  });

  it.each<[string, ((id: string) => unknown) | undefined]>([
    ["no resolver", undefined],
    ["unknown parent", () => undefined],
    ["the resolver returns another policy", () => ({ ...parent, policy_id: "other" })],
    ["a cycle", (id) => (id === "acme-org-baseline" ? { ...parent, inherits: "team-data" } : undefined)],
    ["a self-reference", () => ({ ...child, policy_id: "acme-org-baseline", inherits: "acme-org-baseline" })],
  ])("fails closed with %s", (_name, resolveParent) => {
    const result = normalizePolicy(child, resolveParent === undefined ? {} : { resolveParent });
    expect(result.ok === false && result.reason_code).toBe("POLICY_PARENT_UNRESOLVED");
  });

  it("fails closed when the chain is too deep", () => {
    const chain = (id: string) => ({ ...parent, policy_id: id, inherits: `${id}x` });
    const result = normalizePolicy(child, { resolveParent: (id) => chain(id) });
    expect(result.ok === false && result.reason_code).toBe("POLICY_PARENT_UNRESOLVED");
  });

  it("an invalid parent is an invalid policy", () => {
    const result = normalizePolicy(child, { resolveParent: () => ({ ...parent, statements: [] }) });
    expect(result.ok === false && result.reason_code).toBe("POLICY_INVALID");
  });

  it("a v1 parent contributes its model-identity floor", () => {
    const v1Parent = { ...wpcV1, policy_id: "acme-org-baseline", minimum_model_identity_tier: "openweights_hashable" };
    expect(normalized(child, { resolveParent: () => v1Parent }).minimum_model_identity_tier).toBe("openweights_hashable");
  });
});

describe("metadata.clawea.stateless", () => {
  const withStateless = (value: unknown) => ({ ...wpcV2, metadata: { clawea: { budget: { max_tokens_per_run: 10, max_cost_minor_per_run: 1 }, stateless: value } } });

  it("is false unless a layer asks for it", () => {
    expect(normalized(wpcV2).stateless).toBe(false);
    expect(normalized(withStateless(true)).stateless).toBe(true);
    expect(normalized(withStateless(false)).stateless).toBe(false);
  });

  it("must be a boolean", () => {
    expect(normalizePolicy(withStateless("yes"))).toMatchObject({ ok: false, reason_code: "POLICY_INVALID", errors: [{ path: "/metadata/clawea/stateless" }] });
  });

  it("a parent that requires it makes the child stateless too", () => {
    const parent = { ...withStateless(true), policy_id: "acme-parent" };
    const child = { ...wpcV2, policy_id: "acme-child", inherits: "acme-parent" };
    expect(normalized(child, { resolveParent: (id) => (id === "acme-parent" ? parent : undefined) }).stateless).toBe(true);
  });
});
