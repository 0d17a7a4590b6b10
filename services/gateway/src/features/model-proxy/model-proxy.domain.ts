/**
 * The model proxy's pure rules: which upstream a model route names, what body goes upstream, how
 * token usage is read from JSON and SSE answers, and which reason code an upstream failure maps to.
 */
import type { ReasonCode } from "@clawea/protocol";
import type { ProviderRoute } from "../../config.js";

export type ModelApi = "openai.chat_completions" | "openai.responses" | "anthropic.messages";

export const MODEL_APIS: Readonly<Record<ModelApi, { family: ProviderRoute["api"]; upstreamPath: string }>> = {
  "openai.chat_completions": { family: "openai", upstreamPath: "/chat/completions" },
  "openai.responses": { family: "openai", upstreamPath: "/responses" },
  // An Anthropic base URL has no /v1 (https://api.anthropic.com), unlike OpenAI's.
  "anthropic.messages": { family: "anthropic", upstreamPath: "/v1/messages" },
};

/** The family's default provider name, for a bare model (`gpt-4.1-mini` on /v1/chat/completions). */
const DEFAULT_PROVIDER: Readonly<Record<ProviderRoute["api"], string>> = { openai: "openai", anthropic: "anthropic" };

export interface ModelTarget {
  provider: string;
  /** The provider's own name for the model (what goes upstream and into the policy decision). */
  model: string;
  route: ProviderRoute;
}

export type Resolution<T> = { ok: true; value: T } | { ok: false; code: ReasonCode; detail: string };

const MAX_MODEL_LENGTH = 256;

/** `<provider>/<model>`, or a bare model whose provider is the route family's default. */
export function resolveModel(requested: string, api: ModelApi, providers: Readonly<Record<string, ProviderRoute>>): Resolution<ModelTarget> {
  const family = MODEL_APIS[api].family;
  const slash = requested.indexOf("/");
  const provider = slash === -1 ? DEFAULT_PROVIDER[family] : requested.slice(0, slash);
  const model = slash === -1 ? requested : requested.slice(slash + 1);
  if (model === "") return { ok: false, code: "VALIDATION_FAILED", detail: "model must name a model after the provider" };
  const route = Object.hasOwn(providers, provider) ? providers[provider] : undefined;
  if (!route) return { ok: false, code: "MODEL_PROVIDER_UNKNOWN", detail: `no provider route named ${JSON.stringify(provider)}` };
  if (route.api !== family) {
    return { ok: false, code: "MODEL_PROVIDER_API_MISMATCH", detail: `provider ${provider} speaks the ${route.api} API, not ${family}` };
  }
  return { ok: true, value: { provider, model, route } };
}

export interface ModelRequest {
  body: Record<string, unknown>;
  model: string;
  stream: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The members the proxy itself reads; everything else is the provider's business and passes through. */
export function readModelRequest(body: unknown): Resolution<ModelRequest> {
  if (!isPlainObject(body)) return { ok: false, code: "VALIDATION_FAILED", detail: "the body must be a JSON object" };
  const { model, stream } = body;
  if (typeof model !== "string" || model.length === 0 || model.length > MAX_MODEL_LENGTH) {
    return { ok: false, code: "VALIDATION_FAILED", detail: `model must be a string of 1..${MAX_MODEL_LENGTH} characters` };
  }
  if (stream !== undefined && typeof stream !== "boolean") return { ok: false, code: "VALIDATION_FAILED", detail: "stream must be a boolean" };
  return { ok: true, value: { body, model, stream: stream === true } };
}

const OUTPUT_CAPS = ["max_tokens", "max_completion_tokens", "max_output_tokens"] as const;
// Members whose strings are prompt text, wherever they sit inside the prompt.
const TEXT_MEMBERS = new Set(["content", "text", "arguments"]);
const CHARS_PER_TOKEN = 4;

/**
 * The tokens a call may use, worked out before it is sent, so that the budget check refuses a call that
 * would overrun the run's budget (the decision's `estimated_tokens`; pass preflight the same number):
 *
 *     estimated_tokens = output cap + ceil(prompt characters / 4)
 *
 * - **output cap**: the largest of `max_tokens`, `max_completion_tokens` and `max_output_tokens` the body
 *   states as a non-negative integer; 0 when it states none (the provider's default is unknown here).
 * - **prompt characters**: the length, in UTF-16 code units, of the prompt's text: `system`,
 *   `instructions` and `input` when they are strings, and every string under a `content`, `text` or
 *   `arguments` member anywhere inside `system`, `messages` and `input` (plain string parts included).
 *   Roles, images, files and tool schemas are not counted.
 *
 * Four characters a token is the usual rough rate for English text; the cap is what the provider may
 * bill at most for output. It is an estimate, not a bound: the answer's reported usage is what is metered.
 */
export function estimateTokens(body: Readonly<Record<string, unknown>>): number {
  let cap = 0;
  for (const member of OUTPUT_CAPS) {
    const value = body[member];
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) cap = Math.max(cap, value);
  }
  let chars = 0;
  // Iterative, so that a deeply nested body cannot exhaust the stack.
  const pending: [unknown, boolean][] = [
    [body["system"], true],
    [body["instructions"], true],
    [body["messages"], false],
    [body["input"], true],
  ];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [value, isText] = next;
    if (typeof value === "string") {
      if (isText) chars += value.length;
    } else if (Array.isArray(value)) {
      for (const item of value) pending.push([item, isText]);
    } else if (isPlainObject(value)) {
      for (const [key, member] of Object.entries(value)) pending.push([member, TEXT_MEMBERS.has(key)]);
    }
  }
  return Math.min(cap + Math.ceil(chars / CHARS_PER_TOKEN), Number.MAX_SAFE_INTEGER);
}

/**
 * The body sent upstream: the caller's, member order kept, with `model` renamed to the provider's own
 * name. A streamed chat completion always asks for usage in its last chunk: budgets and metering
 * depend on it, so a caller cannot opt out by leaving `stream_options` unset.
 */
export function upstreamBody(request: ModelRequest, target: ModelTarget, api: ModelApi): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request.body, model: target.model };
  if (api === "openai.chat_completions" && request.stream) {
    const options = isPlainObject(body["stream_options"]) ? body["stream_options"] : {};
    body["stream_options"] = { ...options, include_usage: true };
  }
  return body;
}

// Caller headers that describe the request to the provider; everything else (credentials, CST, our
// binding headers, cookies, hop-by-hop) stays here.
const FORWARDED_HEADERS = ["accept", "anthropic-version", "anthropic-beta", "openai-beta", "traceparent", "tracestate"] as const;

export function upstreamHeaders(
  incoming: Readonly<Record<string, string | string[] | undefined>>,
  family: ProviderRoute["api"],
  providerKey: string,
): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "clawea-gateway" };
  for (const name of FORWARDED_HEADERS) {
    const value = incoming[name];
    if (typeof value === "string") headers[name] = value;
  }
  if (family === "anthropic") {
    headers["x-api-key"] = providerKey;
    headers["anthropic-version"] ??= "2023-06-01";
  } else {
    headers["authorization"] = `Bearer ${providerKey}`;
  }
  return headers;
}

// Upstream's hardening bound on receipt numbers: a value past it is no real model call, and a receipt
// carrying it would not verify.
export const MAX_RECEIPT_TOKENS = 10_000_000;

/**
 * A call's cost in minor currency units from the route's price list (the model's own price, else `*`),
 * rounded up so a run can never spend past its budget in fractions; null when the model is unpriced.
 */
export function costMinorOf(route: ProviderRoute, model: string, usage: TokenUsage): number | null {
  const price = route.prices?.[model] ?? route.prices?.["*"];
  if (price === undefined) return null;
  return Math.ceil((usage.input * price.input_per_mtok_minor + usage.output * price.output_per_mtok_minor) / 1_000_000);
}

export interface TokenUsage {
  input: number;
  output: number;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? Math.min(value, MAX_RECEIPT_TOKENS) : undefined;
}

/**
 * Usage as the three APIs report it: OpenAI chat `usage.{prompt,completion}_tokens`; OpenAI responses
 * `usage` or `response.usage` `{input,output}_tokens`; Anthropic `usage` or `message.usage`, whose
 * `input_tokens` excludes the cache reads and writes that are billed as input, so those are added.
 */
export function usageOf(document: unknown): Partial<TokenUsage> | null {
  if (!isPlainObject(document)) return null;
  const holder = [document["usage"], isPlainObject(document["message"]) ? document["message"]["usage"] : undefined, isPlainObject(document["response"]) ? document["response"]["usage"] : undefined].find(isPlainObject);
  if (!holder) return null;
  const found: Partial<TokenUsage> = {};
  const input = count(holder["prompt_tokens"]) ?? count(holder["input_tokens"]);
  if (input !== undefined) found.input = Math.min(input + (count(holder["cache_creation_input_tokens"]) ?? 0) + (count(holder["cache_read_input_tokens"]) ?? 0), MAX_RECEIPT_TOKENS);
  const output = count(holder["completion_tokens"]) ?? count(holder["output_tokens"]);
  if (output !== undefined) found.output = output;
  return found.input === undefined && found.output === undefined ? null : found;
}

/** Usage seen across one answer: Anthropic streams counts cumulatively, so the largest value wins. */
export class UsageTally {
  private input: number | undefined;
  private output: number | undefined;

  add(found: Partial<TokenUsage> | null): void {
    if (!found) return;
    if (found.input !== undefined) this.input = Math.max(this.input ?? 0, found.input);
    if (found.output !== undefined) this.output = Math.max(this.output ?? 0, found.output);
  }

  get reported(): boolean {
    return this.input !== undefined || this.output !== undefined;
  }

  get total(): TokenUsage {
    return { input: this.input ?? 0, output: this.output ?? 0 };
  }
}

/**
 * What ends a stream in each family's SSE: OpenAI chat's `data: [DONE]`, the Responses API's final
 * events, Anthropic's `message_stop`. An event that merely mentions one (a model writing "[DONE]") is
 * taken for the end too: that only holds the rest of the stream back until the call is recorded.
 */
const TERMINAL_MARKERS = ["[DONE]", "message_stop", "response.completed", "response.incomplete", "response.failed"].map((marker) => Buffer.from(marker));
const SEAM = Math.max(...TERMINAL_MARKERS.map((marker) => marker.length)) - 1;
const EVENT_BOUNDARIES = ["\n\n", "\r\r", "\n\r\n"].map((boundary) => Buffer.from(boundary));

/**
 * Where the stream's terminal event starts in `chunk`, given the bytes that passed before it (only
 * their last few are read): null when the chunk holds no part of one; 0 when it may have begun in an
 * earlier chunk (a marker split across the seam). Everything from there on is what a client reads as
 * "the answer is complete", so it is what waits for the call's record.
 */
export function terminalEventStart(before: Uint8Array, chunk: Buffer): number | null {
  const tail = before.subarray(Math.max(0, before.length - SEAM));
  if (tail.length > 0) {
    const seam = Buffer.concat([tail, chunk.subarray(0, SEAM)]);
    for (const marker of TERMINAL_MARKERS) {
      const at = seam.indexOf(marker);
      if (at !== -1 && at < tail.length && at + marker.length > tail.length) return 0;
    }
  }
  let first = -1;
  for (const marker of TERMINAL_MARKERS) {
    const at = chunk.indexOf(marker);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  if (first === -1) return null;
  let start = 0;
  for (const boundary of EVENT_BOUNDARIES) {
    if (first < boundary.length) continue;
    const at = chunk.lastIndexOf(boundary, first - boundary.length);
    if (at !== -1) start = Math.max(start, at + boundary.length);
  }
  return start;
}

const MAX_EVENT_CHARS = 1024 * 1024;

/**
 * Reads an SSE byte stream as it passes, without holding it: events are split on blank lines, and only
 * an event whose data mentions "usage" is parsed. Chunk boundaries may fall anywhere, even inside a
 * UTF-8 sequence or a CRLF.
 */
export class SseUsageTap {
  readonly usage = new UsageTally();
  private readonly decoder = new TextDecoder();
  private pending = "";
  private data: string[] = [];
  private dataChars = 0;

  write(chunk: Uint8Array): void {
    this.pending += this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let newline = this.pending.indexOf("\n", start); newline !== -1; newline = this.pending.indexOf("\n", start)) {
      const end = newline > start && this.pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(this.pending.slice(start, end));
      start = newline + 1;
    }
    this.pending = this.pending.slice(start);
    if (this.pending.length > MAX_EVENT_CHARS) this.pending = "";
  }

  end(): void {
    this.pending += this.decoder.decode();
    if (this.pending !== "") this.line(this.pending.replace(/\r$/, ""));
    this.pending = "";
    this.line("");
  }

  private line(line: string): void {
    if (line === "") {
      const data = this.data.join("\n");
      this.data = [];
      this.dataChars = 0;
      if (data.includes('"usage"')) {
        try {
          this.usage.add(usageOf(JSON.parse(data)));
        } catch {
          // Not JSON ([DONE], or a provider's own text): nothing to meter in it.
        }
      }
      return;
    }
    if (!line.startsWith("data:")) return;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    this.dataChars += value.length;
    if (this.dataChars <= MAX_EVENT_CHARS) this.data.push(value);
  }
}

export type UpstreamFailureCode = Extract<ReasonCode, "PROVIDER_KEY_REJECTED" | "UPSTREAM_REJECTED" | "UPSTREAM_RATE_LIMITED" | "UPSTREAM_ERROR">;

/** The code for an upstream answer that is not a success. */
export function upstreamStatusCode(status: number): UpstreamFailureCode {
  if (status === 429) return "UPSTREAM_RATE_LIMITED";
  if (status === 401 || status === 403) return "PROVIDER_KEY_REJECTED";
  if (status >= 400 && status < 500) return "UPSTREAM_REJECTED";
  return "UPSTREAM_ERROR";
}

const MAX_UPSTREAM_MESSAGE = 500;

/**
 * What the caller may learn of an upstream error: the provider's message, type and code (the agent may
 * need "context_length_exceeded" to adapt), with the provider key redacted should the provider echo it.
 * Nothing at all for a refused key.
 */
export function upstreamErrorSummary(code: UpstreamFailureCode, bytes: Uint8Array, providerKey: string): { message?: string; type?: string; code?: string } {
  if (code === "PROVIDER_KEY_REJECTED") return {};
  let document: unknown;
  try {
    document = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
  const error = isPlainObject(document) && isPlainObject(document["error"]) ? document["error"] : null;
  if (!error) return {};
  const clean = (value: unknown): string | undefined =>
    typeof value === "string" && value !== "" ? value.split(providerKey).join("[redacted]").slice(0, MAX_UPSTREAM_MESSAGE) : undefined;
  const summary: { message?: string; type?: string; code?: string } = {};
  const message = clean(error["message"]);
  const type = clean(error["type"]);
  const errorCode = clean(error["code"]);
  if (message !== undefined) summary.message = message;
  if (type !== undefined) summary.type = type;
  if (errorCode !== undefined) summary.code = errorCode;
  return summary;
}

/** The SSE event that ends a stream which failed after its 200 was sent, in the family's own error shape. */
export function sseErrorEvent(family: ProviderRoute["api"], body: Record<string, unknown>): string {
  const json = JSON.stringify(body);
  return family === "anthropic" ? `event: error\ndata: ${json}\n\n` : `data: ${json}\n\n`;
}
