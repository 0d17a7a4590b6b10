// Realistic WPC documents (shaped by the upstream v1/v2 schemas), keys and contexts shared by the tests.
import { keyPairFromSeed, sha256 } from "@clawea/protocol";
import type { WorkPolicyContractV1, WorkPolicyContractV2 } from "@clawea/schema";
import type { DecisionContext } from "./decision.decide.js";
import { normalizePolicy, type NormalizeOptions, type Policy } from "./policy.model.js";

export const issuer = keyPairFromSeed(sha256("policy tests: acme security"));
export const controlPlane = keyPairFromSeed(sha256("policy tests: control plane"));
export const agent = keyPairFromSeed(sha256("policy tests: agent"));
export const stranger = keyPairFromSeed(sha256("policy tests: stranger"));

export const NOW = "2026-11-25T10:00:00Z";

/** The v1 shape: provider/model lists, an egress allowlist, privacy settings, clawea's budget in metadata. */
export const wpcV1: WorkPolicyContractV1 = {
  policy_version: "1",
  policy_id: "acme-eng-default",
  issuer_did: issuer.did,
  allowed_providers: ["anthropic", "openai"],
  allowed_models: ["claude-sonnet-4*", "gpt-4o", "gpt-4o-mini"],
  redaction_rules: [{ path: "$.messages[*].content", action: "hash" }],
  receipt_privacy_mode: "hash_only",
  egress_allowlist: ["api.github.com", "*.npmjs.org", "https://pypi.org", "registry.internal:8443", "http://mirror.local:*"],
  metadata: { owner: "platform-security", clawea: { budget: { max_tokens_per_run: 200_000, max_cost_minor_per_run: 500 } } },
};

/** The v2 shape: IAM statements with wildcards, explicit denies and conditions. */
export const wpcV2: WorkPolicyContractV2 = {
  policy_version: "2",
  policy_id: "acme-repo-bot",
  issuer_did: issuer.did,
  coverage_enforcement: "warn",
  statements: [
    {
      sid: "models-anthropic",
      effect: "Allow",
      actions: ["model:invoke"],
      resources: ["claude-*"],
      conditions: { StringEquals: { "Model:Provider": "anthropic" } },
    },
    { sid: "egress-github", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["api.github.com", "*.githubusercontent.com"] },
    {
      sid: "github-writes",
      effect: "Allow",
      actions: ["side_effect:external_api_write", "side_effect:repo_push"],
      resources: ["https://api.github.com/repos/acme/**", "github.com/acme/**"],
    },
    { sid: "workspace-writes", effect: "Allow", actions: ["side_effect:filesystem_write"], resources: ["src/**"] },
    { sid: "no-secrets", effect: "Deny", actions: ["side_effect:*"], resources: ["**/.env*", "**/secrets/**"] },
    { sid: "no-main-push", effect: "Deny", actions: ["side_effect:repo_push"], resources: ["**@refs/heads/main"] },
    {
      sid: "office-hours-email",
      effect: "Allow",
      actions: ["side_effect:email"],
      resources: ["*@acme.com"],
      conditions: { NumericGreaterThan: { "Context:Hour": "7" }, NumericLessThan: { "Context:Hour": "19" } },
    },
    {
      sid: "no-plaintext",
      effect: "Deny",
      actions: ["side_effect:network_egress"],
      resources: ["*"],
      conditions: { StringEquals: { "SideEffect:Scheme": "http" } },
    },
  ],
  metadata: { clawea: { budget: { max_tokens_per_run: 100_000, max_cost_minor_per_run: 300 } } },
};

export function normalized(document: unknown, options?: NormalizeOptions): Policy {
  const result = normalizePolicy(document, options);
  if (!result.ok) throw new Error(`fixture policy rejected: ${result.reason_code} ${JSON.stringify(result.errors)}`);
  return result.policy;
}

export function context(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { phase: "apply", now: NOW, usage: { tokens_used: 0, cost_used_minor: 0 }, ...overrides };
}
