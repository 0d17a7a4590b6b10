/**
 * The in-sandbox launcher: `NODE24_BIN dist/launcher.js --entry OPENCLAW_ENTRY`, working directory =
 * the agent's workspace, a `LaunchRequest` on stdin. It gives OpenClaw a fresh private directory
 * (HOME, TMPDIR, state dir, config and task files), runs one headless task
 *
 *   NODE24_BIN OPENCLAW_ENTRY agent exec --message-file F --config C --cwd . --state-dir S --json --timeout T
 *
 * with update checks and telemetry off, reads the tool calls and per-call usage from the transcript
 * OpenClaw left in its state dir (SQLite, hence Node 24), removes the directory, and prints one
 * `LaunchReport` line. OpenClaw's logs go to stderr unchanged. It runs with Node 24 alone, so it
 * imports nothing but Node's own modules (types are erased).
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import * as zlib from "node:zlib";
import type { LaunchReport, LaunchRequest, LaunchStep, LaunchToolResult } from "./launch-protocol.js";

/** How long after its own `--timeout` OpenClaw may take to write its answer and exit before it is killed (seconds). */
const KILL_GRACE_SECONDS = 20;
const TRANSCRIPT_DB = ["agents", "main", "agent", "openclaw-agent.sqlite"] as const;

/** RFC 8785 for the values JSON.parse can produce. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no non-finite numbers");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON has no ${typeof value}`);
}

/** The hash the data plane records for a tool call's arguments (the reference agent's rule). */
export function argsHash(args: unknown): string {
  let text: string;
  if (typeof args === "string") {
    try {
      text = canonicalJson(JSON.parse(args));
    } catch {
      text = args;
    }
  } else {
    try {
      text = canonicalJson(args ?? null);
    } catch {
      text = String(args);
    }
  }
  return createHash("sha256").update(text, "utf8").digest("base64url");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** OpenClaw's `--json` envelope: stdout is one (pretty-printed) object; anything around it is tolerated. */
export function parseEnvelope(stdout: string): Record<string, unknown> | null {
  const text = stdout.trim();
  const candidates = [text, text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)];
  for (const candidate of candidates) {
    if (candidate === "") continue;
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (isRecord(parsed)) return parsed;
    } catch {
      // Try the next candidate.
    }
  }
  return null;
}

/** The sandbox's egress proxy URLs with the run's CST as the proxy credential (`run:<cst>@`), as the gateway's proxy expects. */
export function proxyEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const cst = env["CLAWEA_CST"];
  if (!cst) return {};
  const out: Record<string, string> = {};
  for (const name of ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"]) {
    const value = env[name];
    if (!value) continue;
    try {
      const url = new URL(value);
      if (url.username !== "" || url.password !== "") continue;
      url.username = "run";
      url.password = encodeURIComponent(cst);
      out[name] = url.toString().replace(/\/$/, "");
    } catch {
      // Not a URL: left as it is.
    }
  }
  return out;
}

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((part: unknown) => (isRecord(part) && typeof part["text"] === "string" ? part["text"] : "")).join("\n");
}

/** Assistant turns (usage, tool calls) and tool results from transcript events (`{type: "message", message: {...}}`), in order. */
export function stepsFromTranscript(events: readonly unknown[]): { steps: LaunchStep[]; toolResults: LaunchToolResult[] } {
  const steps: LaunchStep[] = [];
  const toolResults: LaunchToolResult[] = [];
  for (const event of events) {
    if (!isRecord(event) || event["type"] !== "message" || !isRecord(event["message"])) continue;
    const message = event["message"];
    if (message["role"] === "assistant") {
      const usage = isRecord(message["usage"]) ? { input: count(message["usage"]["input"]), output: count(message["usage"]["output"]) } : null;
      const calls = Array.isArray(message["content"]) ? message["content"] : [];
      const failed = message["stopReason"] === "error" || typeof message["errorMessage"] === "string";
      steps.push({
        usage,
        error: failed
          ? { code: typeof message["errorCode"] === "string" ? message["errorCode"] : null, message: typeof message["errorMessage"] === "string" ? message["errorMessage"].slice(0, 1000) : "" }
          : null,
        tool_calls: calls
          .filter((part: unknown): part is Record<string, unknown> => isRecord(part) && part["type"] === "toolCall")
          .map((part) => ({ id: String(part["id"] ?? ""), name: String(part["name"] ?? "?"), args_sha256_b64u: argsHash(part["arguments"]) })),
      });
    } else if (message["role"] === "toolResult") {
      toolResults.push({ tool_call_id: String(message["toolCallId"] ?? ""), is_error: message["isError"] === true, text: textOf(message["content"]).slice(0, 1000) });
    }
  }
  return { steps, toolResults };
}

interface SqliteModule {
  DatabaseSync: new (path: string, options: { readOnly: boolean }) => {
    prepare(sql: string): { all(...params: unknown[]): Record<string, unknown>[] };
    close(): void;
  };
}

/** The transcript rows of one session (or of every session when the id is unknown), decoded. */
async function readTranscript(stateDir: string, sessionId: string | null): Promise<unknown[]> {
  const path = join(stateDir, ...TRANSCRIPT_DB);
  if (!existsSync(path)) throw new Error("no transcript database in the state dir");
  const sqliteName = "node:sqlite";
  const { DatabaseSync } = (await import(sqliteName)) as SqliteModule;
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = sessionId
      ? db.prepare("select event_json, event_zstd from transcript_events where session_id = ? order by seq").all(sessionId)
      : db.prepare("select event_json, event_zstd from transcript_events order by session_id, seq").all();
    const zstd = (zlib as unknown as { zstdDecompressSync?: (data: Uint8Array) => Buffer }).zstdDecompressSync;
    return rows.flatMap((row) => {
      let text: string | null = typeof row["event_json"] === "string" ? row["event_json"] : null;
      if (text === null && row["event_zstd"] instanceof Uint8Array && zstd) text = zstd(row["event_zstd"]).toString("utf8");
      if (text === null) return [];
      try {
        return [JSON.parse(text) as unknown];
      } catch {
        return [];
      }
    });
  } finally {
    db.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseRequest(text: string): LaunchRequest {
  const value: unknown = JSON.parse(text);
  if (!isRecord(value)) throw new Error("the request must be a JSON object");
  const { config, task, timeout_seconds: timeout, dir, keep, kill_grace_seconds: grace } = value;
  if (typeof config !== "string" || typeof task !== "string" || typeof dir !== "string" || dir === "") throw new Error("config, task and dir must be strings");
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 1) throw new Error("timeout_seconds must be a positive integer");
  if (grace !== undefined && (typeof grace !== "number" || !Number.isInteger(grace) || grace < 0)) throw new Error("kill_grace_seconds must be a non-negative integer");
  return { config, task, timeout_seconds: timeout, dir, keep: keep === true, ...(grace === undefined ? {} : { kill_grace_seconds: grace }) };
}

function emptyReport(): LaunchReport {
  return {
    launcher: "clawea-openclaw/1",
    exit_code: null,
    signal: null,
    killed_after_timeout: false,
    result: null,
    steps: [],
    tool_results: [],
    transcript_error: null,
    error: null,
    stdout_tail: null,
  };
}

export async function launch(entry: string, request: LaunchRequest): Promise<LaunchReport> {
  const report = emptyReport();
  const dir = resolve(request.dir);
  const paths = { home: join(dir, "home"), tmp: join(dir, "tmp"), state: join(dir, "state"), config: join(dir, "openclaw.json"), task: join(dir, "task.md") };
  rmSync(dir, { recursive: true, force: true });
  for (const sub of [paths.home, paths.tmp, paths.state]) mkdirSync(sub, { recursive: true, mode: 0o700 });
  writeFileSync(paths.config, request.config, { mode: 0o600 });
  writeFileSync(paths.task, request.task, { mode: 0o600 });
  try {
    const args = [entry, "agent", "exec", "--message-file", paths.task, "--config", paths.config, "--cwd", process.cwd(), "--state-dir", paths.state, "--json", "--timeout", String(request.timeout_seconds)];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...proxyEnv(process.env),
      HOME: paths.home,
      TMPDIR: paths.tmp,
      OPENCLAW_NO_AUTO_UPDATE: "1",
      DO_NOT_TRACK: "1",
      OPENCLAW_OFFLINE: "1",
    };
    // Its own process group: `openclaw.mjs` runs the agent in a child process (`openclaw-agent`), and a kill must reach both.
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "inherit"], detached: true });
    const killGroup = (signal: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        child.kill(signal);
      }
    };
    const stdout: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    const stdoutEnded = new Promise<void>((done) => child.stdout.once("close", () => done()));
    process.once("SIGTERM", () => killGroup("SIGTERM"));
    process.once("SIGINT", () => killGroup("SIGINT"));
    const killer = setTimeout(() => {
      report.killed_after_timeout = true;
      killGroup("SIGKILL");
    }, (request.timeout_seconds + (request.kill_grace_seconds ?? KILL_GRACE_SECONDS)) * 1000);
    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done, fail) => {
      child.once("error", fail);
      child.once("exit", (code, signal) => done({ code, signal }));
    }).finally(() => clearTimeout(killer));
    // Whatever OpenClaw left running in its group goes with it; its stdout is read to the end (or given up after 2 s).
    killGroup("SIGKILL");
    await Promise.race([stdoutEnded, new Promise((done) => setTimeout(done, 2_000).unref())]);
    report.exit_code = outcome.code;
    report.signal = outcome.signal;
    const out = Buffer.concat(stdout).toString("utf8");
    report.result = parseEnvelope(out);
    if (report.result === null && out.trim() !== "") report.stdout_tail = out.slice(-2000);
    try {
      const sessionId = typeof report.result?.["sessionId"] === "string" ? report.result["sessionId"] : null;
      const { steps, toolResults } = stepsFromTranscript(await readTranscript(paths.state, sessionId));
      report.steps = steps;
      report.tool_results = toolResults;
    } catch (error) {
      report.transcript_error = error instanceof Error ? error.message : String(error);
    }
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
  } finally {
    if (request.keep !== true) rmSync(dir, { recursive: true, force: true });
  }
  return report;
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--entry");
  const entry = at === -1 ? undefined : process.argv[at + 1];
  let report: LaunchReport;
  try {
    if (!entry) throw new Error("usage: launcher --entry <openclaw.mjs> < request.json");
    report = await launch(entry, parseRequest(await readStdin()));
  } catch (error) {
    report = { ...emptyReport(), error: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(`\n${JSON.stringify(report)}\n`);
  process.exitCode = report.error !== null ? 64 : (report.exit_code ?? 1);
}

/** Run as a program (possibly through a symlink), not imported. */
function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isMain()) await main();
