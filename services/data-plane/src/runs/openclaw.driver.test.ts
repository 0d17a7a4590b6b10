import { spawnSync } from "node:child_process";
import { HOST_PROGRAMS } from "../sandbox/local.provider.js";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NODE24_BIN, OPENCLAW_ENTRY, OPENCLAW_LAUNCHER, runtimeProblem, type LaunchReport } from "@clawea/openclaw-runtime";
import { sha256B64u } from "@clawea/protocol";
import { startScriptedModel, type ScriptedModel } from "@clawea/reference-agent";
import { LocalSandboxProvider } from "../sandbox/local.provider.js";
import type { ExecOptions, ExecResult, SandboxProvider } from "../sandbox/sandbox.provider.js";
import { runAgent, type AgentRunInput } from "./agent-runner.js";
import { launchRequest, linesOf, openclawTimeoutSeconds, parseLaunchReport, permissionsOf, reasonCodeIn, resultOf, runDirOf, runOpenClaw } from "./openclaw.driver.js";
import { workspace } from "./workspace-tool.js";

const input = (over: Partial<AgentRunInput> = {}): AgentRunInput => ({
  sandboxId: "agt_1",
  runtime: "openclaw",
  scratch: ".clawea-runs/run_1/plan",
  task: "Write the note.",
  model: "scripted/scripted-1",
  phase: "plan",
  cst: "cst.token",
  timeoutMs: 600_000,
  ...over,
});

const report = (over: Partial<LaunchReport> = {}): LaunchReport => ({
  launcher: "clawea-openclaw/1",
  exit_code: 0,
  signal: null,
  killed_after_timeout: false,
  result: { ok: true, status: "ok", final: "Wrote notes/a.md.", usage: { input: 200, output: 20, total: 220 }, sessionId: "s1" },
  steps: [
    { usage: { input: 100, output: 15 }, tool_calls: [{ id: "call_1", name: "write", args_sha256_b64u: "h1" }], error: null },
    { usage: { input: 100, output: 5 }, tool_calls: [], error: null },
  ],
  tool_results: [{ tool_call_id: "call_1", is_error: false, text: "Successfully wrote 5 bytes" }],
  transcript_error: null,
  error: null,
  stdout_tail: null,
  ...over,
});

/** Answers every exec with the given result and remembers what it was asked. */
class ScriptedExecProvider implements SandboxProvider {
  readonly name = "scripted-exec";
  readonly programs = HOST_PROGRAMS;
  readonly execs: { command: readonly string[]; options: ExecOptions }[] = [];
  constructor(private readonly answer: (command: readonly string[]) => Partial<ExecResult>) {}
  async exec(_id: string, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.execs.push({ command, options });
    return { exitCode: 0, signal: null, stdout: new Uint8Array(), stderr: new Uint8Array(), durationMs: 1000, ...this.answer(command) };
  }
  create = (): never => {
    throw new Error("not used");
  };
  writeFile = this.create;
  readFile = this.create;
  stop = this.create;
  start = this.create;
  destroy = this.create;
  stats = this.create;
}

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));
const noExec = { exitCode: 0, signal: null, timedOut: false, stderr: "" };

describe("the OpenClaw driver's request", () => {
  it("renders OpenClaw's config with the gateway and the CST as env references (no token in the request), the model, and tools per the WPC", () => {
    const request = launchRequest(input({ openclaw: { toolsProfile: "minimal", policy: { side_effect_kinds: ["network_egress"] } } }));
    expect(request.dir).toBe("../plan.openclaw");
    expect(request.timeout_seconds).toBe(560);
    expect(request.task).toBe("Write the note.");
    expect(request.config).not.toContain("cst.token");
    const config = JSON.parse(request.config) as { models: { providers: Record<string, { baseUrl: string; request: { auth: unknown } }> }; agents: unknown; tools: { profile: string; deny: string[]; exec: unknown } };
    expect(config.models.providers["clawea"]).toMatchObject({ baseUrl: "${CLAWEA_GATEWAY_URL}", request: { auth: { mode: "header", headerName: "X-CST", value: "${CLAWEA_CST}" } } });
    expect(config.agents).toEqual({ defaults: { model: { primary: "clawea/scripted/scripted-1" }, utilityModel: "" } });
    expect(config.tools.profile).toBe("minimal");
    expect(config.tools.exec).toEqual({ mode: "deny" });
    expect(config.tools.deny).toEqual(expect.arrayContaining(["write", "edit", "apply_patch", "group:runtime"]));
    expect(config.tools.deny).not.toContain("group:web");
  });

  it("without the WPC: coding profile, file changes allowed (the plan's diff is judged by the WPC), no web, no shell", () => {
    expect(permissionsOf(undefined)).toEqual({ networkEgress: false, filesystemWrite: true, exec: false });
    expect(permissionsOf({ policy: { side_effect_kinds: ["filesystem_write", "network_egress"] } })).toEqual({ networkEgress: true, filesystemWrite: true, exec: false });
    const config = JSON.parse(launchRequest(input({ openclaw: { toolsProfile: "everything" } })).config) as { tools: { profile: string; deny: string[] } };
    expect(config.tools.profile).toBe("coding");
    expect(config.tools.deny).toEqual(expect.arrayContaining(["group:web", "group:runtime"]));
    expect(config.tools.deny).not.toContain("write");
  });

  it("keeps OpenClaw's private directory beside the scratch copy, and its timeout inside the phase's", () => {
    expect(runDirOf(".clawea-runs/run_1/apply")).toBe("../apply.openclaw");
    expect(openclawTimeoutSeconds(600_000)).toBe(560);
    expect(openclawTimeoutSeconds(60_000)).toBe(30);
    expect(openclawTimeoutSeconds(4_000)).toBe(5);
  });
});

describe("the OpenClaw driver's mapping of the launcher's report", () => {
  it("finds the report as the last launcher line of stdout", () => {
    expect(parseLaunchReport(`noise\n${JSON.stringify(report())}\n`)?.result).toMatchObject({ final: "Wrote notes/a.md." });
    expect(parseLaunchReport('{"launcher":"other"}\nnot json')).toBeNull();
  });

  it("gives one model-call line per assistant turn (no receipt id: the gateway binds receipts itself) and one tool-call line per call", () => {
    expect(linesOf(report())).toEqual([
      { type: "model_call", step: 1, receipt_id: null, tokens: { in: 100, out: 15 } },
      { type: "tool_call", step: 1, name: "write", args_sha256_b64u: "h1", outcome: "ok" },
      { type: "model_call", step: 2, receipt_id: null, tokens: { in: 100, out: 5 } },
    ]);
  });

  it("classifies failed tool calls by the reason code their result names", () => {
    const call = (id: string, name: string) => ({ id, name, args_sha256_b64u: id });
    const lines = linesOf(
      report({
        steps: [{ usage: null, tool_calls: [call("a", "web_fetch"), call("b", "web_fetch"), call("c", "finish"), call("d", "write"), call("e", "read")], error: null }],
        tool_results: [
          { tool_call_id: "a", is_error: true, text: "428 PLAN_PHASE_SIDE_EFFECT_CAPTURED: recorded as intended" },
          { tool_call_id: "b", is_error: true, text: "403 POLICY_EGRESS_DENIED" },
          { tool_call_id: "c", is_error: true, text: "Tool finish not found" },
          { tool_call_id: "d", is_error: true, text: "EACCES: permission denied" },
        ],
      }),
    );
    expect(lines.filter((l) => l.type === "tool_call").map((l) => (l.type === "tool_call" ? [l.name, l.outcome, l.reason_code] : []))).toEqual([
      ["web_fetch", "captured", "PLAN_PHASE_SIDE_EFFECT_CAPTURED"],
      ["web_fetch", "denied", "POLICY_EGRESS_DENIED"],
      ["finish", "error", "TOOL_UNKNOWN"],
      ["write", "error", "TOOL_FAILED"],
      ["read", "error", "TOOL_NOT_COMPLETED"],
    ]);
  });

  it("falls back to OpenClaw's toolSummary (names only) when the transcript could not be read", () => {
    const lines = linesOf(report({ steps: [], tool_results: [], transcript_error: "no transcript", result: { ok: true, status: "ok", final: "x", toolSummary: { calls: 2, tools: ["read", "write"], failures: 0 } } }));
    expect(lines).toEqual([
      { type: "tool_call", step: 0, name: "read", args_sha256_b64u: sha256B64u("null"), outcome: "ok" },
      { type: "tool_call", step: 0, name: "write", args_sha256_b64u: sha256B64u("null"), outcome: "ok" },
    ]);
  });

  it("completed only on exit 0 with an ok answer; the summary is OpenClaw's final text", () => {
    expect(resultOf(report(), noExec, 60)).toEqual({ type: "result", status: "completed", summary: "Wrote notes/a.md." });
    expect(resultOf(report({ result: { ok: false, status: "error", final: "" } }), noExec, 60)).toMatchObject({ status: "failed", reason_code: "RUN_AGENT_FAILED" });
    expect(resultOf(report({ result: null, stdout_tail: "garbage" }), noExec, 60)).toMatchObject({ status: "failed", reason_code: "RUN_AGENT_FAILED" });
  });

  it("exit 1 names the gateway's reason code when OpenClaw's error carries one, else RUN_AGENT_FAILED", () => {
    const denied = report({ exit_code: 1, result: { ok: false, status: "error", final: "", error: { message: "400 POLICY_MODEL_DENIED: The policy does not allow this model", kind: "model" } } });
    expect(resultOf(denied, { ...noExec, exitCode: 1 }, 60)).toMatchObject({ status: "failed", reason_code: "POLICY_MODEL_DENIED" });
    expect(reasonCodeIn("SOME_RANDOM_WORDS and OK")).toBeNull();
    // OpenClaw's own message is generic; the refused call in the transcript has the gateway's code (and gets no model-call line).
    const refused = report({
      exit_code: 1,
      result: { ok: false, status: "error", final: "", error: { message: "LLM request failed: provider rejected the request schema or tool payload.", kind: "exception" } },
      steps: [{ usage: { input: 0, output: 0 }, tool_calls: [], error: { code: "POLICY_BUDGET_EXCEEDED", message: "429 POLICY_BUDGET_EXCEEDED: the run's token budget is used up" } }],
      tool_results: [],
    });
    expect(resultOf(refused, { ...noExec, exitCode: 1 }, 60)).toMatchObject({ reason_code: "POLICY_BUDGET_EXCEEDED", summary: expect.stringContaining("token budget") });
    expect(linesOf(refused)).toEqual([]);
    const plain = report({ exit_code: 1, result: { ok: false, status: "error", final: "", error: { message: "boom", kind: "internal" } } });
    expect(resultOf(plain, { ...noExec, exitCode: 1 }, 60)).toMatchObject({ status: "failed", reason_code: "RUN_AGENT_FAILED", summary: expect.stringContaining("boom") });
  });

  it("OpenClaw's timeout (exit 2), the launcher's kill and the exec's time limit are RUN_AGENT_TIMEOUT", () => {
    expect(resultOf(report({ exit_code: 2, result: { ok: false, status: "timeout", final: "" } }), { ...noExec, exitCode: 2 }, 60)).toMatchObject({ status: "failed", reason_code: "RUN_AGENT_TIMEOUT" });
    expect(resultOf(report({ exit_code: null, signal: "SIGKILL", killed_after_timeout: true, result: null }), noExec, 60)).toMatchObject({ reason_code: "RUN_AGENT_TIMEOUT" });
    expect(resultOf(null, { exitCode: 137, signal: "SIGKILL", timedOut: true, stderr: "" }, 60)).toMatchObject({ reason_code: "RUN_AGENT_TIMEOUT" });
    expect(resultOf(null, { exitCode: 1, signal: null, timedOut: false, stderr: "crash" }, 60)).toMatchObject({ reason_code: "RUN_AGENT_FAILED", summary: expect.stringContaining("crash") });
  });

  it("a timeout spent retrying a refused call (OpenClaw retries 429s for minutes) names the gateway's code", () => {
    const retried = report({
      exit_code: null,
      signal: "SIGKILL",
      killed_after_timeout: true,
      result: null,
      steps: [{ usage: { input: 0, output: 0 }, tool_calls: [], error: { code: "POLICY_BUDGET_EXCEEDED", message: "429 POLICY_BUDGET_EXCEEDED: budget used up" } }],
    });
    expect(resultOf(retried, noExec, 60)).toMatchObject({ reason_code: "POLICY_BUDGET_EXCEEDED", summary: expect.stringContaining("kept retrying") });
  });

  it("out of memory: V8's abort (also a data rlimit's) or a SIGKILL from inside the sandbox", () => {
    const v8 = "\n#\n# Fatal process out of memory: Failed to reserve virtual memory for CodeRange\n#";
    expect(resultOf(report({ exit_code: null, signal: "SIGTRAP", result: null }), { ...noExec, exitCode: 1, stderr: v8 }, 60)).toMatchObject({
      reason_code: "RUN_AGENT_OUT_OF_MEMORY",
      summary: expect.stringContaining("cgroup memory limit"),
    });
    expect(resultOf(report({ exit_code: null, signal: "SIGKILL", result: null }), { ...noExec, exitCode: 1 }, 60)).toMatchObject({ reason_code: "RUN_AGENT_OUT_OF_MEMORY" });
  });
});

describe("runOpenClaw on a provider", () => {
  it("runs the launcher with Node 24 in the scratch copy, the request on stdin and the CST only in the env", async () => {
    const provider = new ScriptedExecProvider(() => ({ stdout: bytes(`${JSON.stringify(report())}\n`), stderr: bytes("openclaw log\n") }));
    const result = await runAgent(provider, input({ extraEnv: { CLAWEA_PLAN_HINT: "x" } }));
    expect(provider.execs).toHaveLength(1);
    const [exec] = provider.execs;
    expect(exec!.command).toEqual([NODE24_BIN, OPENCLAW_LAUNCHER, "--entry", OPENCLAW_ENTRY]);
    expect(exec!.options).toMatchObject({ cwd: ".clawea-runs/run_1/plan", timeoutMs: 600_000, env: { CLAWEA_RUN_PHASE: "plan", CLAWEA_CST: "cst.token", CLAWEA_PLAN_HINT: "x" } });
    expect(JSON.parse(exec!.options.stdin ?? "")).toMatchObject({ task: "Write the note.", dir: "../plan.openclaw", timeout_seconds: 560 });
    expect(exec!.options.stdin).not.toContain("cst.token");
    expect(result).toMatchObject({ result: { status: "completed", summary: "Wrote notes/a.md." }, exitCode: 0, signal: null, stderrTail: "openclaw log\n" });
    expect(result.lines.filter((l) => l.type === "tool_call")).toHaveLength(1);
  });

  it("removes OpenClaw's private directory itself when the exec was killed", async () => {
    const provider = new ScriptedExecProvider((command) => (command[0] === NODE24_BIN ? { exitCode: 137, signal: "SIGKILL", durationMs: 5_000 } : {}));
    const result = await runOpenClaw(provider, input({ timeoutMs: 5_000 }));
    expect(result.result).toMatchObject({ status: "failed", reason_code: "RUN_AGENT_TIMEOUT" });
    expect(provider.execs).toHaveLength(2);
    expect(provider.execs[1]!.command.slice(-1)).toEqual(["../plan.openclaw"]);
    expect(provider.execs[1]!.options.cwd).toBe(".clawea-runs/run_1/plan");
  });

  it("refuses a model that is not a gateway model name, without running anything", async () => {
    const provider = new ScriptedExecProvider(() => ({}));
    const result = await runOpenClaw(provider, input({ model: "gpt-4.1" }));
    expect(result.result).toMatchObject({ status: "failed", reason_code: "AGENT_CONFIG_INVALID" });
    expect(provider.execs).toHaveLength(0);
  });
});

const CST = "cst.for-this-run";

describe("OpenClaw in a local sandbox (real OpenClaw, real namespaces)", () => {
  let root: string;
  let provider: LocalSandboxProvider;
  let model: ScriptedModel;
  let gateway: Server;
  const seen: { cst: string | undefined; stream: boolean }[] = [];
  const sandboxId = "agt_openclaw_driver";

  beforeAll(async () => {
    const problem = runtimeProblem();
    if (problem !== null) throw new Error(`OpenClaw cannot run here: ${problem}`);
    if (process.getuid?.() !== 0) throw new Error("local sandbox tests need root (unshare of mount/pid/net namespaces); run as root");
    const probe = spawnSync("unshare", ["--fork", "--pid", "--mount-proc", "--net", "--mount", "true"]);
    if (probe.status !== 0) throw new Error(`local sandbox tests need a working unshare: ${String(probe.stderr)}`);
    // OpenClaw's own tool names (`write`), then a plain answer.
    model = await startScriptedModel({ script: [{ tool_calls: [{ name: "write", arguments: { path: "notes/openclaw.md", content: "Hello from OpenClaw." } }] }, { content: "Wrote notes/openclaw.md." }] });
    const upstream = new URL(model.url);
    // The gateway's part in this test: the CST must come as X-CST; then the call goes to the scripted model.
    gateway = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        seen.push({ cst: req.headers["x-cst"] as string | undefined, stream: (JSON.parse(body.toString("utf8") || "{}") as { stream?: boolean }).stream === true });
        if (req.headers["x-cst"] !== CST) return void res.writeHead(400).end('{"error":{"code":"CST_MALFORMED"}}');
        const up = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url ?? "/", method: req.method, headers: { "content-type": "application/json" } }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        up.end(body);
      });
    });
    await new Promise<void>((done) => gateway.listen(0, "127.0.0.1", done));
    const port = (gateway.address() as AddressInfo).port;
    root = mkdtempSync(join(tmpdir(), "clawea-openclaw-sbx-"));
    provider = new LocalSandboxProvider({ root });
    // tpl_openclaw_standard's resources.
    await provider.create({
      id: sandboxId,
      tenantId: "ten_test",
      runtime: "openclaw",
      cpuMillis: 2000,
      memoryMb: 2048,
      diskMb: 8192,
      stateless: false,
      gateway: { modelUrl: `http://127.0.0.1:${port}/v1`, egressProxyUrl: `http://127.0.0.1:${port}` },
    });
  });

  afterAll(async () => {
    await provider?.destroy(sandboxId);
    await model?.close();
    await new Promise<void>((done) => (gateway ? gateway.close(() => done()) : done()));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    "does the task on the scratch copy through the gateway only, and leaves nothing of OpenClaw in the workspace",
    async () => {
      const scratch = ".clawea-runs/run_oc/plan";
      await workspace.prepare(provider, sandboxId, scratch);
      const result = await runOpenClaw(provider, input({ sandboxId, scratch, cst: CST, timeoutMs: 180_000 }));
      expect(result.result, result.stderrTail).toEqual({ type: "result", status: "completed", summary: "Wrote notes/openclaw.md." });
      expect(result.exitCode).toBe(0);
      expect(result.lines.map((l) => l.type)).toEqual(["model_call", "tool_call", "model_call"]);
      expect(result.lines[1]).toMatchObject({ type: "tool_call", step: 1, name: "write", outcome: "ok" });
      expect(seen).toEqual([
        { cst: CST, stream: true },
        { cst: CST, stream: true },
      ]);
      expect(await workspace.manifest(provider, sandboxId, scratch)).toMatchObject([{ path: "notes/openclaw.md", size_bytes: 20 }]);
      // The private directory (HOME, state, transcripts, config) is gone; the workspace itself is untouched.
      expect(existsSync(join(root, sandboxId, "workspace/.clawea-runs/run_oc/plan.openclaw"))).toBe(false);
      expect(await workspace.manifest(provider, sandboxId, ".")).toEqual([]);
      const peakFile = `/sys/fs/cgroup/memory/clawea-${sandboxId}/memory.max_usage_in_bytes`;
      const peak = (await provider.limits()) === "cgroup-v1" && existsSync(peakFile) ? Number(readFileSync(peakFile, "utf8").trim()) : 0;
      if (peak > 0) console.info(`openclaw sandbox: ${Math.round(result.durationMs)} ms, peak cgroup memory ${Math.round(peak / 2 ** 20)} MiB (limit 2048 MiB)`);
    },
    180_000,
  );
});
