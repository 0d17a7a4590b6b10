/**
 * What the scripted model answers, as a pure function of the request: the validated chat request,
 * the assistant message for this turn, deterministic usage, and the SSE chunks of a streamed answer.
 */
import { createHash } from "node:crypto";
import { describeToolCall, directiveToolCall, parseDirectives, type ToolCallSpec } from "./scripted-model.directives.js";

/** One fixed assistant turn. `arguments` given as a string is sent verbatim (it may be invalid JSON on purpose). */
export interface ScriptedReply {
  content?: string | null;
  tool_calls?: readonly { name: string; arguments: Record<string, unknown> | string }[];
}

export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content?: unknown;
  tool_calls?: unknown;
  tool_call_id?: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: boolean;
  includeUsage: boolean;
  tools: unknown[] | undefined;
}

export interface OpenAiError {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

interface AssistantToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: AssistantToolCall[];
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface Completion {
  id: string;
  model: string;
  message: AssistantMessage;
  finishReason: "stop" | "tool_calls";
  usage: Usage;
}

/** Fixed, so that the same conversation always gets byte-identical answers. */
const CREATED = 0;
const ROLES = new Set(["system", "developer", "user", "assistant", "tool"]);
const OUTCOMES = new Set(["ok", "captured", "denied", "error"]);

export function invalidRequest(message: string, param: string | null, status = 400, code: string | null = null): OpenAiError {
  return { status, body: { error: { message, type: "invalid_request_error", param, code } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseChatRequest(body: unknown): { ok: true; request: ChatRequest } | { ok: false; error: OpenAiError } {
  if (!isRecord(body)) return { ok: false, error: invalidRequest("The body must be a JSON object.", null) };
  const { model, messages, stream, stream_options: streamOptions, tools } = body;
  if (typeof model !== "string" || model === "") return { ok: false, error: invalidRequest("`model` must be a non-empty string.", "model") };
  if (!Array.isArray(messages) || messages.length === 0) return { ok: false, error: invalidRequest("`messages` must be a non-empty array.", "messages") };
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message) || typeof message["role"] !== "string" || !ROLES.has(message["role"])) {
      return { ok: false, error: invalidRequest(`messages[${i}].role must be one of ${[...ROLES].join(", ")}.`, `messages[${i}].role`) };
    }
    if (message["role"] === "tool" && typeof message["tool_call_id"] !== "string") {
      return { ok: false, error: invalidRequest(`messages[${i}].tool_call_id must be a string.`, `messages[${i}].tool_call_id`) };
    }
  }
  if (stream !== undefined && stream !== null && typeof stream !== "boolean") return { ok: false, error: invalidRequest("`stream` must be a boolean.", "stream") };
  if (streamOptions !== undefined && streamOptions !== null && !isRecord(streamOptions)) {
    return { ok: false, error: invalidRequest("`stream_options` must be an object.", "stream_options") };
  }
  if (tools !== undefined && tools !== null && !Array.isArray(tools)) return { ok: false, error: invalidRequest("`tools` must be an array.", "tools") };
  return {
    ok: true,
    request: {
      model,
      messages: messages as ChatMessage[],
      stream: stream === true,
      includeUsage: stream === true && isRecord(streamOptions) && streamOptions["include_usage"] === true,
      tools: Array.isArray(tools) ? tools : undefined,
    },
  };
}

/** The text of a message: a string, or the `text` parts of a content array. */
function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part: unknown) => (isRecord(part) && part["type"] === "text" && typeof part["text"] === "string" ? part["text"] : ""))
    .join("\n");
}

const tokens = (text: string): number => Math.ceil(text.length / 4);

interface Outcome {
  label: string;
  outcome: string;
  reasonCode: string | null;
}

/** Pairs every earlier tool call with what its tool message reported, in call order. */
function outcomesOf(messages: readonly ChatMessage[]): Outcome[] {
  const results = new Map<string, { outcome: string; reasonCode: string | null }>();
  for (const message of messages) {
    if (message.role !== "tool" || message.tool_call_id === undefined) continue;
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(textOf(message.content));
    } catch {
      parsed = null;
    }
    const reasonCode = isRecord(parsed) && typeof parsed["reason_code"] === "string" ? parsed["reason_code"] : null;
    const declared = isRecord(parsed) && typeof parsed["outcome"] === "string" && OUTCOMES.has(parsed["outcome"]) ? parsed["outcome"] : null;
    results.set(message.tool_call_id, { outcome: declared ?? (reasonCode ? "denied" : "ok"), reasonCode });
  }
  const outcomes: Outcome[] = [];
  for (const message of messages) {
    if (message.role !== "assistant" || !Array.isArray(message.tool_calls)) continue;
    for (const call of message.tool_calls as unknown[]) {
      if (!isRecord(call) || typeof call["id"] !== "string" || !isRecord(call["function"])) continue;
      const fn = call["function"];
      const name = typeof fn["name"] === "string" ? fn["name"] : "?";
      if (name === "finish") continue;
      let args: unknown = null;
      try {
        args = JSON.parse(typeof fn["arguments"] === "string" ? fn["arguments"] : "null");
      } catch {
        args = null;
      }
      const result = results.get(call["id"]) ?? { outcome: "ok", reasonCode: null };
      outcomes.push({ label: describeToolCall(name, args), ...result });
    }
  }
  return outcomes;
}

const withCode = (o: Outcome): string => (o.reasonCode ? `${o.label} (${o.reasonCode})` : o.label);

/** The closing summary: what was done, and every capture, denial and failure by name. */
export function summarize(messages: readonly ChatMessage[], lead: string): string {
  const outcomes = outcomesOf(messages);
  const parts = [lead || `Done: ${outcomes.length} step${outcomes.length === 1 ? "" : "s"}.`];
  const captured = outcomes.filter((o) => o.outcome === "captured");
  const denied = outcomes.filter((o) => o.outcome === "denied");
  const failed = outcomes.filter((o) => o.outcome === "error");
  if (captured.length > 0) parts.push(`Captured for approval: ${captured.map((o) => o.label).join("; ")}.`);
  if (denied.length > 0) parts.push(`Denied: ${denied.map(withCode).join("; ")}.`);
  if (failed.length > 0) parts.push(`Failed: ${failed.map(withCode).join("; ")}.`);
  return parts.join(" ");
}

interface Turn {
  content: string | null;
  calls: { name: string; arguments: string }[];
}

const serialized = (call: ToolCallSpec): { name: string; arguments: string } => ({ name: call.name, arguments: JSON.stringify(call.arguments) });
const finishing = (request: ChatRequest, lead: string): Turn => ({
  content: null,
  calls: [serialized({ name: "finish", arguments: { summary: summarize(request.messages, lead) } })],
});

/** This turn's tool calls: the script's entry, or the next directive's, or `finish` once they run out. */
function turnOf(request: ChatRequest, turn: number, script: readonly ScriptedReply[] | undefined): Turn {
  if (script !== undefined) {
    const reply = script[turn];
    if (reply === undefined) return finishing(request, "");
    return {
      content: reply.content ?? null,
      calls: (reply.tool_calls ?? []).map((c) => ({ name: c.name, arguments: typeof c.arguments === "string" ? c.arguments : JSON.stringify(c.arguments) })),
    };
  }
  const directives = parseDirectives(textOf(request.messages.find((m) => m.role === "user")?.content));
  const next = directives.filter((d) => d.kind !== "finish")[turn];
  if (next !== undefined) return { content: null, calls: [serialized(directiveToolCall(next))] };
  const explicit = directives.find((d) => d.kind === "finish");
  return finishing(request, explicit?.kind === "finish" ? explicit.summary : "");
}

export function complete(request: ChatRequest, script?: readonly ScriptedReply[]): Completion {
  // The turn index is the number of assistant messages so far: the model keeps no state between requests.
  const turn = request.messages.filter((m) => m.role === "assistant").length;
  const { content, calls } = turnOf(request, turn, script);
  const message: AssistantMessage = { role: "assistant", content };
  if (calls.length > 0) {
    message.tool_calls = calls.map((call, i) => ({
      id: `call_${turn + 1}_${i + 1}`,
      type: "function",
      function: call,
    }));
  }
  const promptTokens = tokens(JSON.stringify(request.messages) + JSON.stringify(request.tools ?? []));
  const completionTokens = tokens(JSON.stringify(message));
  const digest = createHash("sha256").update(JSON.stringify([request.model, request.messages, request.tools ?? null])).digest("hex");
  return {
    id: `chatcmpl-${digest.slice(0, 24)}`,
    model: request.model,
    message,
    finishReason: calls.length > 0 ? "tool_calls" : "stop",
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  };
}

export function completionJson(completion: Completion): Record<string, unknown> {
  return {
    id: completion.id,
    object: "chat.completion",
    created: CREATED,
    model: completion.model,
    choices: [{ index: 0, message: completion.message, logprobs: null, finish_reason: completion.finishReason }],
    usage: completion.usage,
  };
}

/** Splits text into pieces of at most `size` characters, so clients must join deltas. */
function pieces(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/** The `data:` payloads of a streamed answer, `[DONE]` last, in OpenAI's chunk shapes. */
export function completionChunks(completion: Completion, includeUsage: boolean): string[] {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): string =>
    JSON.stringify({
      id: completion.id,
      object: "chat.completion.chunk",
      created: CREATED,
      model: completion.model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    });
  const { message } = completion;
  const out: string[] = [];
  if (message.tool_calls === undefined) {
    out.push(chunk({ role: "assistant", content: "" }, null));
    for (const piece of pieces(message.content ?? "", 16)) out.push(chunk({ content: piece }, null));
  } else {
    out.push(chunk({ role: "assistant", content: message.content }, null));
    for (const [index, call] of message.tool_calls.entries()) {
      out.push(chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }] }, null));
      for (const piece of pieces(call.function.arguments, 16)) out.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null));
    }
  }
  out.push(chunk({}, completion.finishReason));
  if (includeUsage) {
    out.push(JSON.stringify({ id: completion.id, object: "chat.completion.chunk", created: CREATED, model: completion.model, choices: [], usage: completion.usage }));
  }
  out.push("[DONE]");
  return out;
}
