/**
 * The OpenClaw run driver: one task of one run phase, headless, in the agent's sandbox, on the phase's
 * scratch copy. The sandbox runs `<node24> <launcher> --entry <openclaw>` (the provider's
 * `programs.openclaw`: for `local`, `@clawea/openclaw-runtime`'s read-only host files), working directory = the
 * scratch copy, the request on stdin. The launcher gives OpenClaw a fresh HOME/TMPDIR/state dir in
 * `<scratch>.openclaw` (beside the scratch copy, so neither diff sees it; OpenClaw keeps key cooldowns
 * and sessions there), runs `agent exec --message-file … --config … --cwd <scratch> --state-dir …
 * --json --timeout S` with update checks and telemetry off, and reports OpenClaw's JSON answer plus
 * the tool calls and per-call usage from its transcript. This driver maps that report onto the
 * reference runtime's `AgentRunResult`: model-call and tool-call lines, and one result line.
 *
 * OpenClaw's only credential is the run's CST: it reaches the config as `${CLAWEA_CST}` from the
 * environment (not written to disk) and goes out as `X-CST` on every model call to the gateway
 * (`${CLAWEA_GATEWAY_URL}`, which the provider sets), where each call is decided, receipted and bound
 * to the run's event chain. The tools it is offered follow the WPC (`toolRulesFor`).
 */
import { isToolsProfile, renderOpenclawConfig, runtimeProblem, toolRulesFor, type LaunchReport, type LaunchRequest, type SideEffectPermissions, type ToolsProfile } from "@clawea/openclaw-runtime";
import { isReasonCode, sha256B64u } from "@clawea/protocol";
import type { ModelCallLine, OutputLine, ResultLine, ToolCallLine, ToolOutcome } from "@clawea/reference-agent";
import type { SandboxProvider } from "../sandbox/sandbox.provider.js";
import type { AgentRunInput, AgentRunResult } from "./agent-runner.js";

/** What only an OpenClaw run needs to know, from the agent and the run (all optional: without them the driver is conservative). */
export interface OpenClawRunOptions {
  /** The agent's `config.tools_profile` (`minimal|coding|messaging|full`); `coding` when absent or unknown. */
  toolsProfile?: unknown;
  /** The WPC in force (`Policy.side_effect_kinds`): web tools only with egress, file-changing tools only with filesystem writes. */
  policy?: { readonly side_effect_kinds: readonly string[] };
  /** Shell commands (`group:runtime`, exec mode `allowlist`); no WPC action grants them. Default: denied. */
  execAllowed?: boolean;
}

export const OPENCLAW_DRIVER_CODES = {
  /** OpenClaw failed (exit 1, no answer, a crash) and named no gateway reason code. */
  failed: "RUN_AGENT_FAILED",
  /** OpenClaw hit its own timeout (exit 2), or the sandbox exec was killed at the phase's time limit. */
  timeout: "RUN_AGENT_TIMEOUT",
  /** Node 24 or OpenClaw is missing on this data plane (`pnpm install`), or the runtime package is not built. */
  unavailable: "OPENCLAW_RUNTIME_UNAVAILABLE",
  /**
   * OpenClaw ran out of memory: V8 aborted ("Fatal process out of memory", which is also how a
   * `RLIMIT_DATA` too small for V8's code ranges shows), or it was SIGKILLed inside the sandbox (the
   * cgroup's OOM killer). Needs ~0.7-0.9 GB.
   */
  outOfMemory: "RUN_AGENT_OUT_OF_MEMORY",
  /** The agent's model is not a gateway model name (`<provider>/<model>`). */
  config: "AGENT_CONFIG_INVALID",
} as const;

/** Codes for a tool call that did not succeed, when its result names no gateway code. */
const TOOL_CODES = { unknown: "TOOL_UNKNOWN", failed: "TOOL_FAILED", noResult: "TOOL_NOT_COMPLETED", detailUnavailable: "TOOL_OUTCOME_UNKNOWN" } as const;

/** Without the WPC: no web (it could only be captured or refused), file changes allowed (they are the plan, and the WPC judges each one), no shell. */
export const DEFAULT_PERMISSIONS: SideEffectPermissions = { networkEgress: false, filesystemWrite: true, exec: false };

/**
 * OpenClaw's own `--timeout` for a phase limit: enough below it that OpenClaw (startup ~5-10 s) can
 * time out, answer and be reported before the sandbox exec is killed (the launcher kills it 20 s
 * after its timeout).
 */
export function openclawTimeoutSeconds(timeoutMs: number): number {
  const seconds = Math.floor(timeoutMs / 1000);
  return seconds >= 80 ? seconds - 40 : Math.max(5, Math.floor(seconds / 2));
}

export function permissionsOf(options: OpenClawRunOptions | undefined): SideEffectPermissions {
  if (options?.policy === undefined) return { ...DEFAULT_PERMISSIONS, exec: options?.execAllowed === true };
  const kinds = options.policy.side_effect_kinds;
  return { networkEgress: kinds.includes("network_egress"), filesystemWrite: kinds.includes("filesystem_write"), exec: options.execAllowed === true };
}

/** The run's private OpenClaw directory, relative to the scratch copy: its sibling `<phase>.openclaw`. */
export function runDirOf(scratch: string): string {
  const name = scratch.split("/").filter((p) => p !== "" && p !== ".").pop() ?? "phase";
  return `../${name}.openclaw`;
}

export function launchRequest(input: AgentRunInput): LaunchRequest {
  const rules = toolRulesFor(permissionsOf(input.openclaw));
  const requested = input.openclaw?.toolsProfile;
  const profile: ToolsProfile = isToolsProfile(requested) ? requested : "coding";
  const config = renderOpenclawConfig({
    gatewayBaseUrl: "${CLAWEA_GATEWAY_URL}",
    cst: "${CLAWEA_CST}",
    model: input.model,
    toolsProfile: profile,
    denyTools: rules.denyTools,
    execMode: rules.execMode,
  });
  return { config, task: input.task, timeout_seconds: openclawTimeoutSeconds(input.timeoutMs), dir: runDirOf(input.scratch) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The launcher's report: the last line of stdout that parses as one. The sandbox's stdout is not trusted to be well-formed. */
export function parseLaunchReport(stdout: string): LaunchReport | null {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const value: unknown = JSON.parse(lines[i]!);
      if (isRecord(value) && value["launcher"] === "clawea-openclaw/1") {
        const report = value as unknown as LaunchReport;
        return {
          ...report,
          steps: Array.isArray(report.steps) ? report.steps.filter(isRecord) : [],
          tool_results: Array.isArray(report.tool_results) ? report.tool_results.filter(isRecord) : [],
          result: isRecord(report.result) ? report.result : null,
        };
      }
    } catch {
      // Not the report.
    }
  }
  return null;
}

/** The first clawea reason code named in a text (a gateway denial surfaces in OpenClaw's error and tool messages). */
export function reasonCodeIn(text: string): string | null {
  for (const match of text.matchAll(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g)) {
    if (match[0] !== "OK" && isReasonCode(match[0])) return match[0];
  }
  return null;
}

function toolOutcome(result: { is_error?: unknown; text?: unknown } | undefined): { outcome: ToolOutcome; reason_code?: string } {
  if (result === undefined) return { outcome: "error", reason_code: TOOL_CODES.noResult };
  if (result.is_error !== true) return { outcome: "ok" };
  const text = typeof result.text === "string" ? result.text : "";
  const code = reasonCodeIn(text);
  if (code === "PLAN_PHASE_SIDE_EFFECT_CAPTURED") return { outcome: "captured", reason_code: code };
  if (code !== null) return { outcome: code.startsWith("EGRESS_UPSTREAM") || code.startsWith("UPSTREAM") ? "error" : "denied", reason_code: code };
  if (/^Tool \S+ not found/i.test(text)) return { outcome: "error", reason_code: TOOL_CODES.unknown };
  return { outcome: "error", reason_code: TOOL_CODES.failed };
}

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0);

/** Model-call and tool-call lines from the transcript's steps; from `toolSummary` (names only) when the transcript could not be read. */
export function linesOf(report: LaunchReport): OutputLine[] {
  const lines: OutputLine[] = [];
  const results = new Map(report.tool_results.map((r) => [String(r.tool_call_id), r]));
  report.steps.forEach((step, i) => {
    const usage: Record<string, unknown> = isRecord(step.usage) ? step.usage : {};
    // Like the reference agent: a line per model call that answered (a refused call is in the result and the gateway's receipt).
    if (!isRecord(step.error)) {
      const call: ModelCallLine = { type: "model_call", step: i + 1, receipt_id: null, tokens: { in: count(usage["input"]), out: count(usage["output"]) } };
      lines.push(call);
    }
    for (const tool of Array.isArray(step.tool_calls) ? step.tool_calls.filter(isRecord) : []) {
      const line: ToolCallLine = { type: "tool_call", step: i + 1, name: String(tool["name"] ?? "?"), args_sha256_b64u: String(tool["args_sha256_b64u"] ?? ""), ...toolOutcome(results.get(String(tool["id"] ?? ""))) };
      lines.push(line);
    }
  });
  const summary = report.result?.["toolSummary"];
  if (report.steps.length === 0 && isRecord(summary) && Array.isArray(summary["tools"])) {
    // Names only: no step, no arguments (the hash of `null`), no per-call outcome.
    const failed = count(summary["failures"]) > 0;
    for (const name of summary["tools"]) {
      lines.push({ type: "tool_call", step: 0, name: String(name), args_sha256_b64u: sha256B64u("null"), ...(failed ? { outcome: "error" as const, reason_code: TOOL_CODES.detailUnavailable } : { outcome: "ok" as const }) });
    }
  }
  return lines;
}

/** The last failed model call in OpenClaw's transcript: its message and the gateway's reason code, when it named one. */
function refusedCall(report: LaunchReport | null): { code: string | null; message: string } | null {
  const error = [...(report?.steps ?? [])].reverse().find((step) => isRecord(step.error))?.error;
  if (!isRecord(error)) return null;
  const message = typeof error["message"] === "string" ? error["message"] : "";
  const code = typeof error["code"] === "string" && error["code"] !== "OK" && isReasonCode(error["code"]) ? error["code"] : reasonCodeIn(message);
  return { code, message };
}

/** The run's outcome from OpenClaw's exit status and answer, and how the exec ended. */
export function resultOf(report: LaunchReport | null, exec: { exitCode: number; signal: string | null; timedOut: boolean; stderr: string }, timeoutSeconds: number): ResultLine {
  const failed = (reason: string, summary: string): ResultLine => ({ type: "result", status: "failed", summary, reason_code: reason });
  const answer = report?.result ?? null;
  const final = typeof answer?.["final"] === "string" ? answer["final"] : "";
  // OpenClaw's own error message is generic ("provider rejected the request"); the failed call in its transcript keeps the gateway's code.
  const refused = refusedCall(report);
  if (exec.timedOut || report?.killed_after_timeout === true || report?.exit_code === 2 || answer?.["status"] === "timeout") {
    // OpenClaw retries a 429 (the gateway's POLICY_BUDGET_EXCEEDED among them) for minutes: the refusal is the cause, not the clock.
    if (refused?.code) return failed(refused.code, `OpenClaw kept retrying a refused model call until its time limit (${timeoutSeconds} s for the task): ${refused.message}`);
    return failed(OPENCLAW_DRIVER_CODES.timeout, `OpenClaw did not finish within its time limit (${timeoutSeconds} s for the task)${final ? `: ${final}` : ""}`);
  }
  if (report === null) return failed(OPENCLAW_DRIVER_CODES.failed, `OpenClaw's launcher gave no report (exit ${exec.exitCode}${exec.signal ? `, ${exec.signal}` : ""}): ${exec.stderr.slice(-300)}`);
  if (report.error !== null) return failed(OPENCLAW_DRIVER_CODES.failed, `OpenClaw could not be launched: ${report.error}`);
  if (report.exit_code === 0 && answer?.["ok"] === true && answer["status"] === "ok") return { type: "result", status: "completed", summary: final };
  if (/Fatal process out of memory|JavaScript heap out of memory/.test(exec.stderr) || (report.signal === "SIGKILL" && report.exit_code === null)) {
    const v8 = /Fatal process out of memory: [^\n]*|JavaScript heap out of memory/.exec(exec.stderr)?.[0];
    const virtual = v8?.includes("reserve virtual memory")
      ? "; this is address space, not RAM: a data-size rlimit counts V8's executable code range (~0.5 GB per isolate and worker) and stops OpenClaw at any practical size, so the sandbox needs a cgroup memory limit"
      : "";
    return failed(OPENCLAW_DRIVER_CODES.outOfMemory, `OpenClaw ran out of memory in the sandbox (${v8 ?? "killed with SIGKILL, most likely by the sandbox's memory limit"}); it needs about 0.9 GB${virtual}`);
  }
  const error = isRecord(answer?.["error"]) ? answer["error"] : {};
  const message = typeof error["message"] === "string" ? error["message"] : "";
  const detail = [message, refused?.message ?? ""].filter((m) => m !== "").join(": ") || final || (report.stdout_tail ?? "") || exec.stderr.slice(-300);
  return failed(reasonCodeIn(message) ?? refused?.code ?? OPENCLAW_DRIVER_CODES.failed, `OpenClaw failed (exit ${report.exit_code ?? report.signal ?? "?"}${typeof error["kind"] === "string" ? `, ${error["kind"]}` : ""}): ${detail.slice(0, 1000)}`);
}

const REMOVE_DIR = 'require("node:fs").rmSync(process.argv[1], { recursive: true, force: true })';

export async function runOpenClaw(provider: SandboxProvider, input: AgentRunInput): Promise<AgentRunResult> {
  const unusable = (reason: string, summary: string): AgentRunResult => ({
    lines: [],
    result: { type: "result", status: "failed", summary, reason_code: reason },
    exitCode: 127,
    signal: null,
    durationMs: 0,
    stderrTail: summary,
  });
  const openclaw = provider.programs.openclaw;
  if (openclaw === null) return unusable(OPENCLAW_DRIVER_CODES.unavailable, `OpenClaw cannot run on this data plane: the ${provider.name} provider's sandboxes have no OpenClaw`);
  // The sandbox runs this host's install (a local sandbox sees it read-only): it must be usable here.
  const problem = runtimeProblem();
  if (problem !== null) return unusable(OPENCLAW_DRIVER_CODES.unavailable, `OpenClaw cannot run on this data plane: ${problem}`);
  let request: LaunchRequest;
  try {
    request = launchRequest(input);
  } catch (error) {
    return unusable(OPENCLAW_DRIVER_CODES.config, (error as Error).message);
  }

  const exec = await provider.exec(input.sandboxId, [openclaw.node24, openclaw.launcher, "--entry", openclaw.entry], {
    cwd: input.scratch,
    timeoutMs: input.timeoutMs,
    stdin: JSON.stringify(request),
    env: { CLAWEA_RUN_PHASE: input.phase, CLAWEA_CST: input.cst, ...input.extraEnv },
  });
  const stderr = Buffer.from(exec.stderr).toString("utf8");
  const report = parseLaunchReport(Buffer.from(exec.stdout).toString("utf8"));
  if (report === null || exec.signal !== null) {
    // Killed before the launcher cleaned up: the private directory (state, transcripts) goes now.
    await provider.exec(input.sandboxId, [provider.programs.node, "-e", REMOVE_DIR, request.dir], { cwd: input.scratch, timeoutMs: 30_000 }).catch(() => undefined);
  }
  const timedOut = exec.signal !== null && exec.durationMs >= input.timeoutMs;
  return {
    lines: report === null ? [] : linesOf(report),
    result: resultOf(report, { exitCode: exec.exitCode, signal: exec.signal, timedOut, stderr }, request.timeout_seconds),
    exitCode: report?.exit_code ?? exec.exitCode,
    signal: exec.signal,
    durationMs: exec.durationMs,
    stderrTail: stderr.slice(-2000),
  };
}
