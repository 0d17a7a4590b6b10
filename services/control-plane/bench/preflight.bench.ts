/**
 * Prints preflight decisions/s in process (target 100k/s) and the latency of `POST /v1/preflight` over HTTP
 * (target p99 < 5 ms) against a control plane in its own process. No assertions.
 * With `--serve` this file is that process: the real app on a fresh database, one tenant, one registered
 * policy; it prints one JSON line {url, token, hash} when ready.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { normalizePolicy, preflight, type WorkPolicyContract } from "@clawea/policy";
import { unwrap } from "@clawea/sdk";
import { startTestPlatform } from "../src/app.test-support.js";
import { decideScope, scopeIntents as intentsOf, type PreflightScope as Scope } from "@clawea/policy";

const ISSUER = "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7";

/** A realistic v2 policy: 20 statements with globs, conditions and explicit denies. */
const POLICY = {
  policy_version: "2",
  policy_id: "bench-ci",
  issuer_did: ISSUER,
  statements: [
    { sid: "anthropic", effect: "Allow", actions: ["model:invoke"], resources: ["claude-*"], conditions: { StringEquals: { "Model:Provider": "anthropic" } } },
    { sid: "openai", effect: "Allow", actions: ["model:invoke"], resources: ["gpt-4.1*", "o4-*"], conditions: { StringEquals: { "Model:Provider": "openai" } } },
    { sid: "no-preview", effect: "Deny", actions: ["model:invoke"], resources: ["*-preview"] },
    { sid: "github", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["api.github.com", "*.githubusercontent.com"] },
    { sid: "registries", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["registry.npmjs.org", "*.pypi.org", "https://proxy.golang.org"] },
    { sid: "internal", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["*.internal.acme.example:*"] },
    { sid: "no-metadata", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["169.254.169.254:*", "metadata.google.internal"] },
    { sid: "no-plaintext", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["*"], conditions: { StringEquals: { "SideEffect:Scheme": "http" } } },
    { sid: "repo-writes", effect: "Allow", actions: ["side_effect:external_api_write"], resources: ["https://api.github.com/repos/acme/**"] },
    { sid: "pushes", effect: "Allow", actions: ["side_effect:repo_push"], resources: ["github.com/acme/**"] },
    { sid: "no-main", effect: "Deny", actions: ["side_effect:repo_push"], resources: ["**@refs/heads/main", "**@refs/heads/release/*"] },
    { sid: "workspace", effect: "Allow", actions: ["side_effect:filesystem_write", "side_effect:filesystem_delete"], resources: ["src/**", "test/**", "docs/**"] },
    { sid: "no-secrets", effect: "Deny", actions: ["side_effect:*"], resources: ["**/.env*", "**/secrets/**", "**/*.pem"] },
    { sid: "email", effect: "Allow", actions: ["side_effect:email"], resources: ["*@acme.com"], conditions: { NumericGreaterThan: { "Context:Hour": "6" }, NumericLessThan: { "Context:Hour": "20" } } },
    { sid: "chat", effect: "Allow", actions: ["side_effect:chat_message"], resources: ["slack:#eng-*", "slack:#ci"] },
    { sid: "no-announce", effect: "Deny", actions: ["side_effect:chat_message"], resources: ["slack:#announce*"] },
    { sid: "jira", effect: "Allow", actions: ["side_effect:external_api_write"], resources: ["https://acme.atlassian.net/rest/api/**"] },
    { sid: "no-admin-api", effect: "Deny", actions: ["side_effect:external_api_write"], resources: ["**/admin/**"] },
    { sid: "docs", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["docs.acme.example", "*.readthedocs.io"] },
    { sid: "no-paste", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["pastebin.com", "*.pastebin.com"] },
  ],
  metadata: { clawea: { budget: { max_tokens_per_run: 500_000, max_cost_minor_per_run: 5_000 } } },
} satisfies WorkPolicyContract;

/** What a typical CI job asks: 10 intents, mostly allowed, a few denied. */
const SCOPE: Scope = {
  model_calls: [
    { provider: "anthropic", model: "claude-sonnet-4-5", estimated_tokens: 40_000 },
    { provider: "openai", model: "gpt-4.1-mini", estimated_tokens: 8_000 },
  ],
  egress: [
    { url: "https://api.github.com/repos/acme/app", method: "GET" },
    { scheme: "https", host: "registry.npmjs.org" },
    { url: "https://files.pypi.org/packages/x.whl" },
    { url: "https://pastebin.com/raw/abc" },
  ],
  side_effects: [
    { kind: "repo_push", target: "github.com/acme/app@refs/heads/fix-123", summary: "push the fix" },
    { kind: "external_api_write", target: "https://api.github.com/repos/acme/app/pulls" },
    { kind: "filesystem_write", target: "src/index.ts" },
    { kind: "chat_message", target: "slack:#ci" },
  ],
};

const NOW = "2026-11-25T10:00:00Z";

async function serve(): Promise<void> {
  const platform = await startTestPlatform();
  const tenant = await platform.tenant("bench");
  const hash = unwrap(await tenant.admin.POST("/v1/policies", { body: { document: POLICY as unknown as Record<string, unknown> } })).hash;
  const stop = async () => {
    await platform.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  process.stdout.write(`${JSON.stringify({ url: platform.url, token: tenant.adminToken, hash })}\n`);
}

/** Runs `fn` repeatedly for about `seconds`; returns calls per second. */
function rate(seconds: number, fn: () => void): number {
  for (let i = 0; i < 2_000; i++) fn(); // warm up the JIT
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
  }
  return calls / ((performance.now() - start) / 1000);
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(10);

async function bench(): Promise<void> {
  const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
  const normalized = normalizePolicy(POLICY);
  const intents = intentsOf(SCOPE);
  if (!normalized.ok || !intents.ok) throw new Error("bench inputs are invalid");
  const policy = normalized.policy;
  const requests = intents.intents.map((i) => i.request);
  const perScope = requests.length;

  console.log(`preflight, ${POLICY.statements.length}-statement WPC v2, ${perScope} intents per scope, node ${process.version}`);
  const raw = rate(SECONDS, () => preflight(policy, requests, { now: NOW }));
  console.log(`in process: preflight()                      ${fmt(raw * perScope)} decisions/s  (${fmt(raw)} scopes/s)`);
  const routed = rate(SECONDS, () => {
    const mapped = intentsOf(SCOPE);
    if (mapped.ok) decideScope(policy, mapped.intents, NOW);
  });
  console.log(`in process: scope -> report (the route's work) ${fmt(routed * perScope)} decisions/s  (${fmt(routed)} scopes/s)`);
  const single = rate(SECONDS, () => preflight(policy, [requests[2]!], { now: NOW }));
  console.log(`in process: one egress intent per call       ${fmt(single)} decisions/s`);

  const server = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--serve"], { stdio: ["ignore", "pipe", "inherit"], env: process.env });
  const ready = await new Promise<{ url: string; token: string; hash: string }>((resolve, reject) => {
    server.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
    createInterface({ input: server.stdout }).once("line", (line) => resolve(JSON.parse(line) as { url: string; token: string; hash: string }));
  });
  const options = {
    url: `${ready.url}/v1/preflight`,
    method: "POST" as const,
    headers: { authorization: `Bearer ${ready.token}`, "content-type": "application/json" },
    body: JSON.stringify({ policy_hash: ready.hash, scope: SCOPE, now: NOW }),
  };
  // A short warm-up: the first request loads and normalises the policy, later ones hit the cache.
  await autocannon({ ...options, connections: 4, duration: 1 });
  for (const connections of [1, 10, 50]) {
    const result = await autocannon({ ...options, connections, duration: SECONDS });
    const errors = result.non2xx + result.errors;
    console.log(
      `HTTP POST /v1/preflight, ${String(connections).padStart(2)} connections  ${fmt(result.requests.average)} req/s   p50 ${String(result.latency.p50).padStart(3)} ms   p99 ${String(result.latency.p99).padStart(3)} ms${errors ? `   (${errors} errors)` : ""}`,
    );
  }
  server.kill("SIGTERM");
  await new Promise((resolve) => server.once("exit", resolve));
}

await (process.argv.includes("--serve") ? serve() : bench());
