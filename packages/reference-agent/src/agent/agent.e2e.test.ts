// The agent as the data plane runs it: a child process in a workspace, talking only to a (fake)
// gateway for the model and a (fake) egress proxy for everything else.
import { mkdtemp, readFile, rm, writeFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModel, type ScriptedModel } from "../scripted-model/scripted-model.server.js";
import { argsHash } from "./agent.output.js";
import {
  CST,
  denial,
  runAgentProcess,
  startDestinations,
  startFakeGateway,
  startFakeProxy,
  TLS_CERT_PATH,
  type Destinations,
  type FakeGateway,
} from "./agent.test-support.js";

const TASK = [
  "Tell the team we are done.",
  "write notes/hello.txt: Hello from clawea",
  "http POST https://api.example.com/notify {\"text\":\"done\"}",
  "http GET http://api.example.com/status?x=1",
  "http GET https://evil.example.net/exfil",
  "http GET https://other.example.org/unapproved",
  "write ../escape.txt: nope",
  "delete old.txt",
].join("\n");

const ALLOWED = ["api.example.com", "other.example.org"];
const APPROVED = ["api.example.com"];

let model: ScriptedModel;
let gateway: FakeGateway;
let destinations: Destinations;
const workspaces: string[] = [];

beforeAll(async () => {
  model = await startScriptedModel();
  gateway = await startFakeGateway(model.url);
  destinations = await startDestinations();
});

afterAll(async () => {
  await Promise.all([model.close(), gateway.close(), destinations.close()]);
  await Promise.all(workspaces.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ref-agent-"));
  workspaces.push(dir);
  await writeFile(join(dir, "old.txt"), "old");
  return dir;
}

function baseEnv(modelUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { CLAWEA_MODEL: "scripted-1", CLAWEA_CST: CST, OPENAI_BASE_URL: modelUrl, ...extra };
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out[full.slice(dir.length + 1)] = await readFile(full, "utf8");
  }
  return out;
}

const toolLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l["type"] === "tool_call").map((l) => [l["name"], l["outcome"], l["reason_code"] ?? null]);

describe("reference agent, plan phase", () => {
  it("writes files, gets its egress captured or denied, and reports every step as a JSON line", async () => {
    const proxy = await startFakeProxy({ phase: "plan", allowed: ALLOWED, approved: [], destinations });
    try {
      const before = gateway.requests.length;
      const dir = await workspace();
      const run = await runAgentProcess(dir, baseEnv(gateway.url, { CLAWEA_TASK: TASK, CLAWEA_RUN_PHASE: "plan", HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url }));

      expect(run.code).toBe(0);
      expect(toolLines(run.lines)).toEqual([
        ["write_file", "ok", null],
        ["http_request", "captured", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
        ["http_request", "captured", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
        ["http_request", "denied", "POLICY_EGRESS_DENIED"],
        ["http_request", "captured", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
        ["write_file", "error", "SANDBOX_PATH_INVALID"],
        ["delete_file", "ok", null],
        ["finish", "ok", null],
      ]);
      // One model call per step, each with the gateway's receipt id and the model's usage.
      const calls = run.lines.filter((l) => l["type"] === "model_call");
      expect(calls).toHaveLength(8);
      expect(calls.map((c) => c["step"])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const call of calls) {
        expect(call["receipt_id"]).toMatch(/^gwr_[0-9a-f]{32}$/);
        expect(call["tokens"]).toEqual({ in: expect.any(Number), out: expect.any(Number) });
        expect((call["tokens"] as { in: number }).in).toBeGreaterThan(0);
      }
      expect(run.lines[0]).toMatchObject({ type: "model_call", step: 1 });
      expect(run.lines[1]).toEqual({
        type: "tool_call",
        step: 1,
        name: "write_file",
        args_sha256_b64u: argsHash('{"path":"notes/hello.txt","content":"Hello from clawea"}'),
        outcome: "ok",
      });
      const result = run.lines.at(-1)!;
      expect(result).toMatchObject({ type: "result", status: "completed" });
      expect(result["summary"]).toContain("POLICY_EGRESS_DENIED");
      expect(result["summary"]).toContain("Captured for approval");

      expect(await filesOf(dir)).toEqual({ "notes/hello.txt": "Hello from clawea" });
      await expect(readFile(join(dir, "..", "escape.txt"))).rejects.toMatchObject({ code: "ENOENT" });

      // Egress went through the proxy with the run's credential; nothing reached a destination.
      expect(proxy.attempts.map((a) => [a.method, a.target, a.reason_code])).toEqual([
        ["CONNECT", "api.example.com:443", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
        ["GET", "http://api.example.com/status?x=1", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
        ["CONNECT", "evil.example.net:443", "POLICY_EGRESS_DENIED"],
        ["CONNECT", "other.example.org:443", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
      ]);
      expect(destinations.requests).toHaveLength(0);

      // The model read the capture as "will happen later", and each call carried the CST and an idempotency key.
      const modelCalls = gateway.requests.slice(before);
      const third = JSON.parse(modelCalls[2]!.body) as { messages: { role: string; content: string }[] };
      const captured = JSON.parse(third.messages.at(-1)!.content) as Record<string, unknown>;
      expect(captured).toMatchObject({ outcome: "captured", reason_code: "PLAN_PHASE_SIDE_EFFECT_CAPTURED", intended_side_effect: { target: "https://api.example.com:443" } });
      expect(third.messages[0]!.content).toContain("PLAN phase");
      for (const call of modelCalls) expect(call.headers["idempotency-key"]).toMatch(/^ra_[A-Za-z0-9_-]{43}$/);
    } finally {
      await proxy.close();
    }
  });

  it("is deterministic: the same model answers give the same lines and the same files", async () => {
    const proxy = await startFakeProxy({ phase: "plan", allowed: ALLOWED, approved: [], destinations });
    try {
      const env = baseEnv(gateway.url, { CLAWEA_TASK: TASK, CLAWEA_RUN_PHASE: "plan", HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url });
      const [a, b] = [await workspace(), await workspace()];
      const first = await runAgentProcess(a, env);
      const second = await runAgentProcess(b, env);
      expect(second.stdout).toBe(first.stdout);
      expect(await filesOf(b)).toEqual(await filesOf(a));
    } finally {
      await proxy.close();
    }
  });
});

describe("reference agent, apply phase", () => {
  it("performs approved requests through the proxy (absolute-form and CONNECT + TLS) and reports the rest as denied", async () => {
    const proxy = await startFakeProxy({ phase: "apply", allowed: ALLOWED, approved: APPROVED, destinations });
    try {
      const dir = await workspace();
      const run = await runAgentProcess(
        dir,
        baseEnv(gateway.url, { CLAWEA_TASK: TASK, CLAWEA_RUN_PHASE: "apply", HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: TLS_CERT_PATH }),
      );
      expect(run.code).toBe(0);
      expect(toolLines(run.lines)).toEqual([
        ["write_file", "ok", null],
        ["http_request", "ok", null],
        ["http_request", "ok", null],
        ["http_request", "denied", "POLICY_EGRESS_DENIED"],
        ["http_request", "denied", "SIDE_EFFECT_NOT_APPROVED"],
        ["write_file", "error", "SANDBOX_PATH_INVALID"],
        ["delete_file", "ok", null],
        ["finish", "ok", null],
      ]);
      expect(destinations.requests.map((r) => [r.scheme, r.method, r.path, r.body])).toEqual([
        ["https", "POST", "/notify", '{"text":"done"}'],
        ["http", "GET", "/status?x=1", ""],
      ]);
      expect(destinations.requests[0]!.headers).toMatchObject({ host: "api.example.com", "content-type": "application/json" });
      expect(destinations.requests[0]!.headers["proxy-authorization"]).toBeUndefined();
      expect(run.lines.at(-1)!["summary"]).toContain("SIDE_EFFECT_NOT_APPROVED");
      expect(await filesOf(dir)).toEqual({ "notes/hello.txt": "Hello from clawea" });
    } finally {
      destinations.requests.length = 0;
      await proxy.close();
    }
  });
});

describe("reference agent, model call failures and limits", () => {
  it("stops with exit 3 and the reason code when the gateway denies a model call, without retrying", async () => {
    const denying = await startFakeGateway(model.url, (i) => (i === 1 ? { status: 429, body: denial("POLICY_BUDGET_EXCEEDED", "budget used up", false) } : undefined));
    try {
      const dir = await workspace();
      const run = await runAgentProcess(dir, baseEnv(denying.url, { CLAWEA_TASK: "write a.txt: one\nwrite b.txt: two" }));
      expect(run.code).toBe(3);
      expect(run.lines.map((l) => l["type"])).toEqual(["model_call", "tool_call", "result"]);
      expect(run.lines.at(-1)).toMatchObject({ type: "result", status: "failed", reason_code: "POLICY_BUDGET_EXCEEDED" });
      expect(denying.requests).toHaveLength(2);
      expect(await filesOf(dir)).toEqual({ "a.txt": "one", "old.txt": "old" });
    } finally {
      await denying.close();
    }
  });

  it("retries a 5xx with the same idempotency key, then carries on", async () => {
    const flaky = await startFakeGateway(model.url, (i) => (i === 0 ? { status: 502, body: denial("UPSTREAM_ERROR", "provider 500", true) } : undefined));
    try {
      const run = await runAgentProcess(await workspace(), baseEnv(flaky.url, { CLAWEA_TASK: "write a.txt: one" }));
      expect(run.code).toBe(0);
      expect(flaky.requests).toHaveLength(3);
      expect(flaky.requests[1]!.headers["idempotency-key"]).toBe(flaky.requests[0]!.headers["idempotency-key"]);
      expect(flaky.requests[1]!.body).toBe(flaky.requests[0]!.body);
      expect(run.stderr).toContain("UPSTREAM_ERROR");
    } finally {
      await flaky.close();
    }
  });

  it("fails with AGENT_MAX_STEPS_EXCEEDED when the model never finishes", async () => {
    const looping = await startScriptedModel({ script: Array.from({ length: 5 }, () => ({ tool_calls: [{ name: "list_files", arguments: {} }] })) });
    const front = await startFakeGateway(looping.url);
    try {
      const run = await runAgentProcess(await workspace(), baseEnv(front.url, { CLAWEA_TASK: "loop", CLAWEA_MAX_STEPS: "2" }));
      expect(run.code).toBe(3);
      expect(run.lines.filter((l) => l["type"] === "model_call")).toHaveLength(2);
      expect(run.lines.at(-1)).toMatchObject({ type: "result", status: "failed", reason_code: "AGENT_MAX_STEPS_EXCEEDED" });
    } finally {
      await Promise.all([front.close(), looping.close()]);
    }
  });

  it("reports unknown tools and malformed arguments to the model, and ends when it stops calling tools", async () => {
    const scripted = await startScriptedModel({
      script: [
        { tool_calls: [{ name: "shell", arguments: { cmd: "rm -rf /" } }, { name: "write_file", arguments: "{not json" }, { name: "read_file", arguments: { path: "/etc/passwd" } }] },
        { content: "Nothing more to do." },
      ],
    });
    const front = await startFakeGateway(scripted.url);
    try {
      const run = await runAgentProcess(await workspace(), baseEnv(front.url, { CLAWEA_TASK: "try things" }));
      expect(run.code).toBe(0);
      expect(toolLines(run.lines)).toEqual([
        ["shell", "error", "TOOL_UNKNOWN"],
        ["write_file", "error", "TOOL_ARGUMENTS_INVALID"],
        ["read_file", "error", "SANDBOX_PATH_INVALID"],
      ]);
      expect(run.lines.at(-1)).toEqual({ type: "result", status: "completed", summary: "Nothing more to do." });
      const second = JSON.parse(front.requests[1]!.body) as { messages: { role: string; tool_call_id?: string }[] };
      expect(second.messages.filter((m) => m.role === "tool").map((m) => m.tool_call_id)).toEqual(["call_1_1", "call_1_2", "call_1_3"]);
    } finally {
      await Promise.all([front.close(), scripted.close()]);
    }
  });

  it("exits 1 with AGENT_CONFIG_INVALID when the environment names no model", async () => {
    const run = await runAgentProcess(await workspace(), { CLAWEA_TASK: "x", OPENAI_BASE_URL: gateway.url });
    expect(run.code).toBe(1);
    expect(run.lines).toEqual([{ type: "result", status: "failed", summary: expect.any(String), reason_code: "AGENT_CONFIG_INVALID" }]);
  });
});
