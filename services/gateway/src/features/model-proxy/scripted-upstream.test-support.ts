// Test-only: scripted OpenAI- and Anthropic-compatible providers on loopback, speaking the real wire
// formats (JSON bodies, SSE framing with `data:` / `event:` lines and blank-line separators). What they
// do is chosen by the model name's suffix: `-tools`, `-e400`, `-e401` (echoes the key), `-e429`,
// `-e500`, `-hang` (never answers), `-stall` (one chunk, then silence), `-reset` (one chunk, then the
// connection dies), `-gated` (one chunk, then the rest when the test opens the gate), `-late` (headers,
// then every chunk when the test opens the gate), `-bulk` (BULK_BYTES
// of content in 64 KiB events, each written only when the socket takes more).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  json: Record<string, unknown> | null;
  /** True when the gateway closed the request before the answer was complete. */
  aborted: boolean;
}

const BULK_EVENT_CHARS = 64 * 1024;
export const BULK_BYTES = 2048 * BULK_EVENT_CHARS;

export interface ScriptedUpstream {
  url: string;
  requests: RecordedRequest[];
  /** The next `-gated` stream continues after this is called. */
  openGate(): void;
  /** Content bytes of the latest `-bulk` stream written to the socket so far. */
  bulkSent(): number;
  /** Resolves when the next request for a model with this suffix arrives (ask before sending it). */
  nextArrival(suffix: string): Promise<RecordedRequest>;
  close(): Promise<void>;
}

const sse = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ""}data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`;

function openaiChat(model: string, stream: boolean, includeUsage: boolean): { json: unknown; events: string[] } {
  const tools = model.endsWith("-tools");
  const usage = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 };
  const message = tools
    ? { role: "assistant", content: null, tool_calls: [{ id: "call_1", type: "function", function: { name: "read_file", arguments: '{"path":"a.txt"}' } }] }
    : { role: "assistant", content: "Hello world" };
  const json = {
    id: "chatcmpl-1",
    object: "chat.completion",
    created: 1,
    model,
    choices: [{ index: 0, message, finish_reason: tools ? "tool_calls" : "stop" }],
    usage,
  };
  if (!stream) return { json, events: [] };
  const chunk = (delta: unknown, finish: string | null) => ({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const events = tools
    ? [
        sse(chunk({ role: "assistant", content: null, tool_calls: [{ index: 0, id: "call_1", type: "function", function: { name: "read_file", arguments: "" } }] }, null)),
        sse(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":' } }] }, null)),
        sse(chunk({ tool_calls: [{ index: 0, function: { arguments: '"a.txt"}' } }] }, null)),
        sse(chunk({}, "tool_calls")),
      ]
    : [sse(chunk({ role: "assistant", content: "" }, null)), sse(chunk({ content: "Hello" }, null)), sse(chunk({ content: " world" }, null)), sse(chunk({}, "stop"))];
  if (includeUsage) events.push(sse({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [], usage }));
  events.push(sse("[DONE]"));
  return { json, events };
}

function openaiResponses(model: string, stream: boolean): { json: unknown; events: string[] } {
  const usage = { input_tokens: 9, output_tokens: 4, total_tokens: 13 };
  const output = [{ type: "message", id: "msg_1", status: "completed", role: "assistant", content: [{ type: "output_text", text: "Hello", annotations: [] }] }];
  const json = { id: "resp_1", object: "response", status: "completed", model, output, usage };
  if (!stream) return { json, events: [] };
  return {
    json,
    events: [
      sse({ type: "response.created", sequence_number: 0, response: { ...json, status: "in_progress", output: [], usage: null } }, "response.created"),
      sse({ type: "response.output_text.delta", sequence_number: 1, item_id: "msg_1", output_index: 0, content_index: 0, delta: "Hello" }, "response.output_text.delta"),
      sse({ type: "response.completed", sequence_number: 2, response: json }, "response.completed"),
    ],
  };
}

function anthropicMessages(model: string, stream: boolean): { json: unknown; events: string[] } {
  const tools = model.endsWith("-tools");
  const content = tools ? [{ type: "tool_use", id: "toolu_1", name: "read_file", input: { path: "a.txt" } }] : [{ type: "text", text: "Hello world" }];
  const json = {
    id: "msg_1",
    type: "message",
    role: "assistant",
    model,
    content,
    stop_reason: tools ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: 20, cache_read_input_tokens: 3, output_tokens: 7 },
  };
  if (!stream) return { json, events: [] };
  const start = { ...json, content: [], stop_reason: null, usage: { input_tokens: 20, cache_read_input_tokens: 3, output_tokens: 1 } };
  const block = tools
    ? [
        sse({ type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_1", name: "read_file", input: {} } }, "content_block_start"),
        sse({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '{"path":' } }, "content_block_delta"),
        sse({ type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: '"a.txt"}' } }, "content_block_delta"),
      ]
    : [
        sse({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }, "content_block_start"),
        sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } }, "content_block_delta"),
        sse({ type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " world" } }, "content_block_delta"),
      ];
  return {
    json,
    events: [
      sse({ type: "message_start", message: start }, "message_start"),
      ...block.slice(0, 1),
      sse({ type: "ping" }, "ping"),
      ...block.slice(1),
      sse({ type: "content_block_stop", index: 0 }, "content_block_stop"),
      sse({ type: "message_delta", delta: { stop_reason: json.stop_reason, stop_sequence: null }, usage: { output_tokens: 7 } }, "message_delta"),
      sse({ type: "message_stop" }, "message_stop"),
    ],
  };
}

function errorAnswer(family: "openai" | "anthropic", status: number, message: string): string {
  return JSON.stringify(
    family === "anthropic"
      ? { type: "error", error: { type: status === 429 ? "rate_limit_error" : "invalid_request_error", message } }
      : { error: { message, type: status === 429 ? "requests" : "invalid_request_error", code: status === 400 ? "context_length_exceeded" : null, param: null } },
  );
}

export async function startScriptedUpstream(family: "openai" | "anthropic"): Promise<ScriptedUpstream> {
  const requests: RecordedRequest[] = [];
  const waiters: { suffix: string; resolve: (r: RecordedRequest) => void }[] = [];
  let gate: () => void = () => undefined;
  let gateOpened = new Promise<void>((resolve) => (gate = resolve));
  let bulkSent = 0;

  async function answer(recorded: RecordedRequest, res: ServerResponse): Promise<void> {
    if (recorded.method === "GET" && recorded.path.startsWith("/v1/models")) {
      const ids = family === "openai" ? ["gpt-test", "gpt-secret", "o-internal"] : ["claude-test", "claude-secret"];
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(family === "openai" ? { object: "list", data: ids.map((id) => ({ id, object: "model", created: 1, owned_by: "system" })) } : { data: ids.map((id) => ({ type: "model", id })), has_more: false }));
      return;
    }
    const body = recorded.json ?? {};
    const model = String(body["model"] ?? "");
    const stream = body["stream"] === true;
    const suffix = model.slice(model.lastIndexOf("-"));
    const errors: Record<string, number> = { "-e400": 400, "-e401": 401, "-e429": 429, "-e500": 500 };
    const errorStatus = errors[suffix];
    if (errorStatus !== undefined) {
      const key = family === "openai" ? String(recorded.headers.authorization ?? "").slice(7) : String(recorded.headers["x-api-key"] ?? "");
      const message = errorStatus === 401 ? `Incorrect API key provided: ${key}` : errorStatus === 400 ? "This model's maximum context length is 8192 tokens" : "boom";
      res.writeHead(errorStatus, { "content-type": "application/json", ...(errorStatus === 429 ? { "retry-after": "7" } : {}) });
      res.end(errorAnswer(family, errorStatus, message));
      return;
    }
    if (suffix === "-hang") return;
    const script =
      family === "anthropic"
        ? anthropicMessages(model, stream)
        : recorded.path.endsWith("/responses")
          ? openaiResponses(model, stream)
          : openaiChat(model, stream, (body["stream_options"] as { include_usage?: boolean } | undefined)?.include_usage === true);
    if (!stream) {
      res.writeHead(200, { "content-type": "application/json", "x-upstream-secret-header": "not-for-callers" });
      res.end(JSON.stringify(script.json));
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
    if (suffix === "-late") {
      res.flushHeaders();
      await gateOpened;
      gateOpened = new Promise<void>((resolve) => (gate = resolve));
    }
    const [first, ...rest] = script.events;
    res.write(first ?? "");
    if (suffix === "-stall") return;
    if (suffix === "-reset") {
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    }
    if (suffix === "-gated") {
      await gateOpened;
      gateOpened = new Promise<void>((resolve) => (gate = resolve));
    }
    if (suffix === "-bulk") {
      bulkSent = 0;
      const content = "x".repeat(BULK_EVENT_CHARS);
      const event = sse({ id: "chatcmpl-1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta: { content }, finish_reason: null }] });
      while (bulkSent < BULK_BYTES && !res.destroyed) {
        const more = res.write(event);
        bulkSent += content.length;
        if (!more) await new Promise((resolve) => res.once("drain", resolve).once("close", resolve));
      }
    }
    // Split one event across two writes: the gateway must not care where chunks break.
    for (const event of rest) {
      const cut = Math.floor(event.length / 2);
      res.write(event.slice(0, cut));
      res.write(event.slice(cut));
    }
    res.end();
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      let json: Record<string, unknown> | null = null;
      try {
        json = body.length ? (JSON.parse(body.toString("utf8")) as Record<string, unknown>) : null;
      } catch {
        json = null;
      }
      const recorded: RecordedRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body, json, aborted: false };
      res.on("close", () => {
        if (!res.writableFinished) recorded.aborted = true;
      });
      requests.push(recorded);
      const model = String(json?.["model"] ?? "");
      for (let i = waiters.length - 1; i >= 0; i--) {
        const waiter = waiters[i]!;
        if (!model.endsWith(waiter.suffix)) continue;
        waiters.splice(i, 1);
        waiter.resolve(recorded);
      }
      void answer(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    openGate: () => gate(),
    bulkSent: () => bulkSent,
    nextArrival: (suffix) => new Promise((resolve) => waiters.push({ suffix, resolve })),
    async close() {
      gate();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
