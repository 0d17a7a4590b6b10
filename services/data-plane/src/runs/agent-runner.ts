/**
 * Runs the agent of a run's phase inside the sandbox, on the phase's scratch copy, with the phase's
 * CST as its only credential. The reference runtime is `@clawea/reference-agent`; its stdout is one
 * JSON object per line (model calls, tool calls, the result). OpenClaw runs go to `openclaw.driver.ts`,
 * which maps OpenClaw's answer onto the same result.
 */
import type { OutputLine, ResultLine } from "@clawea/reference-agent";
import type { SandboxProvider } from "../sandbox/sandbox.provider.js";
import { runOpenClaw, type OpenClawRunOptions } from "./openclaw.driver.js";

export interface AgentRunInput {
  sandboxId: string;
  runtime: string;
  scratch: string;
  task: string;
  model: string;
  phase: "plan" | "apply";
  cst: string;
  timeoutMs: number;
  /** What a plan phase learned, handed to the apply phase so the agent can follow its own plan. */
  extraEnv?: Record<string, string>;
  /** OpenClaw only: the agent's tools profile and the WPC in force, which decide the tools OpenClaw is offered. */
  openclaw?: OpenClawRunOptions;
}

export interface AgentRunResult {
  lines: OutputLine[];
  result: ResultLine | null;
  exitCode: number;
  signal: string | null;
  durationMs: number;
  stderrTail: string;
}

export async function runAgent(provider: SandboxProvider, input: AgentRunInput): Promise<AgentRunResult> {
  if (input.runtime === "openclaw") return runOpenClaw(provider, input);
  if (input.runtime !== "reference") throw new Error(`runtime ${input.runtime} has no run driver in this build`);
  const exec = await provider.exec(input.sandboxId, [provider.programs.node, provider.programs.referenceAgent], {
    cwd: input.scratch,
    timeoutMs: input.timeoutMs,
    env: {
      CLAWEA_TASK: input.task,
      CLAWEA_MODEL: input.model,
      CLAWEA_RUN_PHASE: input.phase,
      CLAWEA_CST: input.cst,
      OPENAI_API_KEY: input.cst,
      ...input.extraEnv,
    },
  });
  const lines: OutputLine[] = [];
  for (const text of Buffer.from(exec.stdout).toString("utf8").split("\n")) {
    if (text.trim() === "") continue;
    try {
      lines.push(JSON.parse(text) as OutputLine);
    } catch {
      // Not one of the agent's lines: ignored, the sandbox's stdout is not trusted to be well-formed.
    }
  }
  const result = (lines.filter((line) => line.type === "result").pop() as ResultLine | undefined) ?? null;
  const stderr = Buffer.from(exec.stderr).toString("utf8");
  return { lines, result, exitCode: exec.exitCode, signal: exec.signal, durationMs: exec.durationMs, stderrTail: stderr.slice(-2000) };
}
