/** Prints in-process decisions/s for the gateway's and preflight's decision function, and CST verifications/s. No assertions. */
import { performance } from "node:perf_hooks";
import { keyPairFromSeed, sha256 } from "@clawea/protocol";
import { decide, mintCst, normalizePolicy, scopeFrom, verifyCst, type DecisionContext, type PolicyRequest } from "../src/index.js";

const issuer = "did:web:acme.example";
const statements = [
  { sid: "models", effect: "Allow", actions: ["model:invoke"], resources: ["claude-*", "gpt-4o*"], conditions: { StringLike: { "Model:Provider": "*" } } },
  { sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["api.github.com", "*.githubusercontent.com", "*.npmjs.org", "pypi.org"] },
  { sid: "writes", effect: "Allow", actions: ["side_effect:filesystem_write", "side_effect:repo_push"], resources: ["src/**", "github.com/acme/**"] },
  { sid: "no-secrets", effect: "Deny", actions: ["side_effect:*"], resources: ["**/.env*", "**/secrets/**"] },
  { sid: "no-http", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["*"], conditions: { StringEquals: { "SideEffect:Scheme": "http" } } },
  ...Array.from({ length: 15 }, (_, i) => ({ sid: `filler-${i}`, effect: "Allow", actions: [`tool:t${i}`], resources: ["*"] })),
];
const normalized = normalizePolicy({
  policy_version: "2",
  policy_id: "bench",
  issuer_did: issuer,
  statements,
  metadata: { clawea: { budget: { max_tokens_per_run: 1_000_000, max_cost_minor_per_run: 10_000 } } },
});
if (!normalized.ok) throw new Error(normalized.reason_code);
const policy = normalized.policy;

const requests: PolicyRequest[] = [
  { type: "model_call", provider: "anthropic", model: "claude-sonnet-4", estimated_tokens: 2000 },
  { type: "egress", scheme: "https", host: "api.github.com", port: 443, method: "GET" },
  { type: "egress", scheme: "https", host: "exfil.example", port: 443 },
  { type: "side_effect", kind: "filesystem_write", target: "src/app/main.ts" },
  { type: "side_effect", kind: "repo_push", target: "github.com/acme/widgets@refs/heads/feat" },
];
const scope = scopeFrom([
  { kind: "network_egress", target: "https://api.github.com:443" },
  { kind: "filesystem_write", target: "src/app/main.ts" },
]);
const contexts: Record<string, DecisionContext> = {
  plan: { phase: "plan", now: "2026-11-25T10:00:00Z", usage: { tokens_used: 1000, cost_used_minor: 10 } },
  apply: { phase: "apply", now: "2026-11-25T10:00:00Z", usage: { tokens_used: 1000, cost_used_minor: 10 }, approved_scope: scope },
};

function rate(label: string, n: number, run: (i: number) => unknown): void {
  for (let i = 0; i < Math.min(n, 10_000); i++) run(i);
  const start = performance.now();
  for (let i = 0; i < n; i++) run(i);
  const seconds = (performance.now() - start) / 1000;
  console.log(`${label.padEnd(44)} ${Math.round(n / seconds).toLocaleString("en-US").padStart(12)} /s`);
}

for (const [phase, context] of Object.entries(contexts)) {
  rate(`decide, ${phase} phase, mixed requests`, 500_000, (i) => decide(policy, requests[i % requests.length]!, context));
}
rate("decide, model call only", 500_000, () => decide(policy, requests[0]!, contexts["apply"]!));

const controlPlane = keyPairFromSeed(sha256("bench control plane"));
const agent = keyPairFromSeed(sha256("bench agent"));
const token = await mintCst({
  claims: { sub: agent.did, aud: "clawea-gateway", scope: ["model:invoke"], jti: "cst_bench", exp: 1_900_000_000 },
  binding: { tenant_id: "ten_bench", run_id: "run_bench", phase: "plan" },
  signer: controlPlane,
  now: "2026-11-25T10:00:00Z",
});
const n = 20_000;
const start = performance.now();
for (let i = 0; i < n; i++) {
  const result = await verifyCst(token, { trustedIssuers: [controlPlane.did], audience: "clawea-gateway", now: "2026-11-25T10:00:00Z", expected: { run_id: "run_bench" }, requiredScope: "model:invoke" });
  if (!result.ok) throw new Error(result.reason_code);
}
console.log(`${"verifyCst (signature, schema, binding)".padEnd(44)} ${Math.round(n / ((performance.now() - start) / 1000)).toLocaleString("en-US").padStart(12)} /s`);
