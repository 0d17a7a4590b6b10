import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModel, type ScriptedModel } from "./scripted-model.server.js";

let model: ScriptedModel;

beforeAll(async () => {
  model = await startScriptedModel();
});

afterAll(async () => {
  await model.close();
});

const TASK = "Do it.\nwrite a.txt: hello\nhttp POST https://api.example.com/notify {\"text\":\"done\"}";

function post(body: unknown, url = model.url): Promise<Response> {
  return fetch(`${url}/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

interface ChatAnswer {
  id: string;
  object: string;
  model: string;
  choices: { index: number; message: { role: string; content: string | null; tool_calls?: { id: string; type: string; function: { name: string; arguments: string } }[] }; finish_reason: string }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

const call = (id: string, name: string, args: unknown) => ({ id, type: "function", function: { name, arguments: JSON.stringify(args) } });

describe("scripted model, non-streaming", () => {
  it("answers the first turn with the first directive as a tool call, with deterministic usage", async () => {
    const messages = [
      { role: "system", content: "sys" },
      { role: "user", content: TASK },
    ];
    const res = await post({ model: "scripted-1", messages, tools: [] });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ChatAnswer;
    expect(body).toMatchObject({ object: "chat.completion", model: "scripted-1", choices: [{ index: 0, finish_reason: "tool_calls" }] });
    const message = body.choices[0]!.message;
    expect(message).toEqual({ role: "assistant", content: null, tool_calls: [call("call_1_1", "write_file", { path: "a.txt", content: "hello" })] });
    const prompt = Math.ceil((JSON.stringify(messages) + "[]").length / 4);
    const completion = Math.ceil(JSON.stringify(message).length / 4);
    expect(body.usage).toEqual({ prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion });
  });

  it("moves one directive per assistant turn, then finishes naming captures and denials", async () => {
    const base = [{ role: "user", content: `${TASK}\ndelete gone.txt` }];
    const turn1 = [...base, { role: "assistant", content: null, tool_calls: [call("c1", "write_file", { path: "a.txt", content: "hello" })] }, { role: "tool", tool_call_id: "c1", content: '{"outcome":"ok"}' }];
    const second = (await (await post({ model: "m", messages: turn1 })).json()) as ChatAnswer;
    expect(second.choices[0]!.message.tool_calls![0]!.function).toEqual({
      name: "http_request",
      arguments: JSON.stringify({ method: "POST", url: "https://api.example.com/notify", headers: { "content-type": "application/json" }, body: '{"text":"done"}' }),
    });
    const turn2 = [
      ...turn1,
      { role: "assistant", content: null, tool_calls: [second.choices[0]!.message.tool_calls![0]!] },
      { role: "tool", tool_call_id: "call_2_1", content: '{"outcome":"captured","reason_code":"PLAN_PHASE_SIDE_EFFECT_CAPTURED"}' },
      { role: "assistant", content: null, tool_calls: [call("c3", "delete_file", { path: "gone.txt" })] },
      { role: "tool", tool_call_id: "c3", content: '{"outcome":"denied","reason_code":"POLICY_SIDE_EFFECT_DENIED"}' },
    ];
    const last = (await (await post({ model: "m", messages: turn2 })).json()) as ChatAnswer;
    const finish = last.choices[0]!.message.tool_calls![0]!;
    expect(finish.function.name).toBe("finish");
    expect(JSON.parse(finish.function.arguments)).toEqual({
      summary: "Done: 3 steps. Captured for approval: http POST https://api.example.com/notify. Denied: delete gone.txt (POLICY_SIDE_EFFECT_DENIED).",
    });
  });

  it("is deterministic: the same request gets byte-identical answers", async () => {
    const request = { model: "scripted-1", messages: [{ role: "user", content: TASK }] };
    const [a, b] = await Promise.all([post(request), post(request)]);
    expect(await a.text()).toBe(await b.text());
  });

  it("follows a fixed script when one is given, then finishes", async () => {
    const scripted = await startScriptedModel({ script: [{ content: "thinking", tool_calls: [{ name: "list_files", arguments: {} }] }, { content: "bye" }] });
    try {
      const ask = async (assistantTurns: number) => {
        const messages: unknown[] = [{ role: "user", content: "anything" }];
        for (let i = 0; i < assistantTurns; i++) messages.push({ role: "assistant", content: "x" });
        return ((await (await post({ model: "scripted-x", messages }, scripted.url)).json()) as ChatAnswer).choices[0]!;
      };
      expect(await ask(0)).toMatchObject({ finish_reason: "tool_calls", message: { content: "thinking", tool_calls: [call("call_1_1", "list_files", {})] } });
      expect(await ask(1)).toMatchObject({ finish_reason: "stop", message: { role: "assistant", content: "bye" } });
      expect((await ask(2)).message.tool_calls![0]!.function.name).toBe("finish");
    } finally {
      await scripted.close();
    }
  });

  it("answers malformed requests with 400 in OpenAI's error shape", async () => {
    const cases: [unknown, string | null][] = [
      ["{not json", null],
      [[1, 2], null],
      [{ messages: [{ role: "user", content: "x" }] }, "model"],
      [{ model: "m", messages: [] }, "messages"],
      [{ model: "m", messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
      [{ model: "m", messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id"],
      [{ model: "m", messages: [{ role: "user", content: "x" }], stream: "yes" }, "stream"],
    ];
    for (const [body, param] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { message: expect.any(String), type: "invalid_request_error", param, code: null } });
    }
  });

  it("lists its models and answers unknown paths with 404", async () => {
    const models = await fetch(`${model.url}/models`);
    expect(await models.json()).toEqual({ object: "list", data: [{ id: "scripted-1", object: "model", created: 0, owned_by: "clawea" }] });
    const missing = await fetch(`${model.url}/embeddings`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("scripted model, streaming", () => {
  async function events(body: unknown): Promise<string[]> {
    const res = await post(body);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text.endsWith("\n\n")).toBe(true);
    return text
      .split("\n\n")
      .filter((e) => e !== "")
      .map((e) => {
        expect(e.startsWith("data: ")).toBe(true);
        return e.slice(6);
      });
  }

  it("streams tool-call deltas that join to the non-streamed message, then usage, then [DONE]", async () => {
    const request = { model: "scripted-1", messages: [{ role: "user", content: TASK }] };
    const whole = (await (await post(request)).json()) as ChatAnswer;
    const data = await events({ ...request, stream: true, stream_options: { include_usage: true } });
    expect(data.at(-1)).toBe("[DONE]");
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { id: string; object: string; choices: { delta: Record<string, unknown>; finish_reason: string | null }[]; usage: unknown });
    for (const chunk of chunks) expect(chunk).toMatchObject({ id: whole.id, object: "chat.completion.chunk" });

    const usageChunk = chunks.at(-1)!;
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage).toEqual(whole.usage);
    const deltas = chunks.slice(0, -1);
    expect(deltas.every((c) => c.usage === null)).toBe(true);
    expect(deltas.at(-1)!.choices[0]!.finish_reason).toBe("tool_calls");

    const calls: { id?: string; type?: string; name: string; arguments: string }[] = [];
    for (const chunk of deltas) {
      for (const part of (chunk.choices[0]!.delta["tool_calls"] ?? []) as { index: number; id?: string; type?: string; function: { name?: string; arguments?: string } }[]) {
        const slot = (calls[part.index] ??= { name: "", arguments: "" });
        if (part.id) slot.id = part.id;
        if (part.type) slot.type = part.type;
        slot.name += part.function.name ?? "";
        slot.arguments += part.function.arguments ?? "";
      }
    }
    expect(deltas.filter((c) => c.choices[0]!.delta["tool_calls"] !== undefined).length).toBeGreaterThan(2);
    expect(calls.map((c) => ({ id: c.id, type: c.type, function: { name: c.name, arguments: c.arguments } }))).toEqual(whole.choices[0]!.message.tool_calls);
  });

  it("streams text in pieces and sends usage only when asked for", async () => {
    const scripted = await startScriptedModel({ script: [{ content: "A reply that is longer than one chunk." }] });
    try {
      const res = await post({ model: "m", stream: true, messages: [{ role: "user", content: "x" }] }, scripted.url);
      const data = (await res.text()).split("\n\n").filter((e) => e !== "").map((e) => e.slice(6));
      expect(data.at(-1)).toBe("[DONE]");
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage?: unknown });
      expect(chunks.every((c) => c.choices.length === 1 && !("usage" in c))).toBe(true);
      expect(chunks.map((c) => c.choices[0]!.delta.content ?? "").join("")).toBe("A reply that is longer than one chunk.");
      expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe("stop");
    } finally {
      await scripted.close();
    }
  });
});
