// POST /v1/preflight against the real app, PostgreSQL and Redis; and `clawea preflight` giving the API's answer.
import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliIo } from "@clawea/cli";
import { policyHash, type WorkPolicyContract } from "@clawea/policy";
import { unwrap, type ClaweaClient, type components } from "@clawea/sdk";
import { raw, reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";

type Scope = components["schemas"]["PreflightScope"];

const ISSUER = "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7";
const NOW = "2026-11-25T10:00:00.000Z";

let platform: TestPlatform;
let tenant: { id: string; adminToken: string; admin: ClaweaClient };
beforeAll(async () => {
  platform = await startTestPlatform({ now: () => new Date(NOW) });
  tenant = await platform.tenant();
});
afterAll(() => platform.close());

const wpcV1 = {
  policy_version: "1",
  policy_id: "ci-default",
  issuer_did: ISSUER,
  allowed_providers: ["openai", "anthropic"],
  allowed_models: ["gpt-4.1*", "claude-sonnet-4*"],
  egress_allowlist: ["api.github.com", "*.npmjs.org"],
  metadata: { clawea: { budget: { max_tokens_per_run: 50_000, max_cost_minor_per_run: 100 } } },
} satisfies WorkPolicyContract;

const wpcV2 = {
  policy_version: "2",
  policy_id: "repo-bot",
  issuer_did: ISSUER,
  statements: [
    { sid: "models", effect: "Allow", actions: ["model:invoke"], resources: ["claude-*"], conditions: { StringEquals: { "Model:Provider": "anthropic" } } },
    { sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["https://*.example.com"] },
    { sid: "no-evil", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["evil.example.com"] },
    { sid: "pushes", effect: "Allow", actions: ["side_effect:repo_push"], resources: ["github.com/acme/**"] },
    { sid: "no-main", effect: "Deny", actions: ["side_effect:repo_push"], resources: ["**@refs/heads/main"] },
    { sid: "daytime", effect: "Allow", actions: ["side_effect:email"], resources: ["*@acme.com"], conditions: { NumericLessThan: { "Context:Hour": "18" } } },
  ],
  metadata: { clawea: { budget: { max_tokens_per_run: 10_000, max_cost_minor_per_run: 10 } } },
} satisfies WorkPolicyContract;

const allowedScope: Scope = {
  model_calls: [{ provider: "openai", model: "gpt-4.1-mini", estimated_tokens: 8_000 }],
  egress: [{ url: "https://api.github.com/repos/acme/app", method: "GET" }, { scheme: "https", host: "registry.npmjs.org" }],
};

const deniedScope: Scope = {
  model_calls: [{ provider: "google", model: "gemini-2.5" }, { provider: "openai", model: "gpt-4.1", estimated_tokens: 60_000 }],
  egress: [{ url: "https://evil.example/" }, { scheme: "https", host: "api.github.com", port: 8443 }, { url: "http://api.github.com" }],
};

async function register(admin: ClaweaClient, document: Record<string, unknown>): Promise<string> {
  return unwrap(await admin.POST("/v1/policies", { body: { document } })).hash;
}

function ask(client: ClaweaClient, body: { policy_hash?: string; wpc?: Record<string, unknown>; scope: Scope; now?: string }) {
  return client.POST("/v1/preflight", { body });
}

/** `"<status> <reason code>"` of a refused preflight. */
const refused = (answer: ReturnType<typeof ask>) => reason(answer.then(unwrap));

describe("POST /v1/preflight", () => {
  it("allows a scope the registered policy allows, deciding every intent", async () => {
    const hash = await register(tenant.admin, wpcV1);
    const report = unwrap(await ask(tenant.admin, { policy_hash: hash, scope: allowedScope }));
    expect(report).toEqual({
      allowed: true,
      reason_codes: [],
      decisions: [
        { scope_path: "/model_calls/0", type: "model_call", target: "openai/gpt-4.1-mini", effect: "allow", statement_ids: ["v1:allowed_models"] },
        { scope_path: "/egress/0", type: "egress", target: "https://api.github.com:443", effect: "allow", statement_ids: ["v1:egress_allowlist"] },
        { scope_path: "/egress/1", type: "egress", target: "https://registry.npmjs.org:443", effect: "allow", statement_ids: ["v1:egress_allowlist"] },
      ],
      policy_hash_b64u: hash,
      evaluated_at: NOW,
    });
  });

  it("answers a denial as 200 with allowed false, each reason code once and a decision per intent", async () => {
    const hash = await register(tenant.admin, wpcV1);
    const response = await ask(tenant.admin, { policy_hash: hash, scope: deniedScope });
    expect(response.response.status).toBe(200);
    const report = unwrap(response);
    expect(report.allowed).toBe(false);
    expect(report.reason_codes).toEqual(["POLICY_MODEL_DENIED", "POLICY_BUDGET_EXCEEDED", "POLICY_EGRESS_DENIED"]);
    expect(report.decisions.map((d) => [d.scope_path, d.reason_code ?? "allow"])).toEqual([
      ["/model_calls/0", "POLICY_MODEL_DENIED"],
      ["/model_calls/1", "POLICY_BUDGET_EXCEEDED"],
      ["/egress/0", "POLICY_EGRESS_DENIED"],
      ["/egress/1", "POLICY_EGRESS_DENIED"],
      ["/egress/2", "allow"],
    ]);
  });

  it("decides an inline v2 document: explicit denies, conditions on the hour as of `now`, other side effects", async () => {
    const scope: Scope = {
      model_calls: [{ provider: "anthropic", model: "claude-haiku-4" }, { provider: "openai", model: "claude-haiku-4" }],
      egress: [{ url: "https://api.example.com" }, { url: "https://evil.example.com" }],
      side_effects: [
        { kind: "repo_push", target: "github.com/acme/app@refs/heads/feature", summary: "push the fix" },
        { kind: "repo_push", target: "github.com/acme/app@refs/heads/main" },
        { kind: "email", target: "ops@acme.com" },
      ],
    };
    const morning = unwrap(await ask(tenant.admin, { wpc: wpcV2, scope, now: "2026-11-25T09:00:00Z" }));
    expect(morning.policy_hash_b64u).toBe(policyHash(wpcV2));
    expect(morning.decisions.map((d) => d.reason_code ?? "allow")).toEqual([
      "allow",
      "POLICY_MODEL_DENIED",
      "allow",
      "POLICY_EGRESS_DENIED",
      "allow",
      "POLICY_SIDE_EFFECT_DENIED",
      "allow",
    ]);
    expect(morning.decisions.map((d) => d.statement_ids)).toEqual([["models"], [], ["egress"], ["no-evil"], ["pushes"], ["no-main"], ["daytime"]]);
    const evening = unwrap(await ask(tenant.admin, { wpc: wpcV2, scope: { side_effects: [{ kind: "email", target: "ops@acme.com" }] }, now: "2026-11-25T20:00:00Z" }));
    expect(evening.reason_codes).toEqual(["POLICY_SIDE_EFFECT_DENIED"]);
  });

  it("gives the same answer for a registered policy and the same document inline", async () => {
    const hash = await register(tenant.admin, wpcV2);
    const scope: Scope = { ...deniedScope, side_effects: [{ kind: "repo_push", target: "github.com/acme/app@refs/heads/main" }] };
    const byHash = unwrap(await ask(tenant.admin, { policy_hash: hash, scope }));
    const inline = unwrap(await ask(tenant.admin, { wpc: wpcV2, scope }));
    expect(inline).toEqual(byHash);
    // Twice: the second answer comes from the normalised-policy cache.
    expect(unwrap(await ask(tenant.admin, { policy_hash: hash, scope }))).toEqual(byHash);
  });

  it("resolves `inherits` from the tenant's registry by policy_id, and sees a newer parent at once", async () => {
    const { admin } = await platform.tenant("inherits");
    const child = {
      policy_version: "2",
      policy_id: "child",
      issuer_did: ISSUER,
      inherits: "base",
      statements: [{ sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["*.example.com"] }],
    };
    const base = (denied: string) => ({
      policy_version: "2",
      policy_id: "base",
      issuer_did: ISSUER,
      statements: [
        { sid: "all", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] },
        { sid: "deny-one", effect: "Deny", actions: ["side_effect:network_egress"], resources: [denied] },
      ],
    });
    const scope: Scope = { egress: [{ url: "https://a.example.com" }, { url: "https://b.example.com" }, { url: "https://other.test" }] };
    const childHash = await register(admin, child);
    expect(await refused(ask(admin, { policy_hash: childHash, scope }))).toBe("422 POLICY_PARENT_UNRESOLVED");
    expect(await refused(ask(admin, { wpc: child, scope }))).toBe("422 POLICY_PARENT_UNRESOLVED");

    await register(admin, base("a.example.com"));
    const first = unwrap(await ask(admin, { policy_hash: childHash, scope }));
    expect(first.decisions.map((d) => d.reason_code ?? "allow")).toEqual(["POLICY_EGRESS_DENIED", "allow", "POLICY_EGRESS_DENIED"]);
    expect(first.decisions[0]?.statement_ids).toEqual(["deny-one"]);

    await register(admin, base("b.example.com"));
    const second = unwrap(await ask(admin, { policy_hash: childHash, scope }));
    expect(second.decisions.map((d) => d.reason_code ?? "allow")).toEqual(["allow", "POLICY_EGRESS_DENIED", "POLICY_EGRESS_DENIED"]);
  });

  it("answers 404 for a hash that is unknown, or another tenant's", async () => {
    const unknown = policyHash({ ...wpcV1, policy_id: "never-registered" });
    expect(await refused(ask(tenant.admin, { policy_hash: unknown, scope: allowedScope }))).toBe("404 NOT_FOUND");
    const other = await platform.tenant("other");
    const theirs = await register(other.admin, { ...wpcV1, policy_id: "theirs" });
    expect(await refused(ask(tenant.admin, { policy_hash: theirs, scope: allowedScope }))).toBe("404 NOT_FOUND");
    expect(unwrap(await ask(other.admin, { policy_hash: theirs, scope: allowedScope })).allowed).toBe(true);
  });

  it("answers 422 POLICY_INVALID with the schema's errors for an invalid inline WPC", async () => {
    const response = await ask(tenant.admin, { wpc: { ...wpcV1, allowed_providers: "openai" }, scope: allowedScope });
    expect(response.response.status).toBe(422);
    const problem = response.error as unknown as { reason_code: string; errors: { path: string; message: string }[] };
    expect(problem.reason_code).toBe("POLICY_INVALID");
    expect(problem.errors.map((e) => e.path)).toContain("/allowed_providers");
    expect(await refused(ask(tenant.admin, { wpc: { ...wpcV1, metadata: { clawea: { budget: { max_tokens_per_run: 1.5 } } } }, scope: allowedScope }))).toBe("422 POLICY_INVALID");
    expect(await refused(ask(tenant.admin, { wpc: { ...wpcV1, policy_version: "3" }, scope: allowedScope }))).toBe("422 POLICY_INVALID");
  });

  it("answers 400 for a scope it cannot decide: wrong shape, unknown fields, or values the decision function rejects", async () => {
    const hash = await register(tenant.admin, wpcV1);
    const post = (body: unknown) => raw(platform.url, "POST", "/v1/preflight", { token: tenant.adminToken, body: JSON.stringify(body) });
    const shapes: unknown[] = [
      { policy_hash: hash },
      { policy_hash: hash, scope: { tools: [] } },
      { policy_hash: hash, scope: { egress: [{ url: "https://a.example", verb: "GET" }] } },
      { policy_hash: hash, scope: { egress: [{ scheme: "ftp", host: "a.example" }] } },
      { policy_hash: hash, scope: { egress: [{ scheme: "https", host: "a.example", port: 0 }] } },
      { policy_hash: hash, scope: { side_effects: [{ kind: "teleport", target: "x" }] } },
      { policy_hash: hash, scope: { model_calls: [{ provider: "openai", model: "gpt-4.1", model_identity_tier: "gold" }] } },
      { policy_hash: hash, scope: { model_calls: [{ provider: "openai", model: "gpt-4.1", estimated_tokens: -1 }] } },
      { policy_hash: hash, scope: { egress: new Array(257).fill({ url: "https://a.example" }) } },
      { policy_hash: hash, wpc: wpcV1, scope: {} },
      { scope: {} },
      { policy_hash: hash, scope: {}, now: "tomorrow" },
      { policy_hash: hash, scope: {}, now: "2026-11-25 10:00:00Z" },
      { policy_hash: hash, scope: {}, now: "2026-11-25T23:59:60Z" },
    ];
    for (const body of shapes) {
      const response = await post(body);
      expect([response.status, response.body?.["reason_code"]], JSON.stringify(body).slice(0, 120)).toEqual([400, "VALIDATION_FAILED"]);
    }
    const values: [Scope, string][] = [
      [{ egress: [{ url: "ftp://files.example" }] }, "/scope/egress/0"],
      [{ egress: [{ url: "not a url" }] }, "/scope/egress/0"],
      [{ egress: [{ url: "https://user:pw@api.github.com" }] }, "/scope/egress/0"],
      [{ egress: [{ scheme: "https", host: "bad host" }] }, "/scope/egress/0"],
      [{ side_effects: [{ kind: "filesystem_write", target: "a\u0000b" }] }, "/scope/side_effects/0"],
      [{ model_calls: [{ provider: "openai", model: "gpt-4.1" }], side_effects: [{ kind: "external_api_write", target: "mailto:x@y.z" }] }, "/scope/side_effects/0"],
    ];
    for (const [scope, path] of values) {
      const response = await post({ policy_hash: hash, scope });
      expect([response.status, response.body?.["reason_code"]], JSON.stringify(scope)).toEqual([400, "POLICY_REQUEST_INVALID"]);
      expect((response.body?.["errors"] as { path: string }[]).map((e) => e.path)).toEqual([path]);
    }
  });

  it("admits every role that may read policies, and no other", async () => {
    const hash = await register(tenant.admin, wpcV1);
    for (const role of ["admin", "security", "operator", "auditor", "developer"]) {
      const client = await platform.keyWith(tenant.admin, [role]);
      expect(unwrap(await ask(client, { policy_hash: hash, scope: allowedScope })).allowed, role).toBe(true);
    }
    const finance = await platform.keyWith(tenant.admin, ["finance"]);
    expect(await refused(ask(finance, { policy_hash: hash, scope: allowedScope }))).toBe("403 ROLE_NOT_PERMITTED");
    expect(await refused(ask(platform.platform, { policy_hash: hash, scope: allowedScope }))).toBe("401 API_KEY_INVALID");
    const anonymous = await raw(platform.url, "POST", "/v1/preflight", { body: JSON.stringify({ policy_hash: hash, scope: allowedScope }) });
    expect([anonymous.status, anonymous.body?.["reason_code"]]).toEqual([401, "AUTH_REQUIRED"]);
  });
});

describe("clawea preflight and the API", () => {
  const work = mkdtempSync(join(tmpdir(), "clawea-cp-preflight-"));
  const file = (name: string, content: unknown) => {
    const path = join(work, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      readFile: async (p) => new Uint8Array(await readFile(p)),
      writeFile: () => Promise.reject(new Error("unused")),
      now: () => NOW,
      env: () => undefined,
    };
    const status = await runCli(["preflight", ...argv], io);
    return { status, out: out.join(""), err: err.join("") };
  }

  const scopes: Scope[] = [
    allowedScope,
    deniedScope,
    {
      model_calls: [{ provider: "anthropic", model: "claude-sonnet-4-5", model_identity_tier: "tee_measured", estimated_tokens: 50_000 }],
      egress: [{ url: "HTTPS://Registry.NPMJS.org.:443/pkg", method: "post" }, { scheme: "http", host: "a.b.npmjs.org", port: 80 }],
      side_effects: [
        { kind: "network_egress", target: "https://api.github.com/graphql" },
        { kind: "external_api_write", target: "https://api.github.com/repos/acme/app/issues" },
        { kind: "filesystem_write", target: "src/../src/index.ts" },
      ],
    },
  ];

  it.each(scopes.map((scope, i) => [i, scope] as const))("prints the API's report offline, and online by hash (scope %i)", async (_i, scope) => {
    const hash = await register(tenant.admin, wpcV1);
    const api = unwrap(await ask(tenant.admin, { policy_hash: hash, scope, now: NOW }));
    const scopeFile = file(`scope-${_i}.json`, scope);
    const offline = await cli("--policy", file("wpc.json", wpcV1), "--scope", scopeFile, "--json");
    expect(offline.status).toBe(api.allowed ? 0 : 1);
    expect(JSON.parse(offline.out)).toEqual(api);
    const online = await cli("--policy-hash", hash, "--scope", scopeFile, "--api", platform.url, "--api-key", tenant.adminToken, "--json");
    expect(online.status).toBe(api.allowed ? 0 : 1);
    expect(JSON.parse(online.out)).toEqual(api);
  });

  it("exits 2 online when the API refuses the input or cannot be reached", async () => {
    const scopeFile = file("scope.json", allowedScope);
    const unknown = await cli("--policy-hash", policyHash({ ...wpcV1, policy_id: "nope" }), "--scope", scopeFile, "--api", platform.url, "--api-key", tenant.adminToken);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain("NOT_FOUND");
    const unreachable = await cli("--policy-hash", policyHash(wpcV1), "--scope", scopeFile, "--api", "http://127.0.0.1:1", "--api-key", tenant.adminToken);
    expect(unreachable.status).toBe(2);
    expect(unreachable.err).toContain("unreachable");
  });
});
