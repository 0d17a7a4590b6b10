// `clawea preflight` offline: exit statuses 0/1/2, the JSON report, the human summary, and the real binary.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { policyHash, type WorkPolicyContract } from "@clawea/policy";
import { runCli, type CliIo } from "../index.js";

const work = mkdtempSync(join(tmpdir(), "clawea-preflight-"));
const ISSUER = "did:key:z6MkneMkZqwqRiU5mJzSG3kDwzt9P8C59N4NGTfBLfSGE7c7";

function file(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const wpc = {
  policy_version: "1",
  policy_id: "ci-default",
  issuer_did: ISSUER,
  allowed_providers: ["openai"],
  allowed_models: ["gpt-4.1*"],
  egress_allowlist: ["api.github.com", "*.npmjs.org"],
  metadata: { clawea: { budget: { max_tokens_per_run: 50_000, max_cost_minor_per_run: 100 } } },
} satisfies WorkPolicyContract;

const child = {
  policy_version: "2",
  policy_id: "ci-child",
  issuer_did: ISSUER,
  inherits: "ci-base",
  statements: [{ sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["*.example.com"] }],
} satisfies WorkPolicyContract;
const base = {
  policy_version: "2",
  policy_id: "ci-base",
  issuer_did: ISSUER,
  statements: [
    { sid: "egress", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["**"] },
    { sid: "no-internal", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["internal.example.com"] },
  ],
} satisfies WorkPolicyContract;

const policyFile = file("wpc.json", wpc);
const allowedScope = file("allowed.json", {
  model_calls: [{ provider: "openai", model: "gpt-4.1-mini", estimated_tokens: 8_000 }],
  egress: [{ url: "https://api.github.com/repos/acme/app", method: "GET" }, { scheme: "https", host: "registry.npmjs.org" }],
  side_effects: [{ kind: "network_egress", target: "https://api.github.com/graphql" }],
});
const deniedScope = file("denied.json", {
  model_calls: [{ provider: "anthropic", model: "claude-sonnet-4" }, { provider: "openai", model: "gpt-4.1", estimated_tokens: 60_000 }],
  egress: [{ url: "https://evil.example/" }, { scheme: "https", host: "api.github.com" }],
  side_effects: [{ kind: "repo_push", target: "github.com/acme/app@refs/heads/main" }],
});

function harness(now = "2026-11-25T10:00:00.000Z") {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => new Uint8Array(await readFile(p)),
    writeFile: (p, d, mode) => writeFile(p, d, { mode, flag: "wx" }),
    now: () => now,
    env: () => undefined,
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

interface Report {
  allowed: boolean;
  reason_codes: string[];
  decisions: { scope_path: string; type: string; kind?: string; target: string; effect: string; reason_code?: string; statement_ids: string[] }[];
  policy_hash_b64u: string;
  evaluated_at: string;
}

async function preflight(...args: string[]): Promise<{ status: number; report: Report | null; out: string; err: string }> {
  const h = harness();
  const status = await runCli(["preflight", ...args], h.io);
  const json = args.includes("--json") && status !== 2;
  return { status, report: json ? (JSON.parse(h.out()) as Report) : null, out: h.out(), err: h.err() };
}

describe("clawea preflight (offline)", () => {
  it("exits 0 and reports every decision when the policy allows the whole scope", async () => {
    const { status, report } = await preflight("--policy", policyFile, "--scope", allowedScope, "--json");
    expect(status).toBe(0);
    expect(report).toEqual({
      allowed: true,
      reason_codes: [],
      decisions: [
        { scope_path: "/model_calls/0", type: "model_call", target: "openai/gpt-4.1-mini", effect: "allow", statement_ids: ["v1:allowed_models"] },
        { scope_path: "/egress/0", type: "egress", target: "https://api.github.com:443", effect: "allow", statement_ids: ["v1:egress_allowlist"] },
        { scope_path: "/egress/1", type: "egress", target: "https://registry.npmjs.org:443", effect: "allow", statement_ids: ["v1:egress_allowlist"] },
        { scope_path: "/side_effects/0", type: "side_effect", kind: "network_egress", target: "https://api.github.com:443", effect: "allow", statement_ids: ["v1:egress_allowlist"] },
      ],
      policy_hash_b64u: policyHash(wpc),
      evaluated_at: "2026-11-25T10:00:00.000Z",
    });
  });

  it("exits 1 with each reason code once, in the order the scope produced them", async () => {
    const { status, report } = await preflight("--policy", policyFile, "--scope", deniedScope, "--json");
    expect(status).toBe(1);
    expect(report?.allowed).toBe(false);
    expect(report?.reason_codes).toEqual(["POLICY_MODEL_DENIED", "POLICY_BUDGET_EXCEEDED", "POLICY_EGRESS_DENIED", "POLICY_SIDE_EFFECT_DENIED"]);
    expect(report?.decisions.map((d) => [d.scope_path, d.effect, d.reason_code])).toEqual([
      ["/model_calls/0", "deny", "POLICY_MODEL_DENIED"],
      ["/model_calls/1", "deny", "POLICY_BUDGET_EXCEEDED"],
      ["/egress/0", "deny", "POLICY_EGRESS_DENIED"],
      ["/egress/1", "allow", undefined],
      ["/side_effects/0", "deny", "POLICY_SIDE_EFFECT_DENIED"],
    ]);
  });

  it("prints a human summary naming the verdict, the codes and each denied intent", async () => {
    const denied = await preflight("--policy", policyFile, "--scope", deniedScope);
    expect(denied.status).toBe(1);
    expect(denied.out).toMatch(/^PREFLIGHT DENIED \(POLICY_MODEL_DENIED, POLICY_BUDGET_EXCEEDED, POLICY_EGRESS_DENIED, POLICY_SIDE_EFFECT_DENIED\)/);
    expect(denied.out).toContain("/egress/0  egress https://evil.example:443  POLICY_EGRESS_DENIED");
    const allowed = await preflight("--policy", policyFile, "--scope", allowedScope);
    expect(allowed.status).toBe(0);
    expect(allowed.out).toMatch(/^PREFLIGHT ALLOWED {2}policy /);
  });

  it("resolves inherited policies from --parent files: every layer must allow", async () => {
    const scope = file("inherits.json", { egress: [{ url: "https://api.example.com" }, { url: "https://internal.example.com" }] });
    const { status, report } = await preflight("--policy", file("child.json", child), "--parent", file("base.json", base), "--scope", scope, "--json");
    expect(status).toBe(1);
    expect(report?.decisions.map((d) => d.reason_code ?? "allow")).toEqual(["allow", "POLICY_EGRESS_DENIED"]);
    expect(report?.decisions[1]?.statement_ids).toEqual(["no-internal"]);
  });

  it("takes the last --parent file given for a policy_id, as the registry takes its newest document", async () => {
    const scope = file("inherits-newest.json", { egress: [{ url: "https://internal.example.com" }, { url: "https://other.example.com" }] });
    const newer = { ...base, statements: [base.statements[0]!, { sid: "no-other", effect: "Deny", actions: ["side_effect:network_egress"], resources: ["other.example.com"] }] };
    const { report } = await preflight("--policy", file("child.json", child), "--parent", file("base.json", base), "--parent", file("base-newer.json", newer), "--scope", scope, "--json");
    expect(report?.decisions.map((d) => d.reason_code ?? "allow")).toEqual(["allow", "POLICY_EGRESS_DENIED"]);
  });

  it("decides conditions on the hour as of --now", async () => {
    const office = file("office.json", {
      policy_version: "2",
      policy_id: "office-hours",
      issuer_did: ISSUER,
      statements: [{ sid: "day", effect: "Allow", actions: ["side_effect:network_egress"], resources: ["api.github.com"], conditions: { NumericLessThan: { "Context:Hour": "18" } } }],
    });
    const scope = file("github.json", { egress: [{ url: "https://api.github.com" }] });
    expect((await preflight("--policy", office, "--scope", scope, "--now", "2026-11-25T09:00:00Z")).status).toBe(0);
    expect((await preflight("--policy", office, "--scope", scope, "--now", "2026-11-25T21:00:00Z")).status).toBe(1);
  });

  const bad: [string, string[], string][] = [
    ["a missing policy file", ["--policy", join(work, "nope.json"), "--scope", allowedScope], "INPUT_UNREADABLE"],
    ["a scope file that is not JSON", ["--policy", policyFile, "--scope", file("broken.json", "{ nope")], "INPUT_UNREADABLE"],
    ["an invalid WPC", ["--policy", file("invalid-wpc.json", { ...wpc, allowed_providers: "openai" }), "--scope", allowedScope], "POLICY_INVALID"],
    ["a bad clawea budget", ["--policy", file("bad-budget.json", { ...wpc, metadata: { clawea: { budget: { max_tokens_per_run: -1 } } } }), "--scope", allowedScope], "POLICY_INVALID"],
    ["an unresolved parent", ["--policy", file("orphan.json", child), "--scope", allowedScope], "POLICY_PARENT_UNRESOLVED"],
    ["a scope with an unknown list", ["--policy", policyFile, "--scope", file("s1.json", { tools: [] })], "POLICY_REQUEST_INVALID"],
    ["an intent with an unknown field", ["--policy", policyFile, "--scope", file("s2.json", { egress: [{ url: "https://a.example", verb: "GET" }] })], "POLICY_REQUEST_INVALID"],
    ["an egress intent without a destination", ["--policy", policyFile, "--scope", file("s3.json", { egress: [{ method: "GET" }] })], "POLICY_REQUEST_INVALID"],
    ["a non-http URL", ["--policy", policyFile, "--scope", file("s4.json", { egress: [{ url: "ftp://files.example" }] })], "POLICY_REQUEST_INVALID"],
    ["a bad host", ["--policy", policyFile, "--scope", file("s5.json", { egress: [{ scheme: "https", host: "bad host" }] })], "POLICY_REQUEST_INVALID"],
    ["an unknown side-effect kind", ["--policy", policyFile, "--scope", file("s6.json", { side_effects: [{ kind: "teleport", target: "x" }] })], "POLICY_REQUEST_INVALID"],
    ["an unknown identity tier", ["--policy", policyFile, "--scope", file("s7.json", { model_calls: [{ provider: "openai", model: "gpt-4.1", model_identity_tier: "gold" }] })], "POLICY_REQUEST_INVALID"],
    ["neither --policy nor --policy-hash", ["--scope", allowedScope], "USAGE"],
    ["both --policy and --policy-hash", ["--policy", policyFile, "--policy-hash", policyHash(wpc), "--scope", allowedScope], "USAGE"],
    ["no --scope", ["--policy", policyFile], "USAGE"],
    ["a bad --now", ["--policy", policyFile, "--scope", allowedScope, "--now", "tomorrow"], "USAGE"],
    ["--policy-hash without an API", ["--policy-hash", policyHash(wpc), "--scope", allowedScope], "USAGE"],
  ];
  it.each(bad)("exits 2 on %s", async (_name, args, code) => {
    const { status, err } = await preflight(...args, "--json");
    expect(status).toBe(2);
    expect(err).toContain(code);
  });
});

describe("the clawea binary", () => {
  const run = promisify(execFile);
  const main = join(import.meta.dirname, "..", "main.ts");
  const cli = (...args: string[]) => run(process.execPath, ["--import", "tsx", main, "preflight", ...args]);

  it("exits 0 allowed, 1 denied, 2 bad input, as a CI step branches on it", async () => {
    const allowed = await cli("--policy", policyFile, "--scope", allowedScope, "--json");
    expect((JSON.parse(allowed.stdout) as Report).allowed).toBe(true);
    await expect(cli("--policy", policyFile, "--scope", deniedScope)).rejects.toMatchObject({ code: 1 });
    await expect(cli("--policy", policyFile, "--scope", join(work, "missing.json"))).rejects.toMatchObject({ code: 2 });
    // Three cold node + tsx starts: slow on a loaded 2-core machine.
  }, 60_000);
});
