/**
 * The agent loop: ask the model, run its tool calls in order, feed the results back, until it calls
 * `finish`, stops calling tools, or the step budget is spent. Returns the process exit code.
 */
import type { RunPhase } from "./agent.config.js";
import type { AssistantMessage, ModelClient } from "./agent.model-client.js";
import { argsHash, type Emit } from "./agent.output.js";
import { parseArgs, TOOL_SPECS, toolMessageContent, type Toolbox } from "./agent.tools.js";

export const EXIT = { completed: 0, crashed: 1, failed: 3 } as const;

export interface LoopSettings {
  task: string;
  model: string;
  phase: RunPhase | null;
  maxSteps: number;
}

export interface LoopDeps {
  model: ModelClient;
  tools: Toolbox;
  emit: Emit;
}

type Message = { role: "system" | "user"; content: string } | AssistantMessage | { role: "tool"; tool_call_id: string; content: string };

const PHASE_NOTE: Record<RunPhase, string> = {
  plan:
    "This is the PLAN phase. File changes stay in a scratch copy of the workspace. http_request calls are not sent: the gateway captures them as intended side effects for a human to approve, and they run in the apply phase. Treat a captured request as if it will happen, and carry on.",
  apply: "This is the APPLY phase. Only the side effects a human approved go through; anything else is denied with a reason code.",
};

export function systemPrompt(phase: RunPhase | null): string {
  const lines = [
    "You are the clawea reference agent. You work in a sandbox; the current folder is your workspace.",
    "Use the tools to do the task. File paths are relative to the workspace. Network access is only through http_request.",
    "A tool result is JSON with an `outcome` (ok, captured, denied, error) and, unless ok, a `reason_code`. Adapt to denials; do not repeat a denied request.",
    "When the task is done, call finish with a short summary that names anything captured or denied.",
  ];
  if (phase !== null) lines.push(PHASE_NOTE[phase]);
  return lines.join("\n");
}

export async function runAgent(settings: LoopSettings, deps: LoopDeps): Promise<number> {
  const messages: Message[] = [
    { role: "system", content: systemPrompt(settings.phase) },
    { role: "user", content: settings.task },
  ];
  const fail = (reasonCode: string, summary: string): number => {
    deps.emit({ type: "result", status: "failed", summary, reason_code: reasonCode });
    return EXIT.failed;
  };

  for (let step = 1; step <= settings.maxSteps; step++) {
    const answer = await deps.model.complete({ model: settings.model, messages, tools: TOOL_SPECS, tool_choice: "auto" });
    if (!answer.ok) return fail(answer.reasonCode, `model call at step ${step} failed: ${answer.reasonCode}${answer.status === null ? "" : ` (HTTP ${answer.status})`}`);
    deps.emit({ type: "model_call", step, receipt_id: answer.receiptId, tokens: answer.tokens });
    messages.push(answer.message);

    const calls = answer.message.tool_calls ?? [];
    if (calls.length === 0) {
      deps.emit({ type: "result", status: "completed", summary: answer.message.content ?? "" });
      return EXIT.completed;
    }
    for (const call of calls) {
      const { name, arguments: argsText } = call.function;
      const hash = argsHash(argsText);
      if (name === "finish") {
        const summary = parseArgs(argsText)?.["summary"];
        deps.emit({ type: "tool_call", step, name, args_sha256_b64u: hash, outcome: "ok" });
        deps.emit({ type: "result", status: "completed", summary: typeof summary === "string" ? summary : (answer.message.content ?? "") });
        return EXIT.completed;
      }
      const result = await deps.tools.execute(name, argsText);
      deps.emit({ type: "tool_call", step, name, args_sha256_b64u: hash, outcome: result.outcome, ...(result.reasonCode === undefined ? {} : { reason_code: result.reasonCode }) });
      messages.push({ role: "tool", tool_call_id: call.id, content: toolMessageContent(result) });
    }
  }
  return fail("AGENT_MAX_STEPS_EXCEEDED", `no finish after ${settings.maxSteps} model calls`);
}
