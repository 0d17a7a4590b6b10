import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { FastifyBaseLogger } from "fastify";
import { and, eq } from "drizzle-orm";
import { gatewayReceipts, poolOf, runs, seal, sealBinding, secrets, usageEvents } from "@clawea/db";
import { b64uDecode, hashJcsB64u, nextEvent, sha256B64u, signEnvelope, verifyEventChain, type ChainEvent, type SignedEnvelope } from "@clawea/protocol";
import { validate } from "@clawea/schema";
import { validateUpstream } from "@clawea/testkit";
import { verifyProofBundle } from "@clawea/verify";
import { buildGatewayApp, type GatewayApp } from "../../app.js";
import { readRunEvents, revokeCst } from "@clawea/runs";
import type { ProviderRoute } from "../../config.js";
import { defaultPolicy, killRedisClient, startTestGateway, type TestAgent, type TestGateway } from "../../gateway.test-support.js";
import { createRedisPush } from "../../push/redis-push.js";
import { signReceipt } from "./model-proxy.receipt.js";
import { createCallWriter } from "./model-proxy.writer.js";
import { createUsageMeter, USAGE_CHANNEL } from "./model-proxy.meter.js";
import { modelProxyRepo, type StoredCall } from "./model-proxy.repo.js";
import { UsageTally } from "./model-proxy.domain.js";
import { BULK_BYTES, startScriptedUpstream, type ScriptedUpstream } from "./scripted-upstream.test-support.js";

type Receipt = SignedEnvelope<Record<string, unknown> & { binding: Record<string, unknown>; metadata: Record<string, unknown> }>;

const KEYS = { openai: "sk-test-openai-4f1c9e7a", anthropic: "sk-ant-test-b83d2a61", google: "sk-test-google-5d02e9c4", priced: "sk-test-priced-0a1b2c3d" };

let openai: ScriptedUpstream;
let anthropic: ScriptedUpstream;
let gw: TestGateway;
let providers: Record<string, ProviderRoute>;

async function putKey(agent: TestAgent, name: keyof typeof KEYS): Promise<void> {
  await gw.database.db
    .insert(secrets)
    .values({ tenantId: agent.tenantId, name, kind: "provider_key", sealed: seal(gw.keyring, KEYS[name], sealBinding.secret(agent.tenantId, name)) });
}

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startScriptedUpstream("openai"), startScriptedUpstream("anthropic")]);
  providers = {
    openai: { baseUrl: `${openai.url}/v1`, api: "openai" },
    anthropic: { baseUrl: anthropic.url, api: "anthropic" },
    // An OpenAI-compatible route whose operator vouches for a model identity tier.
    google: { baseUrl: `${openai.url}/v1`, api: "openai", model_identity_tier: "openweights_hashable" },
    // An OpenAI-compatible route with a price list: 1,000,000 minor units per million tokens, i.e. 1 per token.
    priced: { baseUrl: `${openai.url}/v1`, api: "openai", prices: { "*": { input_per_mtok_minor: 1_000_000, output_per_mtok_minor: 1_000_000 } } },
  };
  gw = await startTestGateway({ providers });
  await putKey(gw.agent, "openai");
  await putKey(gw.agent, "anthropic");
});
afterAll(async () => {
  await gw.close();
  await Promise.all([openai.close(), anthropic.close()]);
});

let runCounter = 0;
const freshRun = () => `run_mp_${++runCounter}_${Date.now()}`;

interface CallOptions {
  token?: string | null;
  runId?: string;
  agent?: TestAgent;
  headers?: Record<string, string>;
  url?: string;
  signal?: AbortSignal;
}

async function post(path: string, body: unknown, o: CallOptions = {}): Promise<Response> {
  const token = o.token === undefined ? await gw.token({ runId: o.runId ?? "run_test_1", ...(o.agent ? { agent: o.agent } : {}) }) : o.token;
  return fetch(`${o.url ?? gw.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token !== null ? { "x-cst": token } : {}), ...o.headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "hi" }], ...extra });

function headerReceipt(res: Response): Receipt {
  const encoded = res.headers.get("x-clawea-receipt");
  expect(encoded).toBeTruthy();
  return JSON.parse(Buffer.from(b64uDecode(encoded!)).toString("utf8")) as Receipt;
}

/** The stream as the client saw it, split into what came before the receipt trailer, and the trailer's receipt. */
function splitTrailer(text: string): { stream: string; receipt: Receipt } {
  const marker = "\n: clawea-receipt ";
  const at = text.lastIndexOf(marker);
  expect(at).toBeGreaterThan(0);
  expect(text.endsWith("\n\n")).toBe(true);
  return { stream: text.slice(0, at + 1), receipt: JSON.parse(Buffer.from(b64uDecode(text.slice(at + marker.length).trim())).toString("utf8")) as Receipt };
}

function chainFor(runId: string): ChainEvent[] {
  return [nextEvent([], runId, { event_id: "evt_1", event_type: "llm_call", timestamp: "2026-03-01T00:00:00.000Z", payload: { n: 1 } })];
}

/** Schema-valid upstream, our own schema, and valid inside a proof bundle signed by the agent under the gateway's and agent's anchors. */
function expectVerifiable(receipt: Receipt, chain: ChainEvent[], agent: TestAgent = gw.agent): void {
  expect(validateUpstream("poh/gateway_receipt_envelope.v1.json", receipt)).toEqual({ ok: true, errors: [] });
  expect(validate("gateway_receipt_envelope", receipt).ok).toBe(true);
  const bundle = signEnvelope({
    envelopeType: "proof_bundle",
    signer: agent.key,
    issuedAt: new Date().toISOString(),
    payload: { bundle_version: "1", bundle_id: `bundle_${receipt.payload["receipt_id"] as string}`, agent_did: agent.key.did, event_chain: chain, receipts: [receipt] },
  });
  const verdict = verifyProofBundle(bundle, {
    trust: { allowed_signer_dids: [gw.signer.did, agent.key.did], roles: { gateway: [gw.signer.did], agent: [agent.key.did] } },
    now: new Date(Date.now() + 60_000).toISOString(),
  });
  expect(verdict.reason_codes).toEqual(["OK"]);
}

/** Receipts are stored just behind the answer. */
async function storedRow(receiptId: string) {
  return eventually(async () => (await gw.database.db.select().from(gatewayReceipts).where(eq(gatewayReceipts.receiptId, receiptId)))[0]);
}

async function storedRows(tenantId: string, runId: string, count: number) {
  return eventually(async () => {
    const rows = await gw.database.db.select().from(gatewayReceipts).where(and(eq(gatewayReceipts.tenantId, tenantId), eq(gatewayReceipts.runId, runId)));
    return rows.length >= count ? rows : undefined;
  });
}

async function eventually<T>(read: () => Promise<T | undefined> | T | undefined, timeoutMs = 3_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("OpenAI chat completions", () => {
  it("proxies a call with the tenant's key, rewrites the model, meters it and returns a verifiable receipt", async () => {
    const runId = freshRun();
    const chain = chainFor(runId);
    const arrival = openai.nextArrival("gpt-test");
    const res = await post("/v1/chat/completions", chat("openai/gpt-test"), { runId, headers: { "x-event-hash": chain[0]!.event_hash_b64u, authorization: "Bearer sk-caller-junk" } });
    const text = await res.text();
    expect(res.status).toBe(200);
    const upstreamRequest = await arrival;
    expect(upstreamRequest.path).toBe("/v1/chat/completions");
    expect(upstreamRequest.headers.authorization).toBe(`Bearer ${KEYS.openai}`);
    expect(upstreamRequest.headers["x-cst"]).toBeUndefined();
    expect(upstreamRequest.json).toMatchObject({ model: "gpt-test", messages: [{ role: "user", content: "hi" }] });
    expect(JSON.parse(text)).toMatchObject({ object: "chat.completion", choices: [{ message: { content: "Hello world" } }] });
    expect(res.headers.get("x-upstream-secret-header")).toBeNull();
    const everything = `${text}${JSON.stringify([...res.headers])}`;
    expect(everything).not.toContain(KEYS.openai);

    const receipt = headerReceipt(res);
    expect(res.headers.get("x-clawea-receipt-id")).toBe(receipt.payload["receipt_id"]);
    expect(receipt.payload).toMatchObject({
      receipt_version: "1",
      gateway_id: "gw_test",
      provider: "openai",
      model: "gpt-test",
      request_hash_b64u: sha256B64u(upstreamRequest.body),
      response_hash_b64u: sha256B64u(Buffer.from(text)),
      tokens_input: 12,
      tokens_output: 5,
      binding: { run_id: runId, event_hash_b64u: chain[0]!.event_hash_b64u, policy_hash: gw.agent.policyHash },
      metadata: { status: "success", http_status: 200, api: "openai.chat_completions", stream: false, usage_reported: true },
    });
    expect(receipt.signer_did).toBe(gw.signer.did);
    expectVerifiable(receipt, chain);

    expect(await storedRow(receipt.payload["receipt_id"] as string)).toMatchObject({ runId, status: "success", agentId: gw.agent.agentId });
    const usage = await eventually(async () => {
      const rows = await gw.database.db.select().from(usageEvents).where(and(eq(usageEvents.tenantId, gw.agent.tenantId), eq(usageEvents.runId, runId)));
      return rows.length > 0 ? rows : undefined;
    });
    expect(usage.map((u) => [u.kind, u.model, u.quantity, u.agentId, u.templateId]).sort()).toEqual([
      ["tokens_in", "openai/gpt-test", 12, gw.agent.agentId, "tpl_reference_small"],
      ["tokens_out", "openai/gpt-test", 5, gw.agent.agentId, "tpl_reference_small"],
    ]);
  });

  it("answers a stream's status at once while the model has not begun, and its first bytes with it when they came together", async () => {
    // The upstream sent its headers only: the caller has its 200 before any token exists.
    const late = await Promise.race([
      post("/v1/chat/completions", chat("openai/gpt-test-late", { stream: true }), { runId: freshRun() }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no headers before the first token")), 3_000)),
    ]);
    expect(late.status).toBe(200);
    expect(late.headers.get("x-clawea-receipt-id")).toMatch(/^gwr_/);
    openai.openGate();
    expect(splitTrailer(await late.text()).stream.trimEnd().endsWith("data: [DONE]")).toBe(true);

    const together = await post("/v1/chat/completions", chat("openai/gpt-test-gated", { stream: true }), { runId: freshRun() });
    const reader = together.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('"role":"assistant"');
    openai.openGate();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
  });

  it("holds a stream's upstream back while its client does not read, and passes every byte once it does", async () => {
    const runId = freshRun();
    const chain = chainFor(runId);
    const res = await post("/v1/chat/completions", chat("openai/gpt-test-bulk", { stream: true }), { runId, headers: { "x-event-hash": chain[0]!.event_hash_b64u } });
    expect(res.status).toBe(200);
    // Nothing read: once the buffers on the way are full, the upstream cannot write more.
    let sent = -1;
    await eventually(async () => {
      const now = openai.bulkSent();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return now > 0 && now === openai.bulkSent() ? ((sent = now), true) : undefined;
    }, 10_000);
    expect(sent).toBeLessThan(BULK_BYTES);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(openai.bulkSent()).toBe(BULK_BYTES);
    const { stream, receipt } = splitTrailer(bytes.toString("utf8"));
    expect(stream.length).toBeGreaterThan(BULK_BYTES);
    expect(stream.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(receipt.payload).toMatchObject({ response_hash_b64u: sha256B64u(Buffer.from(stream)), metadata: { status: "success", stream: true } });
    expectVerifiable(receipt, chain);
  });

  it("infers the provider of a bare model and passes tool calls through", async () => {
    const res = await post("/v1/chat/completions", chat("gpt-test-tools"));
    const body = (await res.json()) as { choices: { message: { tool_calls: { function: { name: string; arguments: string } }[] }; finish_reason: string }[] };
    expect(res.status).toBe(200);
    expect(body.choices[0]).toMatchObject({ finish_reason: "tool_calls", message: { tool_calls: [{ function: { name: "read_file", arguments: '{"path":"a.txt"}' } }] } });
    expect(headerReceipt(res).payload).toMatchObject({ provider: "openai", model: "gpt-test-tools" });
  });

  it("streams chunk by chunk: the first chunk reaches the client before the upstream finishes, then the receipt trailer", async () => {
    const runId = freshRun();
    const chain = chainFor(runId);
    const arrival = openai.nextArrival("-gated");
    const res = await post("/v1/chat/completions", chat("openai/gpt-test-gated", { stream: true }), { runId, headers: { "x-event-hash": chain[0]!.event_hash_b64u } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const receiptId = res.headers.get("x-clawea-receipt-id");
    expect(res.headers.get("x-clawea-receipt-url")).toBe(`/v1/receipts/${receiptId}`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('"role":"assistant"');
    const upstreamRequest = await arrival;
    // The upstream is still holding the rest of its answer.
    expect(upstreamRequest.json).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    openai.openGate();
    let text = new TextDecoder().decode(first.value);
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += new TextDecoder().decode(chunk.value);

    const { stream, receipt } = splitTrailer(text);
    expect(stream).toContain('"content":" world"');
    expect(stream.trimEnd().endsWith("data: [DONE]")).toBe(true);
    expect(receipt.payload).toMatchObject({
      receipt_id: receiptId,
      response_hash_b64u: sha256B64u(Buffer.from(stream)),
      request_hash_b64u: sha256B64u(upstreamRequest.body),
      tokens_input: 12,
      tokens_output: 5,
      metadata: { status: "success", stream: true },
    });
    expectVerifiable(receipt, chain);
    expect(text).not.toContain(KEYS.openai);

    const fetched = await fetch(`${gw.url}/v1/receipts/${receiptId}`, { headers: { "x-cst": await gw.token({ runId }) } });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(receipt);
    const otherRun = await fetch(`${gw.url}/v1/receipts/${receiptId}`, { headers: { "x-cst": await gw.token({ runId: "run_other" }) } });
    expect(otherRun.status).toBe(404);
  });

  it("streams tool calls as the upstream sends them", async () => {
    const res = await post("/v1/chat/completions", chat("gpt-test-tools", { stream: true, stream_options: { include_usage: false } }));
    const { stream, receipt } = splitTrailer(await res.text());
    const args = stream
      .split("\n")
      .filter((line) => line.startsWith("data: {"))
      .flatMap((line) => (JSON.parse(line.slice(6)) as { choices: { delta: { tool_calls?: { function: { arguments?: string } }[] } }[] }).choices)
      .map((c) => c.delta.tool_calls?.[0]?.function.arguments ?? "")
      .join("");
    expect(args).toBe('{"path":"a.txt"}');
    // Usage is always asked for upstream, so the call is metered even when the caller opted out.
    expect(receipt.payload).toMatchObject({ tokens_input: 12, tokens_output: 5 });
  });
});

describe("OpenAI responses and Anthropic messages", () => {
  it("proxies /v1/responses, streamed and not", async () => {
    const plain = await post("/v1/responses", { model: "openai/gpt-test", input: "hi" });
    expect(plain.status).toBe(200);
    expect((await plain.json()) as unknown).toMatchObject({ object: "response", output: [{ content: [{ text: "Hello" }] }] });
    expect(headerReceipt(plain).payload).toMatchObject({ tokens_input: 9, tokens_output: 4, metadata: { api: "openai.responses" } });
    expect(openai.requests.at(-1)?.path).toBe("/v1/responses");

    const streamed = await post("/v1/responses", { model: "gpt-test", input: "hi", stream: true });
    const { stream, receipt } = splitTrailer(await streamed.text());
    expect(stream).toContain("event: response.completed");
    expect(receipt.payload).toMatchObject({ tokens_input: 9, tokens_output: 4, metadata: { stream: true } });
  });

  it("proxies /v1/messages with the CST in x-api-key and the provider key in its place", async () => {
    const runId = freshRun();
    const chain = chainFor(runId);
    const token = await gw.token({ runId });
    const arrival = anthropic.nextArrival("claude-test");
    const res = await post("/v1/messages", { model: "claude-test", max_tokens: 64, messages: [{ role: "user", content: "hi" }] }, {
      token: null,
      headers: { "x-api-key": token, "anthropic-version": "2023-06-01", "x-event-hash": chain[0]!.event_hash_b64u },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: "message", content: [{ type: "text", text: "Hello world" }] });
    const upstreamRequest = await arrival;
    expect(upstreamRequest.path).toBe("/v1/messages");
    expect(upstreamRequest.headers["x-api-key"]).toBe(KEYS.anthropic);
    expect(upstreamRequest.headers["anthropic-version"]).toBe("2023-06-01");
    expect(upstreamRequest.headers.authorization).toBeUndefined();
    const receipt = headerReceipt(res);
    // Cache reads are input the provider bills: 20 + 3.
    expect(receipt.payload).toMatchObject({ provider: "anthropic", model: "claude-test", tokens_input: 23, tokens_output: 7 });
    expectVerifiable(receipt, chain);
  });

  it("streams Anthropic events, tool use included, and reads usage from message_start and message_delta", async () => {
    const runId = freshRun();
    const chain = chainFor(runId);
    const res = await post("/v1/messages", { model: "anthropic/claude-test-tools", max_tokens: 64, stream: true, messages: [{ role: "user", content: "hi" }] }, {
      runId,
      headers: { "x-event-hash": chain[0]!.event_hash_b64u },
    });
    const { stream, receipt } = splitTrailer(await res.text());
    expect(stream).toContain("event: message_start");
    expect(stream).toContain('"partial_json":"\\"a.txt\\"}"');
    expect(stream.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
    expect(receipt.payload).toMatchObject({ tokens_input: 23, tokens_output: 7, response_hash_b64u: sha256B64u(Buffer.from(stream)) });
    expectVerifiable(receipt, chain);
  });

  it("lists the models the run may call, in the caller's shape", async () => {
    const res = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${await gw.token()}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { object: string; data: { id: string; owned_by: string }[] };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => m.id)).toEqual(["anthropic/claude-secret", "anthropic/claude-test", "openai/gpt-secret", "openai/gpt-test", "openai/o-internal"]);

    const narrow = await gw.addAgent(policyFor(["gpt-test*"]));
    await putKey(narrow, "openai");
    const anthropicShape = await fetch(`${gw.url}/v1/models`, { headers: { "x-api-key": await gw.token({ agent: narrow }), "anthropic-version": "2023-06-01" } });
    expect(await anthropicShape.json()).toMatchObject({ data: [{ type: "model", id: "openai/gpt-test" }], has_more: false });
  });
});

function policyFor(models: string[], budget = { max_tokens_per_run: 100_000, max_cost_minor_per_run: 100_000 }): Record<string, unknown> {
  return { ...defaultPolicy(), statements: [{ sid: "models", effect: "Allow", actions: ["model:invoke"], resources: models }], metadata: { clawea: { budget } } };
}

describe("upstream failures are mapped, answered at once and receipted", () => {
  it.each([
    ["-e400", 400, "UPSTREAM_REJECTED"],
    ["-e401", 424, "PROVIDER_KEY_REJECTED"],
    ["-e429", 429, "UPSTREAM_RATE_LIMITED"],
    ["-e500", 502, "UPSTREAM_ERROR"],
  ] as const)("upstream %s answers %i %s", async (suffix, status, code) => {
    const runId = freshRun();
    const chain = chainFor(runId);
    const res = await post("/v1/chat/completions", chat(`gpt-test${suffix}`, { stream: true }), { runId, headers: { "x-event-hash": chain[0]!.event_hash_b64u } });
    const text = await res.text();
    expect(res.status).toBe(status);
    const body = JSON.parse(text) as { reason_code: string; error: { code: string; message: string }; receipt_id: string; upstream_status: number };
    expect(body).toMatchObject({ reason_code: code, error: { code } });
    expect(text).not.toContain(KEYS.openai);
    if (suffix === "-e400") expect(body.error.message).toContain("maximum context length");
    if (suffix === "-e429") expect(res.headers.get("retry-after")).toBe("7");
    const receipt = headerReceipt(res);
    expect(receipt.payload).toMatchObject({
      receipt_id: body.receipt_id,
      response_hash_b64u: sha256B64u(Buffer.from(text)),
      tokens_input: 0,
      tokens_output: 0,
      metadata: { status: "failure", reason_code: code, http_status: status, upstream_status: Number(suffix.slice(2)), usage_reported: false },
    });
    expectVerifiable(receipt, chain);
    expect(await storedRow(body.receipt_id)).toMatchObject({ status: "failure" });
  });

  it("maps a refused connection to UPSTREAM_ERROR", async () => {
    const dead = await startScriptedUpstream("openai");
    await dead.close();
    const app = await gatewayWith({ openai: { baseUrl: `${dead.url}/v1`, api: "openai" } }, 2_000);
    const res = await post("/v1/chat/completions", chat("gpt-test"), { url: app.url });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { reason_code: string }).reason_code).toBe("UPSTREAM_ERROR");
    expect(headerReceipt(res).payload.metadata).toMatchObject({ status: "failure", reason_code: "UPSTREAM_ERROR" });
    await app.close();
  });

  it("times out an upstream that never answers (504) and one that stalls mid-stream (error event), receipting both", async () => {
    const app = await gatewayWith(providers, 300);
    const started = Date.now();
    const [hung, stalled] = await Promise.all([
      post("/v1/chat/completions", chat("gpt-test-hang"), { url: app.url }),
      post("/v1/messages", { model: "claude-test-stall", max_tokens: 8, stream: true, messages: [] }, { url: app.url }),
    ]);
    expect(hung.status).toBe(504);
    expect(((await hung.json()) as { reason_code: string }).reason_code).toBe("UPSTREAM_TIMEOUT");
    expect(headerReceipt(hung).payload.metadata).toMatchObject({ status: "failure", reason_code: "UPSTREAM_TIMEOUT" });
    expect(stalled.status).toBe(200);
    const { stream, receipt } = splitTrailer(await stalled.text());
    expect(stream).toContain("event: message_start");
    expect(stream).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"clawea_error","code":"UPSTREAM_TIMEOUT"/);
    expect(receipt.payload).toMatchObject({ tokens_input: 23, response_hash_b64u: sha256B64u(Buffer.from(stream)), metadata: { status: "failure", reason_code: "UPSTREAM_TIMEOUT" } });
    expect(Date.now() - started).toBeLessThan(5_000);
    await app.close();
  });

  it("ends a stream whose upstream connection dies with an UPSTREAM_ERROR event", async () => {
    const res = await post("/v1/chat/completions", chat("gpt-test-reset", { stream: true }));
    const { stream, receipt } = splitTrailer(await res.text());
    expect(stream).toContain('"code":"UPSTREAM_ERROR"');
    expect(receipt.payload.metadata).toMatchObject({ status: "failure", reason_code: "UPSTREAM_ERROR" });
  });

  it("aborts the upstream call when the client goes away, and receipts it", async () => {
    const runId = freshRun();
    const abort = new AbortController();
    const arrival = openai.nextArrival("-stall");
    const res = await post("/v1/chat/completions", chat("gpt-test-stall", { stream: true }), { runId, signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    const upstreamRequest = await arrival;
    abort.abort();
    await eventually(() => (upstreamRequest.aborted ? true : undefined));
    const [row] = await storedRows(gw.agent.tenantId, runId, 1);
    expect(row!.status).toBe("failure");
    // The 200 and the first chunk had been sent when the client left.
    expect((row!.envelope as Receipt).payload.metadata).toMatchObject({ reason_code: "CLIENT_DISCONNECTED", http_status: 200 });
  });
});

async function gatewayWith(routes: typeof providers, upstreamTimeoutMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const app: GatewayApp = await buildGatewayApp({
    db: gw.database.db,
    redis: gw.redis,
    keyring: gw.keyring,
    signer: gw.signer,
    gatewayId: "gw_test",
    providers: routes,
    authenticator: gw.authenticator,
    upstreamTimeoutMs,
    logger: false,
    bodyLimitBytes: 256 * 1024,
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url, close: () => app.close() };
}

describe("denials: a status and a reason code, never 401/403, nothing sent upstream", () => {
  async function expectDenied(res: Response, status: number, code: string): Promise<void> {
    const body = (await res.json()) as { reason_code: string; error: { code: string } };
    expect({ status: res.status, code: body.reason_code }).toEqual({ status, code });
    expect(body.error.code).toBe(code);
    expect(res.headers.get("x-clawea-receipt")).toBeNull();
  }

  it("refuses missing, garbage, expired, revoked, forged, ungranted, misaddressed and wrong-run tokens", async () => {
    const before = openai.requests.length;
    const body = chat("gpt-test");
    await expectDenied(await post("/v1/chat/completions", body, { token: null }), 400, "CST_MALFORMED");
    await expectDenied(await post("/v1/chat/completions", body, { token: "not.a.token" }), 400, "CST_MALFORMED");
    await expectDenied(await post("/v1/chat/completions", body, { token: await gw.token({ issuedSecondsAgo: 1200, ttlSeconds: 600 }) }), 400, "CST_EXPIRED");
    const revoked = await gw.token();
    const jti = (JSON.parse(Buffer.from(revoked.split(".")[1]!, "base64url").toString()) as { jti: string }).jti;
    await revokeCst({ db: gw.database.db, redis: gw.redis, now: () => new Date() }, { jti, tenantId: gw.agent.tenantId, expiresAt: new Date(Date.now() + 600_000) });
    await expectDenied(await post("/v1/chat/completions", body, { token: revoked }), 400, "CST_REVOKED");
    const [h, p] = (await gw.token()).split(".");
    await expectDenied(await post("/v1/chat/completions", body, { token: `${h}.${p}.${"A".repeat(86)}` }), 400, "CST_SIGNATURE_INVALID");
    await expectDenied(await post("/v1/chat/completions", body, { token: await gw.token({ grants: ["side_effect:network_egress"] }) }), 400, "CST_SCOPE_DENIED");
    await expectDenied(await post("/v1/chat/completions", body, { token: await gw.token({ audience: "clawea-control-plane" }) }), 400, "CST_AUDIENCE_MISMATCH");
    await expectDenied(await post("/v1/chat/completions", body, { runId: "run_a", headers: { "x-run-id": "run_b" } }), 400, "CST_BINDING_MISMATCH");
    await expectDenied(await post("/v1/messages", body, { token: null, headers: { "x-api-key": "sk-ant-a-real-looking-key" } }), 400, "CST_MALFORMED");
    expect(openai.requests.length).toBe(before);
  });

  it("refuses agents that are not running, models the WPC does not allow, unknown providers and missing keys", async () => {
    const before = openai.requests.length + anthropic.requests.length;
    const sleeping = await gw.addAgent(defaultPolicy(), "sleeping");
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test"), { agent: sleeping }), 409, "AGENT_NOT_RUNNING");
    const narrow = await gw.addAgent(policyFor(["gpt-test*"]));
    await putKey(narrow, "openai");
    const denied = await post("/v1/chat/completions", chat("openai/gpt-secret"), { agent: narrow });
    await expectDenied(denied, 400, "POLICY_MODEL_DENIED");
    await expectDenied(await post("/v1/chat/completions", chat("mistral/large"), { agent: narrow }), 400, "MODEL_PROVIDER_UNKNOWN");
    await expectDenied(await post("/v1/messages", chat("openai/gpt-test"), { agent: narrow }), 400, "MODEL_PROVIDER_API_MISMATCH");
    await expectDenied(await post("/v1/messages", chat("claude-test-x"), { agent: await gw.addAgent(defaultPolicy()) }), 424, "PROVIDER_KEY_MISSING");
    expect(openai.requests.length + anthropic.requests.length).toBe(before);
  });

  it("enforces the run's token budget across calls, and after the Redis counter is lost", async () => {
    const small = await gw.addAgent(policyFor(["*"], { max_tokens_per_run: 20, max_cost_minor_per_run: 100 }));
    await putKey(small, "openai");
    const runId = freshRun();
    expect((await post("/v1/chat/completions", chat("gpt-test"), { agent: small, runId })).status).toBe(200);
    expect((await post("/v1/chat/completions", chat("gpt-test", { stream: true }), { agent: small, runId })).status).toBe(200);
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test"), { agent: small, runId }), 429, "POLICY_BUDGET_EXCEEDED");
    await storedRows(small.tenantId, runId, 2);
    await gw.redis.del(`clawea:gw:usage:${small.tenantId}:${runId}`);
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test"), { agent: small, runId }), 429, "POLICY_BUDGET_EXCEEDED");
    // Another run of the same agent has its own budget.
    expect((await post("/v1/chat/completions", chat("gpt-test"), { agent: small, runId: freshRun() })).status).toBe(200);
  });

  it("prices calls from the provider's price list, records the cost in the receipt, and enforces the cost budget, also after the counter is lost", async () => {
    const cheap = await gw.addAgent(policyFor(["*"], { max_tokens_per_run: 100_000, max_cost_minor_per_run: 5 }));
    await putKey(cheap, "priced");
    const runId = freshRun();
    const first = await post("/v1/chat/completions", chat("priced/gpt-test"), { agent: cheap, runId });
    expect(first.status).toBe(200);
    const receipt = JSON.parse(Buffer.from(first.headers.get("x-clawea-receipt")!, "base64url").toString("utf8")) as Receipt;
    const tokens = Number(receipt.payload["tokens_input"]) + Number(receipt.payload["tokens_output"]);
    expect(tokens).toBeGreaterThanOrEqual(5);
    expect(receipt.payload.metadata["cost_minor"]).toBe(tokens);
    await expectDenied(await post("/v1/chat/completions", chat("priced/gpt-test"), { agent: cheap, runId }), 429, "POLICY_BUDGET_EXCEEDED");
    await storedRows(cheap.tenantId, runId, 1);
    await gw.redis.del(`clawea:gw:usage:${cheap.tenantId}:${runId}`);
    await expectDenied(await post("/v1/chat/completions", chat("priced/gpt-test"), { agent: cheap, runId }), 429, "POLICY_BUDGET_EXCEEDED");
    // An unpriced model costs nothing: the same budget leaves it alone.
    await putKey(cheap, "openai");
    const unpriced = await post("/v1/chat/completions", chat("openai/gpt-test"), { agent: cheap, runId: freshRun() });
    expect(unpriced.status).toBe(200);
    const free = JSON.parse(Buffer.from(unpriced.headers.get("x-clawea-receipt")!, "base64url").toString("utf8")) as Receipt;
    expect(free.payload.metadata["cost_minor"]).toBeUndefined();
  });

  it("refuses oversized, malformed and non-JSON bodies", async () => {
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test", { messages: [{ role: "user", content: "x".repeat(300_000) }] })), 413, "BODY_TOO_LARGE");
    await expectDenied(await post("/v1/chat/completions", '{"model":'), 400, "VALIDATION_FAILED");
    await expectDenied(await post("/v1/chat/completions", "[1,2]"), 400, "VALIDATION_FAILED");
    await expectDenied(await post("/v1/chat/completions", { messages: [] }), 400, "VALIDATION_FAILED");
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test", { stream: "yes" })), 400, "VALIDATION_FAILED");
    await expectDenied(await post("/v1/chat/completions", chat("openai/")), 400, "VALIDATION_FAILED");
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test"), { headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
    await expectDenied(await post("/v1/chat/completions", chat("gpt-test"), { headers: { "x-event-hash": "not a hash" } }), 400, "VALIDATION_FAILED");
  });
});

describe("what the policy is told about a call: the route's identity tier and the estimated tokens", () => {
  const floorPolicy = {
    policy_version: "1",
    policy_id: "tier-floor",
    issuer_did: defaultPolicy()["issuer_did"],
    allowed_providers: ["openai", "google"],
    allowed_models: ["gpt-test*"],
    minimum_model_identity_tier: "closed_provider_manifest",
    metadata: { clawea: { budget: { max_tokens_per_run: 100_000, max_cost_minor_per_run: 100_000 } } },
  };

  it("states the route's model identity tier to the policy, and records it in the receipt", async () => {
    const agent = await gw.addAgent(floorPolicy);
    await putKey(agent, "openai");
    await putKey(agent, "google");
    const runId = freshRun();
    const chain = chainFor(runId);
    const before = openai.requests.length;
    const untiered = await post("/v1/chat/completions", chat("openai/gpt-test"), { agent, runId });
    expect([untiered.status, ((await untiered.json()) as { reason_code: string }).reason_code]).toEqual([400, "POLICY_MODEL_DENIED"]);
    expect(openai.requests.length).toBe(before);

    const res = await post("/v1/chat/completions", chat("google/gpt-test"), { agent, runId, headers: { "x-event-hash": chain[0]!.event_hash_b64u } });
    expect(res.status).toBe(200);
    const receipt = headerReceipt(res);
    const identity = { model_identity_version: "1", tier: "openweights_hashable", model: { provider: "google", name: "gpt-test" } };
    expect(receipt.payload.metadata).toMatchObject({ model_identity: identity, model_identity_hash_b64u: hashJcsB64u(identity) });
    expect(validate("model_identity", receipt.payload.metadata["model_identity"]).ok).toBe(true);
    expectVerifiable(receipt, chain, agent);

    const listed = await fetch(`${gw.url}/v1/models`, { headers: { authorization: `Bearer ${await gw.token({ agent })}` } });
    expect(((await listed.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual(["google/gpt-test"]);
  });

  it("records no model identity for a route that declares no tier", async () => {
    expect(headerReceipt(await post("/v1/chat/completions", chat("openai/gpt-test"))).payload.metadata).not.toHaveProperty("model_identity");
  });

  it("checks the call's estimated tokens (output cap + ceil(prompt characters / 4)) against the budget before sending it", async () => {
    const agent = await gw.addAgent(policyFor(["*"], { max_tokens_per_run: 100, max_cost_minor_per_run: 100 }));
    await putKey(agent, "openai");
    await putKey(agent, "anthropic");
    const runId = freshRun();
    const before = openai.requests.length + anthropic.requests.length;
    // "hi" is one token by the estimate, so a cap of 100 overruns a budget of 100 and a cap of 99 fits it.
    const overruns: [string, Record<string, unknown>][] = [
      ["/v1/chat/completions", chat("gpt-test", { max_tokens: 100 })],
      ["/v1/chat/completions", chat("gpt-test", { max_completion_tokens: 100 })],
      ["/v1/chat/completions", chat("gpt-test", { messages: [{ role: "user", content: "x".repeat(401) }] })],
      ["/v1/responses", { model: "gpt-test", input: "hi", max_output_tokens: 100 }],
      ["/v1/messages", { model: "claude-test", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }],
    ];
    for (const [path, body] of overruns) {
      const res = await post(path, body, { agent, runId });
      expect([res.status, ((await res.json()) as { reason_code: string }).reason_code], path).toEqual([429, "POLICY_BUDGET_EXCEEDED"]);
    }
    expect(openai.requests.length + anthropic.requests.length).toBe(before);
    expect((await post("/v1/chat/completions", chat("gpt-test", { max_tokens: 99 }), { agent, runId })).status).toBe(200);
  });
});

describe("idempotency: one completed call, one receipt", () => {
  it("answers a retry of a completed call with the stored answer and the same receipt, without calling upstream again", async () => {
    const runId = freshRun();
    const headers = { "idempotency-key": `idem-${runId}` };
    const first = await post("/v1/chat/completions", chat("gpt-test"), { runId, headers });
    const firstText = await first.text();
    const calls = openai.requests.length;
    const retry = await post("/v1/chat/completions", chat("gpt-test"), { runId, headers });
    expect(retry.status).toBe(200);
    expect(await retry.text()).toBe(firstText);
    expect(retry.headers.get("x-clawea-idempotent-replay")).toBe("true");
    expect(headerReceipt(retry)).toEqual(headerReceipt(first));
    expect(headerReceipt(first).payload.binding).toMatchObject({ nonce: `idem-${runId}` });
    expect(openai.requests.length).toBe(calls);
    expect(await storedRows(gw.agent.tenantId, runId, 1)).toHaveLength(1);

    const reused = await post("/v1/chat/completions", chat("gpt-test", { temperature: 1 }), { runId, headers });
    expect(reused.status).toBe(422);
    expect(((await reused.json()) as { reason_code: string }).reason_code).toBe("IDEMPOTENCY_KEY_REUSED");
    // The same key in another run is another call.
    expect((await post("/v1/chat/completions", chat("gpt-test"), { runId: freshRun(), headers })).headers.get("x-clawea-idempotent-replay")).toBeNull();
  });

  it("replays a completed stream with its trailer, tells a concurrent retry to wait, and lets a failed call run again", async () => {
    const runId = freshRun();
    const headers = { "idempotency-key": "stream-key-1" };
    const arrival = openai.nextArrival("-gated");
    const first = await post("/v1/chat/completions", chat("gpt-test-gated", { stream: true }), { runId, headers });
    await arrival;
    const concurrent = await post("/v1/chat/completions", chat("gpt-test-gated", { stream: true }), { runId, headers });
    expect(concurrent.status).toBe(409);
    expect(((await concurrent.json()) as { reason_code: string }).reason_code).toBe("IDEMPOTENCY_IN_PROGRESS");
    openai.openGate();
    const firstText = await first.text();
    const replayed = await post("/v1/chat/completions", chat("gpt-test-gated", { stream: true }), { runId, headers });
    expect(await replayed.text()).toBe(firstText);
    expect(splitTrailer(firstText).receipt.payload["receipt_id"]).toBe(first.headers.get("x-clawea-receipt-id"));

    const failHeaders = { "idempotency-key": "fails-then-retried" };
    const failed = await post("/v1/chat/completions", chat("gpt-test-e500"), { runId, headers: failHeaders });
    expect(failed.status).toBe(502);
    const again = await post("/v1/chat/completions", chat("gpt-test-e500"), { runId, headers: failHeaders });
    expect(again.status).toBe(502);
    expect(headerReceipt(again).payload["receipt_id"]).not.toBe(headerReceipt(failed).payload["receipt_id"]);
  });

  it("knows a completed call from its stored receipt when Redis has forgotten it", async () => {
    const runId = freshRun();
    const headers = { "idempotency-key": "forgotten" };
    const first = await post("/v1/chat/completions", chat("gpt-test"), { runId, headers });
    await storedRows(gw.agent.tenantId, runId, 1);
    await gw.redis.del((await gw.redis.keys(`clawea:gw:idem:${gw.agent.tenantId}:${runId}:*`))[0]!);
    const retry = await post("/v1/chat/completions", chat("gpt-test"), { runId, headers });
    expect(retry.status).toBe(422);
    expect(await retry.json()).toMatchObject({ reason_code: "IDEMPOTENT_REPLAY_UNAVAILABLE", receipt_id: first.headers.get("x-clawea-receipt-id") });
  });
});

describe("the run's event chain", () => {
  /** A run this platform started: the gateway appends its calls' `llm_call` events to its chain. */
  const platformRun = async () => {
    const runId = freshRun();
    await gw.database.db.insert(runs).values({ id: runId, tenantId: gw.agent.tenantId, agentId: gw.agent.agentId, task: "t", state: "planning", phase: "plan", policyHash: gw.agent.policyHash });
    return runId;
  };

  it("binds each receipt of a platform run to the llm_call event the gateway appended, for calls in parallel too", async () => {
    const runId = await platformRun();
    const token = await gw.token({ runId });
    const answers = await Promise.all(Array.from({ length: 20 }, () => post("/v1/chat/completions", chat("openai/gpt-test"), { token })));
    expect(answers.map((res) => res.status)).toEqual(Array(20).fill(200));
    const receipts = answers.map(headerReceipt);
    const events = await readRunEvents(gw.database.db, gw.agent.tenantId, runId);
    expect(verifyEventChain(events)).toEqual({ ok: true });
    expect(events.map((e) => e.event_type)).toEqual(Array(20).fill("llm_call"));
    for (const receipt of receipts) {
      const event = events.find((e) => e.payload["receipt_id"] === receipt.payload["receipt_id"]);
      expect(event?.event_hash_b64u).toBe(receipt.payload.binding["event_hash_b64u"]);
      expect(event?.payload["request_hash_b64u"]).toBe(receipt.payload["request_hash_b64u"]);
    }
  });

  it("withholds the provider's answer when the call's event cannot be written, and receipts the failure", async () => {
    const runId = await platformRun();
    // A payload PostgreSQL refuses (jsonb cannot hold NUL) stands in for a chain that cannot be written;
    // the stream's upstream (`-hang`) has not answered when the write fails.
    for (const [model, stream] of [["openai/gpt-test\u0000", false], ["openai/gpt-te\u0000st-hang", true]] as const) {
      const res = await post("/v1/chat/completions", chat(model, stream ? { stream: true } : {}), { token: await gw.token({ runId }) });
      expect(res.status).toBe(503);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ reason_code: "DEPENDENCY_UNAVAILABLE" });
      expect(text).not.toContain("choices");
      const receipt = headerReceipt(res);
      expect(receipt.payload.metadata).toMatchObject({ status: "failure", reason_code: "DEPENDENCY_UNAVAILABLE" });
      expect(receipt.payload.binding["event_hash_b64u"]).toBeUndefined();
    }
    expect(await readRunEvents(gw.database.db, gw.agent.tenantId, runId)).toEqual([]);
  });

  /**
   * Holds the run's row locked (another plane appending, or a slow database), so the gateway's write of
   * the call's event waits; `release` lets it through, and `gatewayWrite` names the backend that waits.
   * The gateway's first read of the run's head does not lock, so the only waiter is its write.
   */
  async function lockRun(runId: string) {
    const client = await poolOf(gw.database.db).connect();
    await client.query("begin");
    await client.query("select 1 from runs where id = $1 for update", [runId]);
    let released = false;
    return {
      // Whoever waits on this lock (pg_stat_activity's query text can lag behind a prepared statement's execution).
      gatewayWrite: () =>
        eventually(async () => {
          const { rows } = await client.query<{ pid: number }>("select pid from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))");
          return rows[0]?.pid;
        }),
      async release() {
        if (released) return;
        released = true;
        await client.query("rollback");
        client.release();
      },
    };
  }

  /** A response body read as it arrives: the next chunk, what comes within some time, or the rest. */
  function arriving(res: Response) {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let next: ReturnType<typeof reader.read> | null = null;
    return {
      async chunk(): Promise<string> {
        const chunk = await (next ?? reader.read());
        next = null;
        return chunk.done ? "" : decoder.decode(chunk.value, { stream: true });
      },
      async within(ms: number): Promise<string> {
        let text = "";
        const until = Date.now() + ms;
        for (let left = ms; left > 0; left = until - Date.now()) {
          next ??= reader.read();
          const chunk = await Promise.race([next, new Promise<null>((resolve) => setTimeout(() => resolve(null), left))]);
          if (chunk === null) break;
          next = null;
          if (chunk.done) break;
          text += decoder.decode(chunk.value, { stream: true });
        }
        return text;
      },
      async rest(): Promise<string> {
        let text = "";
        for (let chunk = await (next ?? reader.read()); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true });
        next = null;
        return text;
      },
    };
  }

  it("passes a stream's events while the call's event is being written, and holds its end until it is", async () => {
    const runId = await platformRun();
    const lock = await lockRun(runId);
    try {
      const res = await post("/v1/chat/completions", chat("openai/gpt-test-gated", { stream: true }), { token: await gw.token({ runId }) });
      expect(res.status).toBe(200);
      const body = arriving(res);
      let text = await body.chunk();
      expect(text).toContain('"role":"assistant"');
      await lock.gatewayWrite();
      openai.openGate();
      // The upstream sends the rest at once; all of it passes but the terminal event.
      for (const until = Date.now() + 10_000; !text.includes('"content":" world"') && Date.now() < until; ) text += await body.within(50);
      text += await body.within(200);
      expect(text).toContain('"content":" world"');
      expect(text).not.toContain("[DONE]");
      await lock.release();
      text += await body.rest();
      const { stream, receipt } = splitTrailer(text);
      expect(stream.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(receipt.payload).toMatchObject({ response_hash_b64u: sha256B64u(Buffer.from(stream)), metadata: { status: "success", stream: true } });
      const events = await readRunEvents(gw.database.db, gw.agent.tenantId, runId);
      expect(events.map((e) => e.event_type)).toEqual(["llm_call"]);
      expect(receipt.payload.binding["event_hash_b64u"]).toBe(events[0]!.event_hash_b64u);
    } finally {
      await lock.release();
    }
  });

  it("cuts a stream off, with an error event instead of its end, when the call's event cannot be written", async () => {
    const runId = await platformRun();
    const lock = await lockRun(runId);
    try {
      const arrival = openai.nextArrival("-gated");
      const res = await post("/v1/chat/completions", chat("openai/gpt-test-gated", { stream: true }), { token: await gw.token({ runId }) });
      const body = arriving(res);
      let text = await body.chunk();
      expect(text).toContain('"role":"assistant"');
      const upstreamRequest = await arrival;
      // The gateway's connection dies while its write waits: the write fails.
      await poolOf(gw.database.db).query("select pg_terminate_backend($1)", [await lock.gatewayWrite()]);
      text += await body.rest();
      const { stream, receipt } = splitTrailer(text);
      expect(stream).toContain('"reason_code":"DEPENDENCY_UNAVAILABLE"');
      expect(stream).not.toContain("[DONE]");
      expect(receipt.payload).toMatchObject({ response_hash_b64u: sha256B64u(Buffer.from(stream)), metadata: { status: "failure", reason_code: "DEPENDENCY_UNAVAILABLE" } });
      expect(receipt.payload.binding["event_hash_b64u"]).toBeUndefined();
      await eventually(() => (upstreamRequest.aborted ? true : undefined));
      expect(await readRunEvents(gw.database.db, gw.agent.tenantId, runId)).toEqual([]);
    } finally {
      await lock.release();
      // The upstream's handler still waits at the gate; its request was cut off.
      openai.openGate();
    }
  });
});

describe("receipt storage behind the answer", () => {
  /** A stored call of the run `runId` (of the test agent), with a signed receipt. */
  async function storedCall(runId: string) {
    const auth = await gw.authenticator.authenticate(await gw.token({ runId }), "model:invoke");
    if (!auth.ok) throw new Error(auth.reasonCode);
    return (receiptId: string, tenantId = gw.agent.tenantId): StoredCall => ({
      tenantId,
      agentId: auth.run.agentId,
      templateId: auth.run.templateId,
      runId,
      requestKey: null,
      status: "success" as const,
      envelope: signReceipt(
        {
          receiptId,
          run: auth.run,
          provider: "openai",
          model: "gpt-test",
          modelIdentityTier: null,
          api: "openai.chat_completions",
          stream: false,
          requestHash: sha256B64u("request"),
          responseHash: sha256B64u("response"),
          usage: new UsageTally().total,
          usageReported: false,
          latencyMs: 1,
          httpStatus: 200,
          upstreamStatus: 200,
          status: "success",
          reasonCode: null,
          costMinor: null,
          eventHash: null,
          nonce: "n",
          at: new Date(),
        },
        "gw_test",
        gw.signer,
      ),
      meteredModel: "openai/gpt-test",
      usage: { input: 1, output: 2 },
      at: new Date(),
    });
  }

  it("stores a batch, and a row that cannot be stored does not take the others with it", async () => {
    const log = { error: vi.fn() };
    const writer = createCallWriter(gw.database.db, log as unknown as FastifyBaseLogger);
    const call = await storedCall("run_writer");
    writer.write(call("gwr_writer_good", gw.agent.tenantId));
    writer.write(call("gwr_writer_orphan", "ten_does_not_exist"));
    expect(writer.pending("gwr_writer_good")?.runId).toBe("run_writer");
    await writer.drain();
    expect(writer.pending("gwr_writer_good")).toBeUndefined();
    expect(await storedRow("gwr_writer_good")).toMatchObject({ status: "success" });
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]?.[0]).toMatchObject({ receipt_id: "gwr_writer_orphan" });
  });

  it("lets a write wait for company: calls within the linger go as one statement, and drain writes at once", async () => {
    const call = await storedCall("run_linger");
    const stored = vi.spyOn(modelProxyRepo, "storeCalls");
    try {
      const writer = createCallWriter(gw.database.db, { error: vi.fn() } as unknown as FastifyBaseLogger, 100);
      writer.write(call("gwr_linger_1"));
      await new Promise((resolve) => setTimeout(resolve, 10));
      writer.write(call("gwr_linger_2"));
      expect(stored).not.toHaveBeenCalled();
      expect(writer.pending("gwr_linger_2")?.runId).toBe("run_linger");
      await eventually(() => (stored.mock.calls.length > 0 ? true : undefined));
      await writer.drain();
      expect(stored.mock.calls.map(([, batch]) => batch.map((c) => c.envelope.payload.receipt_id))).toEqual([["gwr_linger_1", "gwr_linger_2"]]);

      const slow = createCallWriter(gw.database.db, { error: vi.fn() } as unknown as FastifyBaseLogger, 60_000);
      slow.write(call("gwr_linger_3"));
      await slow.drain();
      expect(slow.pending("gwr_linger_3")).toBeUndefined();
      expect(await storedRow("gwr_linger_3")).toMatchObject({ status: "success" });
    } finally {
      stored.mockRestore();
    }
  });
});

describe("run budget counts", () => {
  it("sends a run's held count ahead of its next budget read; another replica sees it once sent", async () => {
    const runId = freshRun();
    const log = { error: vi.fn() };
    const meter = createUsageMeter({ db: gw.database.db, redis: gw.redis, log, lingerMs: 60_000 });
    const otherReplica = createUsageMeter({ db: gw.database.db, redis: gw.redis, log, lingerMs: 60_000 });
    expect(await meter.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 0, cost_used_minor: 0 });
    meter.add(gw.agent.tenantId, runId, 5, 2);
    meter.add(gw.agent.tenantId, runId, 7, 1);
    expect(await otherReplica.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 0, cost_used_minor: 0 });
    expect(await meter.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 12, cost_used_minor: 3 });
    meter.add(gw.agent.tenantId, runId, 1, 0);
    await meter.flush();
    expect(await otherReplica.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 13, cost_used_minor: 3 });
    expect(log.error).not.toHaveBeenCalled();
  });

  it("with the push channel, a replica reads a run once and then hears other replicas' counts, and counts its own at once", async () => {
    const runId = freshRun();
    const log = { error: vi.fn() };
    const otherPush = createRedisPush(gw.redis, { channels: [USAGE_CHANNEL], connectionName: `clawea-push-meter-${runId}`, log: { warn: () => undefined } });
    try {
      const here = createUsageMeter({ db: gw.database.db, redis: gw.redis, log, lingerMs: 0, push: gw.push });
      const other = createUsageMeter({ db: gw.database.db, redis: gw.redis, log, lingerMs: 0, push: otherPush });
      await vi.waitFor(() => expect(gw.push.live && otherPush.live).toBe(true), { timeout: 5_000, interval: 10 });
      expect(await here.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 0, cost_used_minor: 0 });
      expect(await other.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 0, cost_used_minor: 0 });
      const reads = vi.spyOn(gw.redis, "hmget");
      try {
        other.add(gw.agent.tenantId, runId, 5, 2);
        await vi.waitFor(async () => expect(await here.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 5, cost_used_minor: 2 }), { timeout: 5_000, interval: 10 });
        here.add(gw.agent.tenantId, runId, 1, 0);
        expect(await here.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 6, cost_used_minor: 2 });
        await here.flush();
        expect(await here.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 6, cost_used_minor: 2 });
        await vi.waitFor(async () => expect(await other.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 6, cost_used_minor: 2 }), { timeout: 5_000, interval: 10 });
        // Heard, never read again.
        expect(reads).not.toHaveBeenCalled();
        // Once its link was cut, the other replica reads again (it may have missed counts).
        const epoch = otherPush.epoch;
        await killRedisClient(gw.redis, `clawea-push-meter-${runId}`);
        await vi.waitFor(() => expect(otherPush.epoch).toBeGreaterThan(epoch), { timeout: 5_000, interval: 10 });
        expect(await other.usedBy(gw.agent.tenantId, runId)).toEqual({ tokens_used: 6, cost_used_minor: 2 });
        expect(reads).toHaveBeenCalledTimes(1);
      } finally {
        reads.mockRestore();
      }
      expect(log.error).not.toHaveBeenCalled();
    } finally {
      await otherPush.close();
    }
  });
});
