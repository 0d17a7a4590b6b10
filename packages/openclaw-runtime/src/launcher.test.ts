import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LaunchReport } from "./launch-protocol.js";
import { argsHash, canonicalJson, parseEnvelope, proxyEnv, stepsFromTranscript } from "./launcher.js";
import { NODE24_BIN, runtimeProblem } from "./runtime-paths.js";

/** The launcher's source: Node 24 runs it directly (type stripping), so the test needs no build. */
const LAUNCHER_SOURCE = fileURLToPath(new URL("./launcher.ts", import.meta.url));

const sha = (text: string): string => createHash("sha256").update(text, "utf8").digest("base64url");

describe("launcher helpers", () => {
  it("hashes tool arguments as canonical JSON, or the raw text when it is not JSON", () => {
    expect(canonicalJson({ b: 1, a: [true, null, "x"] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(argsHash({ path: "a", content: "b" })).toBe(sha('{"content":"b","path":"a"}'));
    expect(argsHash('{"path":"a","content":"b"}')).toBe(sha('{"content":"b","path":"a"}'));
    expect(argsHash("not json")).toBe(sha("not json"));
    expect(argsHash(undefined)).toBe(sha("null"));
  });

  it("finds OpenClaw's JSON envelope in stdout, pretty-printed or surrounded by noise", () => {
    expect(parseEnvelope('{\n  "ok": true,\n  "final": "hi"\n}\n')).toEqual({ ok: true, final: "hi" });
    expect(parseEnvelope('warning: x\n{"ok": false}\n')).toEqual({ ok: false });
    expect(parseEnvelope("no json here")).toBeNull();
    expect(parseEnvelope("[1,2]")).toBeNull();
  });

  it("gives the egress proxy the run's CST as its credential, and leaves URLs with credentials alone", () => {
    expect(proxyEnv({ CLAWEA_CST: "a.b/c", HTTP_PROXY: "http://127.0.0.1:18081", https_proxy: "http://u:p@127.0.0.1:18081" })).toEqual({ HTTP_PROXY: "http://run:a.b%2Fc@127.0.0.1:18081" });
    expect(proxyEnv({ HTTP_PROXY: "http://127.0.0.1:18081" })).toEqual({});
  });

  it("turns transcript messages into steps (usage, tool calls) and tool results", () => {
    const events = [
      { type: "session", id: "s" },
      { type: "message", message: { role: "user", content: "task" } },
      {
        type: "message",
        message: { role: "assistant", content: [{ type: "text", text: "writing" }, { type: "toolCall", id: "call_1", name: "write", arguments: { path: "a.md", content: "x" } }], usage: { input: 10, output: 2, totalTokens: 12 } },
      },
      { type: "message", message: { role: "toolResult", toolCallId: "call_1", toolName: "write", content: [{ type: "text", text: "Successfully wrote" }], isError: false } },
      { type: "message", message: { role: "assistant", content: [{ type: "text", text: "done" }] } },
      { type: "message", message: { role: "assistant", content: [], usage: { input: 0, output: 0 }, stopReason: "error", errorMessage: "400 POLICY_MODEL_DENIED: not allowed", errorCode: "POLICY_MODEL_DENIED" } },
    ];
    expect(stepsFromTranscript(events)).toEqual({
      steps: [
        { usage: { input: 10, output: 2 }, tool_calls: [{ id: "call_1", name: "write", args_sha256_b64u: argsHash({ path: "a.md", content: "x" }) }], error: null },
        { usage: null, tool_calls: [], error: null },
        { usage: { input: 0, output: 0 }, tool_calls: [], error: { code: "POLICY_MODEL_DENIED", message: "400 POLICY_MODEL_DENIED: not allowed" } },
      ],
      toolResults: [{ tool_call_id: "call_1", is_error: false, text: "Successfully wrote" }],
    });
  });
});

/** Stands in for openclaw.mjs: records how it was started, writes a transcript like OpenClaw's, answers per FAKE_MODE. */
const FAKE_OPENCLAW = String.raw`
import { writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
const args = process.argv.slice(2);
const opt = (name) => args[args.indexOf(name) + 1];
writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ args, cwd: process.cwd(), env: {
  HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, OPENCLAW_NO_AUTO_UPDATE: process.env.OPENCLAW_NO_AUTO_UPDATE,
  DO_NOT_TRACK: process.env.DO_NOT_TRACK, OPENCLAW_OFFLINE: process.env.OPENCLAW_OFFLINE, HTTP_PROXY: process.env.HTTP_PROXY },
  stateExists: existsSync(opt("--state-dir")), task: (await import("node:fs")).readFileSync(opt("--message-file"), "utf8"),
  config: (await import("node:fs")).readFileSync(opt("--config"), "utf8") }));
const mode = process.env.FAKE_MODE;
if (mode === "ok") {
  const dir = join(opt("--state-dir"), "agents", "main", "agent");
  (await import("node:fs")).mkdirSync(dir, { recursive: true });
  const db = new DatabaseSync(join(dir, "openclaw-agent.sqlite"));
  db.exec("create table transcript_events (session_id text, seq integer, event_json text, event_zstd blob)");
  const insert = db.prepare("insert into transcript_events values (?, ?, ?, null)");
  insert.run("other", 0, JSON.stringify({ type: "message", message: { role: "assistant", content: [], usage: { input: 1, output: 1 } } }));
  insert.run("s1", 0, JSON.stringify({ type: "message", message: { role: "assistant", content: [{ type: "toolCall", id: "c1", name: "write", arguments: { path: "a" } }], usage: { input: 100, output: 5 } } }));
  insert.run("s1", 1, JSON.stringify({ type: "message", message: { role: "toolResult", toolCallId: "c1", content: [{ type: "text", text: "Tool write not found" }], isError: true } }));
  insert.run("s1", 2, JSON.stringify({ type: "message", message: { role: "assistant", content: [{ type: "text", text: "done" }], usage: { input: 120, output: 3 } } }));
  db.close();
  process.stdout.write(JSON.stringify({ ok: true, status: "ok", final: "done", usage: { input: 220, output: 8, total: 228 }, sessionId: "s1" }, null, 2) + "\n");
} else if (mode === "error") {
  process.stdout.write(JSON.stringify({ ok: false, status: "error", final: "", error: { message: "400 POLICY_MODEL_DENIED", kind: "model" }, sessionId: null }) + "\n");
  process.exit(1);
} else if (mode === "timeout") {
  process.stdout.write(JSON.stringify({ ok: false, status: "timeout", final: "" }) + "\n");
  process.exit(2);
} else if (mode === "hang") {
  // Like openclaw.mjs: the work happens in a child process, which here never ends and holds stdout.
  const { spawn } = await import("node:child_process");
  const agent = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: ["ignore", "inherit", "inherit"] });
  writeFileSync(process.env.FAKE_RECORD + ".agent-pid", String(agent.pid));
  setInterval(() => {}, 1000);
} else {
  process.stdout.write("Segmentation fault? not JSON\n");
  process.exit(1);
}
`;

describe("the launcher, run by Node 24 with a stand-in OpenClaw", () => {
  let root: string;
  let fake: string;

  beforeAll(() => {
    const problem = runtimeProblem();
    if (problem !== null && !problem.includes("not built")) throw new Error(`the OpenClaw runtime is not usable here: ${problem}`);
    root = mkdtempSync(join(tmpdir(), "openclaw-launcher-"));
    fake = join(root, "fake-openclaw.mjs");
    writeFileSync(fake, FAKE_OPENCLAW);
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function run(mode: string, env: Record<string, string> = {}, keep = false, timing = { timeout_seconds: 30 } as { timeout_seconds: number; kill_grace_seconds?: number }): { report: LaunchReport; status: number | null; record: Record<string, unknown>; workspace: string; dir: string; recordFile: string } {
    const workspace = join(root, `ws-${mode}-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(workspace, "scratch"), { recursive: true });
    const record = join(root, `record-${mode}.json`);
    const request = { config: '{"models":{}}', task: "Write a note.", ...timing, dir: "../run.openclaw", keep };
    const result = spawnSync(NODE24_BIN, [LAUNCHER_SOURCE, "--entry", fake], {
      cwd: join(workspace, "scratch"),
      input: JSON.stringify(request),
      env: { PATH: process.env.PATH ?? "", FAKE_MODE: mode, FAKE_RECORD: record, ...env },
      encoding: "utf8",
    });
    const last = result.stdout.trim().split("\n").pop() ?? "";
    return { report: JSON.parse(last) as LaunchReport, status: result.status, record: JSON.parse(readFileSync(record, "utf8")) as Record<string, unknown>, workspace, dir: join(workspace, "run.openclaw"), recordFile: record };
  }

  it("runs `agent exec` with a fresh HOME, TMPDIR and state dir outside the workspace, reads the transcript, and removes the directory", () => {
    const { report, status, record, workspace, dir } = run("ok", { CLAWEA_CST: "tok", HTTP_PROXY: "http://127.0.0.1:18081" });
    expect(status).toBe(0);
    const scratch = join(workspace, "scratch");
    expect(record["cwd"]).toBe(scratch);
    expect(record["args"]).toEqual(["agent", "exec", "--message-file", join(dir, "task.md"), "--config", join(dir, "openclaw.json"), "--cwd", scratch, "--state-dir", join(dir, "state"), "--json", "--timeout", "30"]);
    expect(record["env"]).toEqual({ HOME: join(dir, "home"), TMPDIR: join(dir, "tmp"), OPENCLAW_NO_AUTO_UPDATE: "1", DO_NOT_TRACK: "1", OPENCLAW_OFFLINE: "1", HTTP_PROXY: "http://run:tok@127.0.0.1:18081" });
    expect(record["stateExists"]).toBe(true);
    expect(record["task"]).toBe("Write a note.");
    expect(record["config"]).toBe('{"models":{}}');
    expect(report).toMatchObject({ launcher: "clawea-openclaw/1", exit_code: 0, signal: null, error: null, transcript_error: null, result: { ok: true, final: "done", sessionId: "s1" } });
    // Only the reported session's transcript.
    expect(report.steps).toEqual([
      { usage: { input: 100, output: 5 }, tool_calls: [{ id: "c1", name: "write", args_sha256_b64u: argsHash({ path: "a" }) }], error: null },
      { usage: { input: 120, output: 3 }, tool_calls: [], error: null },
    ]);
    expect(report.tool_results).toEqual([{ tool_call_id: "c1", is_error: true, text: "Tool write not found" }]);
    expect(existsSync(dir)).toBe(false);
  });

  it("keeps the directory when asked", () => {
    const { dir } = run("ok", {}, true);
    expect(existsSync(join(dir, "state", "agents", "main", "agent", "openclaw-agent.sqlite"))).toBe(true);
  });

  it("passes OpenClaw's exit status on: 1 for an error, 2 for its timeout", () => {
    const failed = run("error");
    expect(failed.status).toBe(1);
    expect(failed.report).toMatchObject({ exit_code: 1, result: { status: "error", error: { message: "400 POLICY_MODEL_DENIED" } }, transcript_error: "no transcript database in the state dir" });
    const timedOut = run("timeout");
    expect(timedOut.status).toBe(2);
    expect(timedOut.report).toMatchObject({ exit_code: 2, result: { status: "timeout" } });
  });

  it("kills OpenClaw's whole process group after its timeout and grace, the agent process it started included", () => {
    const started = Date.now();
    const { report, status, dir, recordFile } = run("hang", {}, false, { timeout_seconds: 1, kill_grace_seconds: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(status).toBe(1);
    expect(report).toMatchObject({ exit_code: null, signal: "SIGKILL", killed_after_timeout: true, result: null });
    const agentPid = Number(readFileSync(`${recordFile}.agent-pid`, "utf8"));
    // Gone, or a zombie waiting for its reaper (SIGKILL is delivered asynchronously).
    const alive = (): boolean => {
      try {
        return !/\) Z /.test(readFileSync(`/proc/${agentPid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 40 && alive(); i++) spawnSync("sleep", ["0.05"]);
    expect(alive()).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it("reports stdout that is not OpenClaw's envelope", () => {
    const { report, status } = run("garbage");
    expect(status).toBe(1);
    expect(report.result).toBeNull();
    expect(report.stdout_tail).toContain("not JSON");
  });

  it("refuses a malformed request with exit 64", () => {
    const result = spawnSync(NODE24_BIN, [LAUNCHER_SOURCE, "--entry", fake], { cwd: root, input: '{"task": 1}', encoding: "utf8" });
    expect(result.status).toBe(64);
    expect((JSON.parse(result.stdout.trim().split("\n").pop() ?? "") as LaunchReport).error).toMatch(/config, task and dir/);
  });
});
