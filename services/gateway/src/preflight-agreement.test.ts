// Preflight and the gateway agree: each case is decided by `@clawea/policy`'s `preflight` (what
// POST /v1/preflight and `clawea preflight` run) and sent through the real gateway (model proxy to a
// scripted local provider, egress proxy to a local upstream), on real PostgreSQL and Redis. Preflight
// decides as the apply phase of a run whose approval granted exactly the case's side effects, so the
// gateway's run is that: an apply-phase CST pinned to that scope, the scope stored for the run (or
// a plan-phase run, where an allowed side effect is captured instead). Both sides are given the same
// facts: the parents from the tenant's registry, the provider's model identity tier from the gateway's
// provider configuration, and the gateway's token estimate of the body it is sent.
import { once } from "node:events";
import { createServer, request, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policies, seal, sealBinding, secrets } from "@clawea/db";
import { hashJcsB64u } from "@clawea/protocol";
import {
  DENY_REASON_CODES,
  preflight,
  resolvePolicy,
  scopeFrom,
  sideEffectOf,
  type ApprovedScope,
  type DenyReasonCode,
  type ModelIdentityTier,
  type PolicyRequest,
  type RunPhase,
  type Usage,
  type WorkPolicyContract,
} from "@clawea/policy";
import type { ProviderRoute } from "./config.js";
import { startTestGateway, type TestAgent, type TestGateway } from "./gateway.test-support.js";
import { listEgressRecords, startEgressProxy, type EgressProxy } from "./features/egress-proxy/index.js";
import { createUsageMeter } from "./features/model-proxy/model-proxy.meter.js";
import { startScriptedUpstream, type ScriptedUpstream } from "./features/model-proxy/scripted-upstream.test-support.js";

const NOW = "2026-11-25T10:00:00.000Z";
const ISSUER = "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7";
const BUDGET = { max_tokens_per_run: 10_000, max_cost_minor_per_run: 500 };

// The local upstream the egress proxy reaches: plain HTTP answers, and the end of CONNECT tunnels.
const upstream: Server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(201, { "content-type": "text/plain" }).end("upstream"));
});
upstream.listen(0, "127.0.0.1");
await once(upstream, "listening");
const PORT = (upstream.address() as AddressInfo).port;

const POLICIES = {
  v1: {
    policy_version: "1",
    policy_id: "v1-ci",
    issuer_did: ISSUER,
    allowed_providers: ["openai", "anthropic"],
    allowed_models: ["gpt-4.1*", "claude-sonnet-4*"],
    egress_allowlist: ["api.github.com", "*.npmjs.org", "https://pypi.org", "registry.internal:8443", "http://127.0.0.1:*", "localhost:*"],
    metadata: { clawea: { budget: BUDGET } },
  },
  v1Tier: {
    policy_version: "1",
    policy_id: "v1-tier",
    issuer_did: ISSUER,
    allowed_providers: ["openai", "google", "anthropic"],
    allowed_models: ["gpt-4.1*"],
    minimum_model_identity_tier: "closed_provider_manifest",
    metadata: { clawea: { budget: BUDGET } },
  },
  v1NoBudget: { policy_version: "1", policy_id: "v1-no-budget", issuer_did: ISSUER, allowed_providers: ["openai"], allowed_models: ["gpt-4.1*"] },
  v1Silent: { policy_version: "1", policy_id: "v1-silent", issuer_did: ISSUER, metadata: { clawea: { budget: BUDGET } } },
  v2: {
    policy_version: "2",
    policy_id: "v2-bot",
    issuer_did: ISSUER,
    statements: [
      { sid: "anthropic", effect: "Allow", actions: ["model:invoke"], resources: ["claude-*"], conditions: { StringEquals: { "Model:Provider": "anthropic" } } },
      { sid: "openai-mornings", effect: "Allow", actions: ["model:invoke"], resources: ["gpt-*"], conditions: { StringEquals: { "Model:Provider": "openai" }, NumericLessThan: { "Context:Hour": "12" } } },
      { sid: "no-preview", effect: "Deny", actions: ["model:invoke"], resources: ["*-preview"] },
      { sid: "example", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["https://*.example.com"] },
      { sid: "no-evil", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["evil.example.com"] },
      { sid: "internal", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["api.internal.test:*"] },
      { sid: "local-reads", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["http://127.0.0.1:*"], conditions: { StringEquals: { "Request:Method": "GET" } } },
      { sid: "approved-only", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["approved.example.org"], conditions: { Bool: { "Request:HasHumanApproval": "true" } } },
    ],
    metadata: { clawea: { budget: BUDGET } },
  },
  v2Open: {
    policy_version: "2",
    policy_id: "v2-open",
    issuer_did: ISSUER,
    statements: [
      { sid: "anywhere", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] },
      { sid: "not-blocked", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["*.blocked.test"] },
      { sid: "no-plaintext", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["*"], conditions: { StringEquals: { "SideEffect:Scheme": "http" } } },
    ],
    metadata: { clawea: { budget: BUDGET } },
  },
  v2Child: {
    policy_version: "2",
    policy_id: "v2-child",
    issuer_did: ISSUER,
    inherits: "v2-parent",
    statements: [
      { sid: "child-models", effect: "Allow", actions: ["model:invoke"], resources: ["*"] },
      { sid: "child-egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["*.example.net"] },
    ],
    metadata: { clawea: { budget: BUDGET } },
  },
} satisfies Record<string, WorkPolicyContract>;
type PolicyName = keyof typeof POLICIES;

const PARENTS: Record<string, WorkPolicyContract> = {
  "v2-parent": {
    policy_version: "2",
    policy_id: "v2-parent",
    issuer_did: ISSUER,
    statements: [
      { sid: "parent-models", effect: "Allow", actions: ["model:invoke"], resources: ["gpt-*"] },
      { sid: "parent-egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] },
      { sid: "parent-secret", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["secret.example.net"] },
    ],
    metadata: { clawea: { budget: BUDGET } },
  },
};

type Verdict = "allow" | DenyReasonCode;

interface Case {
  name: string;
  policy: PolicyName;
  request: PolicyRequest;
  /** Model calls: the body the gateway is sent (`request` states what the gateway makes of it). */
  body?: Record<string, unknown>;
  /** What preflight answers. */
  expected: Verdict;
  /** The gateway's run: apply phase with exactly this request approved (default), or plan phase. */
  phase?: RunPhase;
  /** The run's usage so far (the gateway's per-run meter; preflight's `usage`). */
  usage?: Usage;
}

type Provider = "openai" | "google" | "anthropic";

/** The model identity tier each provider's route vouches for in the gateway's configuration; google states none. */
const TIERS: Readonly<Record<Provider, ModelIdentityTier | undefined>> = { openai: "closed_opaque", google: undefined, anthropic: "tee_measured" };

const PROMPT = "hi";

/**
 * A model call case: the body the gateway is sent, and the request preflight is asked, which states what
 * the gateway states to the policy: the provider's tier, and the gateway's documented estimate of that body,
 * output cap + ceil(prompt characters / 4). Anthropic's API needs a cap: 16 unless the case sets one.
 */
function model(provider: Provider, name: string, maxTokens?: number): Pick<Case, "request" | "body"> {
  const cap = maxTokens ?? (provider === "anthropic" ? 16 : undefined);
  const tier = TIERS[provider];
  return {
    request: {
      type: "model_call",
      provider,
      model: name,
      estimated_tokens: (cap ?? 0) + Math.ceil(PROMPT.length / 4),
      ...(tier !== undefined ? { model_identity_tier: tier } : {}),
    },
    body: { model: `${provider}/${name}`, ...(cap !== undefined ? { max_tokens: cap } : {}), messages: [{ role: "user", content: PROMPT }] },
  };
}

function route(baseUrl: string, api: ProviderRoute["api"], tier: ModelIdentityTier | undefined): ProviderRoute {
  return tier === undefined ? { baseUrl, api } : { baseUrl, api, model_identity_tier: tier };
}

const https = (host: string, port = 443): PolicyRequest => ({ type: "egress", scheme: "https", host, port });
const http = (host: string, port = 80, method = "GET"): PolicyRequest => ({ type: "egress", scheme: "http", host, port, method });

const CASES: Case[] = [
  // Model calls: provider, model, identity tier, budget and the call's estimate.
  { name: "v1: an allowed provider and model glob", policy: "v1", ...model("openai", "gpt-4.1-mini"), expected: "allow" },
  { name: "v1: a second allowed provider", policy: "v1", ...model("anthropic", "claude-sonnet-4-5"), expected: "allow" },
  { name: "v1: a model outside the list", policy: "v1", ...model("openai", "gpt-4o"), expected: "POLICY_MODEL_DENIED" },
  { name: "v1: an allowed model from a provider outside the list", policy: "v1", ...model("google", "gpt-4.1-mini"), expected: "POLICY_MODEL_DENIED" },
  { name: "v1: silence allows no model", policy: "v1Silent", ...model("openai", "gpt-4.1"), expected: "POLICY_MODEL_DENIED" },
  { name: "v1: no budget means no model call", policy: "v1NoBudget", ...model("openai", "gpt-4.1"), expected: "POLICY_BUDGET_EXCEEDED" },
  { name: "v1: tokens used plus the call's estimate just fit the budget", policy: "v1", ...model("openai", "gpt-4.1"), usage: { tokens_used: 9_999, cost_used_minor: 0 }, expected: "allow" },
  { name: "v1: tokens used up", policy: "v1", ...model("openai", "gpt-4.1"), usage: { tokens_used: 10_000, cost_used_minor: 0 }, expected: "POLICY_BUDGET_EXCEEDED" },
  { name: "v1: cost used up", policy: "v1", ...model("openai", "gpt-4.1"), usage: { tokens_used: 0, cost_used_minor: 500 }, expected: "POLICY_BUDGET_EXCEEDED" },
  { name: "v1: a tier floor, and a provider that states no tier", policy: "v1Tier", ...model("google", "gpt-4.1"), expected: "POLICY_MODEL_DENIED" },
  { name: "v1: a provider's tier below the floor", policy: "v1Tier", ...model("openai", "gpt-4.1"), expected: "POLICY_MODEL_DENIED" },
  { name: "v1: a provider's tier above the floor", policy: "v1Tier", ...model("anthropic", "gpt-4.1"), expected: "allow" },
  { name: "v1: an estimate over the budget left", policy: "v1", ...model("openai", "gpt-4.1", 20_000), expected: "POLICY_BUDGET_EXCEEDED" },
  { name: "v1: an estimate that fills the budget left exactly", policy: "v1", ...model("openai", "gpt-4.1", 999), usage: { tokens_used: 9_000, cost_used_minor: 0 }, expected: "allow" },
  { name: "v1: an estimate one token over the budget left", policy: "v1", ...model("openai", "gpt-4.1", 1_000), usage: { tokens_used: 9_000, cost_used_minor: 0 }, expected: "POLICY_BUDGET_EXCEEDED" },
  { name: "v2: a provider condition met", policy: "v2", ...model("anthropic", "claude-haiku-4"), expected: "allow" },
  { name: "v2: a provider condition not met", policy: "v2", ...model("openai", "claude-haiku-4"), expected: "POLICY_MODEL_DENIED" },
  { name: "v2: an explicit Deny over an Allow", policy: "v2", ...model("anthropic", "claude-opus-5-preview"), expected: "POLICY_MODEL_DENIED" },
  { name: "v2: a condition on the hour of `now`", policy: "v2", ...model("openai", "gpt-4.1"), expected: "allow" },
  { name: "v2 inherits: a model allowed by child and parent", policy: "v2Child", ...model("openai", "gpt-4.1"), expected: "allow" },
  { name: "v2 inherits: a model the child allows and the parent does not", policy: "v2Child", ...model("anthropic", "claude-sonnet-4"), expected: "POLICY_MODEL_DENIED" },

  // Egress: host, port, scheme, wildcards, the v1 allowlist, v2 statements, explicit Deny, inherits.
  { name: "v1: a named host on the default port", policy: "v1", request: https("api.github.com"), expected: "allow" },
  { name: "v1: a named host on another port", policy: "v1", request: https("api.github.com", 8443), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: a pattern without a scheme admits http", policy: "v1", request: http("api.github.com"), expected: "allow" },
  { name: "v1: host names are compared in canonical form", policy: "v1", request: https("API.GitHub.com"), expected: "allow" },
  { name: "v1: a wildcard subdomain", policy: "v1", request: https("registry.npmjs.org"), expected: "allow" },
  { name: "v1: a wildcard at any depth", policy: "v1", request: https("a.b.registry.npmjs.org"), expected: "allow" },
  { name: "v1: a wildcard does not match the apex", policy: "v1", request: https("npmjs.org"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: a pinned scheme admits it", policy: "v1", request: https("pypi.org"), expected: "allow" },
  { name: "v1: a pinned scheme refuses the other", policy: "v1", request: http("pypi.org"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: a pinned port", policy: "v1", request: https("registry.internal", 8443), expected: "allow" },
  { name: "v1: a pinned port refuses the default", policy: "v1", request: https("registry.internal"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: any port of a loopback literal, forwarded to the local upstream", policy: "v1", request: http("127.0.0.1", PORT), expected: "allow" },
  { name: "v1: an http-only pattern refuses a tunnel", policy: "v1", request: https("127.0.0.1", PORT), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: a tunnel to a named host, opened to the local upstream", policy: "v1", request: https("localhost", PORT), expected: "allow" },
  { name: "v1: a host nobody named", policy: "v1", request: https("evil.example"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: silence allows no egress", policy: "v1Silent", request: https("api.github.com"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v1: network egress given as a side effect with a URL", policy: "v1", request: { type: "side_effect", kind: "network_egress", target: "https://api.github.com/repos/acme" }, expected: "allow" },
  { name: "v2: an https wildcard statement", policy: "v2", request: https("api.example.com"), expected: "allow" },
  { name: "v2: an https statement refuses http", policy: "v2", request: http("api.example.com"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v2: an explicit Deny inside an allowed wildcard", policy: "v2", request: https("evil.example.com"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v2: any port", policy: "v2", request: https("api.internal.test", 9443), expected: "allow" },
  { name: "v2: a method condition met", policy: "v2", request: http("127.0.0.1", PORT, "GET"), expected: "allow" },
  { name: "v2: a method condition not met", policy: "v2", request: http("127.0.0.1", PORT, "POST"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v2: a condition on human approval, in the approved apply phase", policy: "v2", request: https("approved.example.org"), expected: "allow" },
  { name: "v2: `**` allows anywhere", policy: "v2Open", request: https("anything.test"), expected: "allow" },
  { name: "v2: a wildcard Deny under `**`", policy: "v2Open", request: https("x.blocked.test"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v2: a Deny conditioned on the scheme", policy: "v2Open", request: http("anything.test"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v2 inherits: a destination allowed by child and parent", policy: "v2Child", request: https("api.example.net"), expected: "allow" },
  { name: "v2 inherits: a destination the parent denies", policy: "v2Child", request: https("secret.example.net"), expected: "POLICY_EGRESS_DENIED" },
  { name: "v2 inherits: a destination the child does not allow", policy: "v2Child", request: https("api.example.com"), expected: "POLICY_EGRESS_DENIED" },

  // Plan phase: what preflight allows is captured (428) instead; what it denies is denied with the same code.
  { name: "plan: an allowed destination is captured", policy: "v1", phase: "plan", request: https("api.github.com"), expected: "allow" },
  { name: "plan: an allowed local destination is captured, not forwarded", policy: "v1", phase: "plan", request: http("127.0.0.1", PORT), expected: "allow" },
  { name: "plan: a denied destination is denied, not captured", policy: "v1", phase: "plan", request: https("evil.example"), expected: "POLICY_EGRESS_DENIED" },
  { name: "plan: an explicit Deny is denied, not captured", policy: "v2", phase: "plan", request: https("evil.example.com"), expected: "POLICY_EGRESS_DENIED" },
  { name: "plan: model calls are allowed in the plan phase too", policy: "v1", phase: "plan", ...model("openai", "gpt-4.1"), expected: "allow" },
  { name: "plan: a destination allowed only with human approval is captured, so it can be approved", policy: "v2", phase: "plan", request: https("approved.example.org"), expected: "allow" },
  { name: "plan: an inherited parent's Deny is denied, not captured", policy: "v2Child", phase: "plan", request: https("secret.example.net"), expected: "POLICY_EGRESS_DENIED" },
];

/** The gateway's answer in preflight's terms: a policy code, or allow when the policy let it through. */
function gatewayVerdict(status: number, reasonCode: string | undefined): string {
  if (status >= 200 && status < 300) return "allow";
  if (reasonCode === undefined) return `status ${status}`;
  // The policy allowed it; the (fake) DNS or the destination then failed: that is the network, not the policy.
  if (reasonCode === "EGRESS_UPSTREAM_UNREACHABLE" || reasonCode === "EGRESS_UPSTREAM_TIMEOUT") return "allow";
  return reasonCode;
}

/** What the gateway should answer when it agrees with preflight's verdict. */
function agreeing(verdict: Verdict, c: Case): string {
  return c.phase === "plan" && verdict === "allow" && c.request.type !== "model_call" ? "PLAN_PHASE_SIDE_EFFECT_CAPTURED" : verdict;
}

const KEY = "sk-agreement-0000";
let gw: TestGateway;
let proxy: EgressProxy;
let openai: ScriptedUpstream;
let anthropic: ScriptedUpstream;
const agents = new Map<PolicyName, TestAgent>();
const approved = new Map<string, ApprovedScope>();
let runs = 0;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startScriptedUpstream("openai"), startScriptedUpstream("anthropic")]);
  gw = await startTestGateway({
    now: () => new Date(NOW),
    providers: {
      openai: route(`${openai.url}/v1`, "openai", TIERS.openai),
      google: route(`${openai.url}/v1`, "openai", TIERS.google),
      anthropic: route(anthropic.url, "anthropic", TIERS.anthropic),
    },
  });
  for (const [name, document] of Object.entries(POLICIES) as [PolicyName, WorkPolicyContract][]) {
    const agent = await gw.addAgent(document as unknown as Record<string, unknown>);
    for (const provider of ["openai", "google", "anthropic"]) {
      await gw.database.db.insert(secrets).values({ tenantId: agent.tenantId, name: provider, kind: "provider_key", sealed: seal(gw.keyring, KEY, sealBinding.secret(agent.tenantId, provider)) });
    }
    // The agent's tenant registry holds the parents its policy inherits.
    for (const parent of Object.values(PARENTS)) {
      await gw.database.db.insert(policies).values({ tenantId: agent.tenantId, hash: hashJcsB64u(parent), policyVersion: parent.policy_version, document: parent });
    }
    agents.set(name, agent);
  }
  proxy = await startEgressProxy({
    authenticator: gw.authenticator,
    db: gw.database.db,
    now: () => new Date(NOW),
    connectTimeoutMs: 500,
    approvedScopeOf: async (run) => approved.get(run.runId) ?? null,
    // No real DNS in tests: only localhost has an address; other names fail after the policy allowed them.
    lookup: async (host) => {
      if (host === "localhost") return ["127.0.0.1"];
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: "ENOTFOUND" });
    },
  });
});

afterAll(async () => {
  await proxy?.close();
  await gw?.close();
  await Promise.all([openai?.close(), anthropic?.close()]);
  upstream.close();
});

/** Preflight's answer, with the parents resolved as POST /v1/preflight resolves them (the registry here is PARENTS). */
async function preflightVerdict(c: Case): Promise<Verdict> {
  const normalized = await resolvePolicy(POLICIES[c.policy], (id) => PARENTS[id]);
  if (!normalized.ok) throw new Error(`${c.policy}: ${normalized.reason_code}`);
  const result = preflight(normalized.policy, [c.request], { now: NOW, ...(c.usage ? { usage: c.usage } : {}) });
  const [decision] = result.decisions;
  expect(result.allowed).toBe(decision?.effect === "allow");
  return decision?.effect === "deny" ? decision.reason_code : "allow";
}

/** A run of the case's agent: plan phase, or apply phase with exactly the case's side effect approved and stored. */
async function runToken(c: Case, agent: TestAgent): Promise<{ runId: string; token: string }> {
  const runId = `run_agree_${++runs}`;
  if (c.phase === "plan") return { runId, token: await gw.token({ agent, runId, phase: "plan" }) };
  const entry = sideEffectOf(c.request);
  const scope = scopeFrom(entry === null ? [] : [entry]);
  approved.set(runId, scope);
  return { runId, token: await gw.token({ agent, runId, phase: "apply", approvedScopeHash: scope.scope_hash_b64u }) };
}

async function modelCall(c: Extract<PolicyRequest, { type: "model_call" }>, body: Record<string, unknown>, agent: TestAgent, runId: string, token: string, usage: Usage | undefined) {
  if (usage) {
    const meter = createUsageMeter({ db: gw.database.db, redis: gw.redis, log: { error: (fields: unknown) => console.error(fields) } });
    await meter.usedBy(agent.tenantId, runId);
    meter.add(agent.tenantId, runId, usage.tokens_used, usage.cost_used_minor);
    await meter.flush();
  }
  const response = await fetch(`${gw.url}${c.provider === "anthropic" ? "/v1/messages" : "/v1/chat/completions"}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-cst": token },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { reason_code?: string };
  return { status: response.status, reasonCode: answer.reason_code };
}

function viaProxy(c: Extract<PolicyRequest, { type: "egress" }>, token: string): Promise<{ status: number; reasonCode: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: proxy.port, method: c.method, path: `http://${c.host}:${c.port}/agreement`, agent: false, headers: { "proxy-authorization": `Bearer ${token}` } },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, reasonCode: res.headers["x-clawea-reason-code"] as string | undefined }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** A raw CONNECT: the status line and the reason-code header; a tunnel that opens is closed at once. */
async function tunnel(host: string, port: number, token: string): Promise<{ status: number; reasonCode: string | undefined }> {
  const socket = connect(proxy.port, "127.0.0.1");
  await once(socket, "connect");
  socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\nProxy-Authorization: Bearer ${token}\r\n\r\n`);
  let head = "";
  for await (const chunk of socket) {
    head += (chunk as Buffer).toString();
    if (head.includes("\r\n\r\n")) break;
  }
  socket.destroy();
  const reasonCode = /^x-clawea-reason-code: (\S+)/im.exec(head)?.[1];
  return { status: Number(head.split(" ")[1]), reasonCode };
}

async function throughGateway(c: Case): Promise<string> {
  const agent = agents.get(c.policy)!;
  const { runId, token } = await runToken(c, agent);
  if (c.request.type === "model_call") {
    if (c.body === undefined) throw new Error(`${c.name}: a model call case needs the body the gateway is sent`);
    const answer = await modelCall(c.request, c.body, agent, runId, token, c.usage);
    return gatewayVerdict(answer.status, answer.reasonCode);
  }
  const destination = c.request.type === "egress" ? c.request : new URL(c.request.target);
  const [scheme, host, port] =
    "scheme" in destination
      ? [destination.scheme, destination.host, destination.port]
      : [destination.protocol.slice(0, -1), destination.hostname, destination.port === "" ? 443 : Number(destination.port)];
  const answer = scheme === "https" ? await tunnel(host, port, token) : await viaProxy(c.request as Extract<PolicyRequest, { type: "egress" }>, token);
  const verdict = gatewayVerdict(answer.status, answer.reasonCode);
  // The run's evidence says the same as the answer: denials with their code, allowed attempts as allow or error.
  const records = await listEgressRecords(gw.database.db, agent.tenantId, runId);
  expect(records.map((r) => (r.decision === "deny" ? r.reasonCode : "allow"))).toEqual([verdict]);
  return verdict;
}

describe("preflight and the gateway", () => {
  it("cover at least 30 cases", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    for (const c of CASES) if (c.expected !== "allow") expect(DENY_REASON_CODES).toContain(c.expected);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("agree: %s", async (_name, c) => {
    const verdict = await preflightVerdict(c);
    expect(verdict).toBe(c.expected);
    expect(await throughGateway(c)).toBe(agreeing(verdict, c));
  });
});
