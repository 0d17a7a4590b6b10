import { describe, expect, it } from "vitest";
import {
  costMinorOf,
  estimateTokens,
  readModelRequest,
  resolveModel,
  SseUsageTap,
  terminalEventStart,
  upstreamBody,
  upstreamErrorSummary,
  upstreamHeaders,
  upstreamStatusCode,
  usageOf,
  type ModelRequest,
} from "./model-proxy.domain.js";

const providers = {
  openai: { baseUrl: "http://o/v1", api: "openai" as const },
  anthropic: { baseUrl: "http://a", api: "anthropic" as const },
  local: { baseUrl: "http://l/v1", api: "openai" as const },
};

describe("model routes", () => {
  it.each([
    ["openai/gpt-4.1-mini", "openai.chat_completions", { provider: "openai", model: "gpt-4.1-mini" }],
    ["gpt-4.1-mini", "openai.responses", { provider: "openai", model: "gpt-4.1-mini" }],
    ["claude-sonnet", "anthropic.messages", { provider: "anthropic", model: "claude-sonnet" }],
    ["local/meta/llama-3", "openai.chat_completions", { provider: "local", model: "meta/llama-3" }],
  ] as const)("%s on %s", (requested, api, expected) => {
    expect(resolveModel(requested, api, providers)).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    ["mistral/large", "openai.chat_completions", "MODEL_PROVIDER_UNKNOWN"],
    ["constructor/x", "openai.chat_completions", "MODEL_PROVIDER_UNKNOWN"],
    ["openai/gpt", "anthropic.messages", "MODEL_PROVIDER_API_MISMATCH"],
    ["openai/", "openai.chat_completions", "VALIDATION_FAILED"],
  ] as const)("refuses %s on %s with %s", (requested, api, code) => {
    expect(resolveModel(requested, api, providers)).toMatchObject({ ok: false, code });
  });

  it("reads only model and stream, and keeps the body's member order when renaming the model", () => {
    expect(readModelRequest({ model: "m", stream: 1 })).toMatchObject({ ok: false, code: "VALIDATION_FAILED" });
    expect(readModelRequest(null)).toMatchObject({ ok: false });
    const read = readModelRequest({ messages: [], model: "openai/gpt", stream: true, stream_options: { foo: 1 } });
    expect(read.ok).toBe(true);
    const request = (read as { value: ModelRequest }).value;
    const body = upstreamBody(request, { provider: "openai", model: "gpt", route: providers.openai }, "openai.chat_completions");
    expect(JSON.stringify(body)).toBe('{"messages":[],"model":"gpt","stream":true,"stream_options":{"foo":1,"include_usage":true}}');
    expect(upstreamBody(request, { provider: "openai", model: "gpt", route: providers.openai }, "openai.responses")).toEqual({ ...request.body, model: "gpt" });
  });

  it("forwards only descriptive headers, and the provider key in the family's own header", () => {
    const incoming = { authorization: "Bearer cst", "x-cst": "cst", "x-api-key": "cst", cookie: "c", "anthropic-beta": "tools", traceparent: "00-a-b-01", "x-run-id": "r" };
    expect(upstreamHeaders(incoming, "openai", "sk-1")).toEqual({
      "content-type": "application/json",
      "user-agent": "clawea-gateway",
      "anthropic-beta": "tools",
      traceparent: "00-a-b-01",
      authorization: "Bearer sk-1",
    });
    expect(upstreamHeaders(incoming, "anthropic", "sk-2")).toMatchObject({ "x-api-key": "sk-2", "anthropic-version": "2023-06-01" });
    expect(upstreamHeaders(incoming, "anthropic", "sk-2")["authorization"]).toBeUndefined();
  });
});

describe("estimated tokens: output cap + ceil(prompt characters / 4)", () => {
  const hi = [{ role: "user", content: "hi" }];
  it.each<[string, Record<string, unknown>, number]>([
    ["a chat prompt without a cap", { model: "m", messages: hi }, 1],
    ["max_tokens", { model: "m", max_tokens: 100, messages: hi }, 101],
    ["max_completion_tokens", { model: "m", max_completion_tokens: 50, messages: hi }, 51],
    ["the largest of several caps", { model: "m", max_tokens: 10, max_completion_tokens: 70, messages: hi }, 71],
    ["max_output_tokens and a string input (responses)", { model: "m", max_output_tokens: 20, input: "abcdefgh" }, 22],
    ["instructions and input items (responses)", { model: "m", instructions: "abcd", input: [{ role: "user", content: [{ type: "input_text", text: "abcd" }] }] }, 2],
    ["a system string and content blocks (anthropic)", { model: "m", max_tokens: 16, system: "abcd", messages: [{ role: "user", content: [{ type: "text", text: "abcdefgh" }] }] }, 19],
    ["system blocks (anthropic)", { model: "m", system: [{ type: "text", text: "abcdefg" }], messages: [] }, 2],
    ["text parts, tool call arguments and tool results", {
      model: "m",
      messages: [
        { role: "user", content: [{ type: "text", text: "abcd" }, { type: "image_url", image_url: { url: `data:image/png;base64,${"A".repeat(4000)}` } }] },
        { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "lookup", arguments: '{"q":"x"}' } }] },
        { role: "tool", tool_call_id: "c1", content: "abcd" },
      ],
      tools: [{ type: "function", function: { name: "lookup", description: "not counted", parameters: { type: "object" } } }],
    }, 5],
    ["roles and images are not text", { model: "m", messages: [{ role: "user", content: [{ type: "image", source: { type: "base64", data: "A".repeat(4000) } }] }] }, 0],
    ["no prompt", { model: "m" }, 0],
    ["caps that are not non-negative integers are ignored", { model: "m", max_tokens: -5, max_completion_tokens: 2.5, max_output_tokens: "9", messages: hi }, 1],
    ["an absurd cap is clamped to a safe integer", { model: "m", max_tokens: 1e300, messages: hi }, Number.MAX_SAFE_INTEGER],
  ])("%s", (_name, body, expected) => {
    expect(estimateTokens(body)).toBe(expected);
  });

  it("counts UTF-16 code units and survives a deeply nested prompt", () => {
    expect(estimateTokens({ messages: [{ content: "€€€€😀" }] })).toBe(2);
    let deep: unknown = "abcd";
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(estimateTokens({ messages: [{ content: deep }] })).toBe(1);
  });
});

describe("usage", () => {
  it("reads the three APIs' usage shapes", () => {
    expect(usageOf({ usage: { prompt_tokens: 3, completion_tokens: 4 } })).toEqual({ input: 3, output: 4 });
    expect(usageOf({ type: "response.completed", response: { usage: { input_tokens: 5, output_tokens: 6 } } })).toEqual({ input: 5, output: 6 });
    expect(usageOf({ type: "message_start", message: { usage: { input_tokens: 7, cache_creation_input_tokens: 2, cache_read_input_tokens: 1, output_tokens: 1 } } })).toEqual({ input: 10, output: 1 });
    expect(usageOf({ usage: null })).toBeNull();
    expect(usageOf({ usage: { prompt_tokens: -1, completion_tokens: 1.5 } })).toBeNull();
    expect(usageOf({ usage: { prompt_tokens: 1e12 } })).toEqual({ input: 10_000_000 });
  });

  const anthropicStream = [
    'event: message_start\ndata: {"type":"message_start","message":{"usage":{"input_tokens":20,"cache_read_input_tokens":3,"output_tokens":1}}}\n\n',
    'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"héllo \\"usage\\""}}\n\n',
    'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":7}}\n\n',
    'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  ].join("");

  it("taps an SSE stream cut at every possible byte, CRLF framing included", () => {
    for (const text of [anthropicStream, anthropicStream.replaceAll("\n", "\r\n")]) {
      const bytes = Buffer.from(text);
      for (let cut = 0; cut <= bytes.length; cut++) {
        const tap = new SseUsageTap();
        tap.write(bytes.subarray(0, cut));
        tap.write(bytes.subarray(cut));
        tap.end();
        expect(tap.usage.total).toEqual({ input: 23, output: 7 });
      }
    }
  });

  it("reads an OpenAI stream's final usage chunk, one byte at a time, and ignores [DONE]", () => {
    const tap = new SseUsageTap();
    const text = 'data: {"choices":[{"delta":{"content":"x"}}],"usage":null}\n\ndata: {"choices":[],"usage":{"prompt_tokens":12,"completion_tokens":5}}\n\ndata: [DONE]\n\n';
    for (const byte of Buffer.from(text)) tap.write(Uint8Array.of(byte));
    tap.end();
    expect(tap.usage.reported).toBe(true);
    expect(tap.usage.total).toEqual({ input: 12, output: 5 });
    const silent = new SseUsageTap();
    silent.write(Buffer.from('data: {"choices":[]}\n\n'));
    silent.end();
    expect(silent.usage.reported).toBe(false);
  });
});

describe("the terminal event of a stream", () => {
  const streams = {
    chat: 'data: {"choices":[{"delta":{"content":"hi"}}]}\n\ndata: {"choices":[],"usage":{"prompt_tokens":1}}\n\ndata: [DONE]\n\n',
    responses: 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"hi"}\n\nevent: response.completed\ndata: {"type":"response.completed","response":{}}\n\n',
    anthropic: 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"text":"hi"}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
  };
  const terminalAt = (text: string) => text.search(/(data: \[DONE\]|event: response\.completed|event: message_stop)/);
  const markerEnd = (text: string) => {
    const match = /\[DONE\]|response\.completed|message_stop/.exec(text)!;
    return match.index + match[0].length;
  };

  /** How many bytes a proxy passes before it holds the rest, the chunks arriving one by one. */
  function passed(chunks: Buffer[]): number {
    let before = Buffer.alloc(0);
    for (const chunk of chunks) {
      const start = terminalEventStart(before, chunk);
      if (start !== null) return before.length + start;
      before = Buffer.concat([before, chunk]);
    }
    return before.length;
  }

  it("passes everything before the terminal event and never the whole of it, wherever chunks break (LF and CRLF)", () => {
    for (const stream of Object.values(streams)) {
      for (const text of [stream, stream.replaceAll("\n", "\r\n")]) {
        const bytes = Buffer.from(text);
        const start = Buffer.byteLength(text.slice(0, terminalAt(text)));
        const end = Buffer.byteLength(text.slice(0, markerEnd(text)));
        expect(passed([bytes])).toBe(start);
        for (let cut = 0; cut <= bytes.length; cut++) {
          const n = passed([bytes.subarray(0, cut), bytes.subarray(cut)]);
          // Bytes of the terminal event may pass only while its marker is still incomplete: nothing a client can act on.
          expect(n).toBeGreaterThanOrEqual(Math.min(cut, start));
          expect(n).toBeLessThan(end);
        }
        const oneByOne = passed([...bytes].map((byte) => Buffer.of(byte)));
        expect(oneByOne).toBeGreaterThanOrEqual(start);
        expect(oneByOne).toBeLessThan(end);
      }
    }
  });

  it("finds none in a stream without one, and takes an event that mentions a marker for the end", () => {
    expect(terminalEventStart(Buffer.alloc(0), Buffer.from('data: {"choices":[{"delta":{"content":"hi"}}]}\n\n'))).toBeNull();
    const early = Buffer.from('data: {"delta":"a"}\n\ndata: {"delta":"say [DONE] now"}\n\ndata: [DONE]\n\n');
    expect(terminalEventStart(Buffer.alloc(0), early)).toBe(early.indexOf("data: {\"delta\":\"say"));
  });
});

describe("upstream failures", () => {
  it.each([
    [400, "UPSTREAM_REJECTED"],
    [404, "UPSTREAM_REJECTED"],
    [401, "PROVIDER_KEY_REJECTED"],
    [403, "PROVIDER_KEY_REJECTED"],
    [429, "UPSTREAM_RATE_LIMITED"],
    [500, "UPSTREAM_ERROR"],
    [529, "UPSTREAM_ERROR"],
    [302, "UPSTREAM_ERROR"],
  ] as const)("%i is %s", (status, code) => {
    expect(upstreamStatusCode(status)).toBe(code);
  });

  it("passes the provider's message on with the key redacted, and nothing for a refused key", () => {
    const body = Buffer.from(JSON.stringify({ error: { message: "bad key sk-9 for you", type: "invalid_request_error", code: "context_length_exceeded" } }));
    expect(upstreamErrorSummary("UPSTREAM_REJECTED", body, "sk-9")).toEqual({ message: "bad key [redacted] for you", type: "invalid_request_error", code: "context_length_exceeded" });
    expect(upstreamErrorSummary("PROVIDER_KEY_REJECTED", body, "sk-9")).toEqual({});
    expect(upstreamErrorSummary("UPSTREAM_ERROR", Buffer.from("<html>"), "sk-9")).toEqual({});
  });
});

describe("costMinorOf", () => {
  const route = { baseUrl: "https://a.example", api: "openai" as const, prices: { "gpt-4.1": { input_per_mtok_minor: 200, output_per_mtok_minor: 800 }, "*": { input_per_mtok_minor: 10, output_per_mtok_minor: 40 } } };
  it("prices a model by its own price, else by *, rounding up", () => {
    expect(costMinorOf(route, "gpt-4.1", { input: 1_000_000, output: 500_000 })).toBe(600);
    expect(costMinorOf(route, "gpt-4.1-mini", { input: 1_000, output: 1_000 })).toBe(1);
    expect(costMinorOf(route, "gpt-4.1", { input: 0, output: 0 })).toBe(0);
  });
  it("is null for an unpriced route", () => {
    expect(costMinorOf({ baseUrl: "https://a.example", api: "openai" }, "gpt-4.1", { input: 10, output: 10 })).toBeNull();
  });
});
