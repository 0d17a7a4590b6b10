/**
 * The model proxy: checks a run's model call against its WPC and budget, sends it to the provider with
 * the tenant's key, passes the answer back (streams chunk by chunk, tapped for hash and usage), and
 * signs, stores and returns a gateway receipt for every call that reached the upstream step, failures
 * included. Usage events and the run's budget counter are written with the receipt.
 */
import { createHash, randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { FastifyBaseLogger, FastifyReply } from "fastify";
import type { Redis } from "ioredis";
import type { Dispatcher } from "undici";
import type { Db, Keyring } from "@clawea/db";
import type { AppendTiming } from "@clawea/runs";
import { decide, NO_USAGE, type PolicyRequest, type Usage } from "@clawea/policy";
import { REASON_CODES, sha256B64u, type KeyPair, type ReasonCode } from "@clawea/protocol";
import type { ProviderRoute } from "../../config.js";
import type { RunContext } from "../../auth/run-context.js";
import type { RedisPush } from "../../push/redis-push.js";
import { errorBody, GatewayError } from "../../http/errors.js";
import {
  costMinorOf,
  estimateTokens,
  MODEL_APIS,
  readModelRequest,
  resolveModel,
  sseErrorEvent,
  SseUsageTap,
  terminalEventStart,
  upstreamBody,
  upstreamErrorSummary,
  upstreamHeaders,
  upstreamStatusCode,
  usageOf,
  UsageTally,
  type ModelApi,
  type ModelRequest,
  type ModelTarget,
} from "./model-proxy.domain.js";
import { createIdempotency, REPLAY_MAX_BYTES, type Claim, type CompletedCall } from "./model-proxy.idempotency.js";
import { createProviderKeys } from "./model-proxy.keys.js";
import { createUsageMeter } from "./model-proxy.meter.js";
import {
  encodeReceipt,
  newReceiptId,
  RECEIPT_HEADER,
  RECEIPT_ID_HEADER,
  RECEIPT_URL_HEADER,
  receiptTrailer,
  REPLAY_HEADER,
  signReceipt,
  type GatewayReceiptEnvelope,
  type ReceiptStatus,
} from "./model-proxy.receipt.js";
import { modelProxyRepo } from "./model-proxy.repo.js";
import { createCallWriter } from "./model-proxy.writer.js";
import { createUpstreamClient, readBody, transportFailureCode, type UpstreamClient } from "./model-proxy.upstream.js";

export interface ModelProxyDeps {
  db: Db;
  redis: Redis;
  keyring: Keyring;
  signer: KeyPair;
  gatewayId: string;
  providers: Record<string, ProviderRoute>;
  upstreamTimeoutMs: number;
  now: () => Date;
  log: FastifyBaseLogger;
  /**
   * Appends the call's `llm_call` event to the run's chain and returns its hash, which the receipt then
   * binds; null when the run keeps no chain here (the caller sent its own `X-Event-Hash`, or the run
   * is not one of this platform's). Runtimes such as OpenClaw cannot send event hashes, so the gateway
   * binds receipts itself.
   */
  chainEvent?: (run: RunContext, payload: Record<string, unknown>, timing?: AppendTiming) => Promise<string | null>;
  /** Run budget counts pushed by Redis (see `createUsageMeter`). */
  push?: RedisPush | undefined;
}

export interface InvokeInput {
  run: RunContext;
  api: ModelApi;
  body: unknown;
  headers: IncomingHttpHeaders;
  requestId: string;
  idempotencyKey: string | null;
  eventHash: string | null;
  log: FastifyBaseLogger;
  /** The run's budget usage, when the caller already started reading it (see the routes' hook). */
  usage?: Promise<Usage> | undefined;
}

/** A non-streamed answer larger than this is an upstream error, not something to hold in memory. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MODEL_LIST_TTL_MS = 60_000;
/**
 * How long a stream's `llm_call` event may wait for others to share its statement. Only the stream's
 * end waits for the event, and the stream hurries it the moment its terminal event arrives (or anything
 * else needs it), so the wait costs a caller nothing; with many streams open it turns one statement per
 * call into one per 20 ms (with 50 paced streams, a third of the gateway's time in socket writes had
 * gone to its own statements).
 */
const STREAM_CHAIN_LINGER_MS = 20;
const WITHHELD_DETAIL = "the run's event chain could not be written; the provider's answer was withheld";

interface Call {
  input: InvokeInput;
  request: ModelRequest;
  target: ModelTarget;
  providerKey: string;
  bytes: Buffer;
  requestHash: string;
  receiptId: string;
  nonce: string;
  claim: Claim | null;
  startedAt: number;
  /**
   * The call's `llm_call` event being appended while the request is already on its way upstream (its
   * hash is what the receipt binds). Resolves to the caller's own `X-Event-Hash` when it sent one, or
   * null for a run that keeps no chain here.
   */
  chained: Promise<string | null>;
  /** Ends a streamed call's event's wait for company (see STREAM_CHAIN_LINGER_MS). */
  hurry: () => void;
}

interface Outcome {
  status: ReceiptStatus;
  reasonCode: ReasonCode | null;
  httpStatus: number;
  upstreamStatus: number | null;
  responseHash: string;
  usage: UsageTally;
  /** Success only: what a retry with the same idempotency key is answered with. */
  replay?: { body: Buffer | null; contentType: string };
}

/**
 * A model call as the policy sees it, with what preflight's scope states for it: the tier the provider's
 * route vouches for (none: unknown) and, for a call about to be sent, the estimate of `estimateTokens`.
 */
function modelCallRequest(provider: string, model: string, route: ProviderRoute, estimatedTokens?: number): PolicyRequest {
  return {
    type: "model_call",
    provider,
    model,
    ...(estimatedTokens !== undefined ? { estimated_tokens: estimatedTokens } : {}),
    ...(route.model_identity_tier !== undefined ? { model_identity_tier: route.model_identity_tier } : {}),
  };
}

function header(headers: Dispatcher.ResponseData["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function receiptUrl(receiptId: string): string {
  return `/v1/receipts/${receiptId}`;
}

function writeWhole(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, { ...headers, "content-length": String(body.length) });
  res.end(body);
}

/** The call's `llm_call` event as it is being written, readable at once (`state`) or awaited (`written`). */
interface ChainWrite {
  state: "pending" | "written" | "failed";
  /**
   * True once the event is in the run's chain (or the run keeps none here), false when it cannot be
   * written. Asking for it ends the event's wait for company.
   */
  written(): Promise<boolean>;
}

export function createModelProxyService(deps: ModelProxyDeps) {
  const upstream: UpstreamClient = createUpstreamClient(deps.upstreamTimeoutMs);
  const keys = createProviderKeys({ db: deps.db, keyring: deps.keyring });
  const meter = createUsageMeter({ db: deps.db, redis: deps.redis, log: deps.log, push: deps.push });
  const idempotency = createIdempotency(deps.redis);
  const writer = createCallWriter(deps.db, deps.log);
  const modelLists = new Map<string, { at: number; ids: Promise<string[]> }>();

  function receiptHeaders(call: Call, envelope: GatewayReceiptEnvelope | null): Record<string, string> {
    const headers: Record<string, string> = {
      "x-request-id": call.input.requestId,
      [RECEIPT_ID_HEADER]: call.receiptId,
      [RECEIPT_URL_HEADER]: receiptUrl(call.receiptId),
    };
    if (envelope) headers[RECEIPT_HEADER] = encodeReceipt(envelope);
    return headers;
  }

  /**
   * Signs the receipt, and writes behind the answer: the idempotency record goes to Redis at once, the
   * run's budget count with the run's next budget read or within the meter's linger (one connection, so
   * commands are applied in order: the run's next call reads them), the receipt and usage events go to
   * PostgreSQL batched. The provider has answered and been paid, so the caller gets the answer and its
   * signed receipt even if a write fails; that is logged loudly.
   */
  function record(call: Call, outcome: Outcome): GatewayReceiptEnvelope {
    const { run } = call.input;
    const usage = outcome.usage.total;
    const at = deps.now();
    const costMinor = costMinorOf(call.target.route, call.target.model, usage);
    const envelope = signReceipt(
      {
        receiptId: call.receiptId,
        run,
        provider: call.target.provider,
        model: call.target.model,
        modelIdentityTier: call.target.route.model_identity_tier ?? null,
        api: call.input.api,
        stream: call.request.stream,
        requestHash: call.requestHash,
        responseHash: outcome.responseHash,
        usage,
        usageReported: outcome.usage.reported,
        latencyMs: performance.now() - call.startedAt,
        httpStatus: outcome.httpStatus,
        upstreamStatus: outcome.upstreamStatus,
        status: outcome.status,
        reasonCode: outcome.reasonCode,
        eventHash: call.input.eventHash,
        nonce: call.nonce,
        costMinor,
        at,
      },
      deps.gatewayId,
      deps.signer,
    );
    writer.write({
      tenantId: run.tenantId,
      agentId: run.agentId,
      templateId: run.templateId,
      runId: run.runId,
      requestKey: call.input.idempotencyKey,
      status: outcome.status,
      envelope,
      meteredModel: `${call.target.provider}/${call.target.model}`,
      usage: outcome.usage.reported ? usage : null,
      at,
    });
    const logFailure = (error: unknown) => call.input.log.error({ err: error, receipt_id: call.receiptId }, "model call idempotency record not written");
    meter.add(run.tenantId, run.runId, usage.input + usage.output, costMinor ?? 0);
    if (call.claim) {
      (outcome.replay
        ? idempotency.complete(call.claim, {
            receiptId: call.receiptId,
            receipt: encodeReceipt(envelope),
            httpStatus: outcome.httpStatus,
            contentType: outcome.replay.contentType,
            stream: call.request.stream,
            body: outcome.replay.body,
          })
        : idempotency.release(call.claim)
      ).catch(logFailure);
    }
    return envelope;
  }

  function fail(
    call: Call,
    res: ServerResponse,
    code: ReasonCode,
    clientGone: boolean,
    context: { upstreamStatus?: number; usage?: UsageTally; detail?: string; extra?: Record<string, unknown>; retryAfter?: string } = {},
  ): void {
    const reasonCode: ReasonCode = clientGone ? "CLIENT_DISCONNECTED" : code;
    const status = REASON_CODES[reasonCode].status;
    const body = clientGone
      ? Buffer.alloc(0)
      : Buffer.from(
          JSON.stringify(
            errorBody(reasonCode, context.detail ?? REASON_CODES[reasonCode].message, call.input.requestId, {
              ...(context.upstreamStatus !== undefined ? { upstream_status: context.upstreamStatus } : {}),
              ...context.extra,
              receipt_id: call.receiptId,
            }),
          ),
        );
    const envelope = record(call, {
      status: "failure",
      reasonCode,
      httpStatus: status,
      upstreamStatus: context.upstreamStatus ?? null,
      responseHash: sha256B64u(body),
      usage: context.usage ?? new UsageTally(),
    });
    if (clientGone || res.destroyed) return;
    const headers: Record<string, string> = { ...receiptHeaders(call, envelope), "content-type": "application/json; charset=utf-8" };
    if (context.retryAfter !== undefined) headers["retry-after"] = context.retryAfter;
    writeWhole(res, status, headers, body);
  }

  /**
   * A whole answer is read, parsed for usage and hashed while the call's event is still being written,
   * and released only once it is: the caller never holds an answer the run's chain does not record.
   */
  async function passBuffered(call: Call, res: ServerResponse, answer: Dispatcher.ResponseData, chain: ChainWrite, withhold: () => void, isClientGone: () => boolean): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = await readBody(answer.body, MAX_ANSWER_BYTES);
    } catch (error) {
      if (!(await chain.written())) return withhold();
      return fail(call, res, transportFailureCode(error), isClientGone(), { upstreamStatus: answer.statusCode });
    }
    const contentType = header(answer.headers, "content-type") ?? "application/json";
    const usage = new UsageTally();
    if (contentType.includes("json")) {
      try {
        usage.add(usageOf(JSON.parse(bytes.toString("utf8"))));
      } catch {
        // Not JSON after all: no usage to read, the bytes still pass through as they came.
      }
    }
    const responseHash = sha256B64u(bytes);
    if (!(await chain.written())) return withhold();
    const envelope = record(call, {
      status: "success",
      reasonCode: null,
      httpStatus: answer.statusCode,
      upstreamStatus: answer.statusCode,
      responseHash,
      usage,
      replay: { body: bytes, contentType },
    });
    if (isClientGone() || res.destroyed) return;
    writeWhole(res, answer.statusCode, { ...receiptHeaders(call, envelope), "content-type": contentType }, bytes);
  }

  /**
   * Passes the stream chunk by chunk. Its events pass while the call's event is still being written,
   * but not its end: from the terminal event on (`[DONE]`, `message_stop`, `response.completed`), the
   * bytes wait for the write, so a client never reads a complete answer of a call the run's chain does
   * not hold. When the write fails, the upstream is cut off and the stream ends in an error event instead.
   */
  async function passStream(call: Call, res: ServerResponse, answer: Dispatcher.ResponseData, chain: ChainWrite, isClientGone: () => boolean): Promise<void> {
    res.writeHead(answer.statusCode, {
      ...receiptHeaders(call, null),
      "content-type": header(answer.headers, "content-type") ?? "text/event-stream",
      "cache-control": "no-cache",
      "x-accel-buffering": "no",
    });
    // The status line goes out at once while the model has not begun; when its first bytes came with its
    // headers (as they usually do), they travel together: one socket write and one wake-up less.
    if (answer.body.readableLength === 0) res.flushHeaders();
    const hash = createHash("sha256");
    const tap = new SseUsageTap();
    const kept: Buffer[] | null = call.claim ? [] : null;
    let keptBytes = 0;
    /** The last bytes passed, where a terminal marker split across chunks begins. */
    let passedTail: Buffer = Buffer.alloc(0);
    /** From the terminal event on, until the call's event is written. */
    let held: Buffer[] | null = null;
    const body = answer.body;
    // Chunk by chunk as the events bring them (an async iterator costs a promise per chunk); a client
    // that cannot take more pauses the upstream until it drains.
    const pass = (bytes: Buffer) => {
      hash.update(bytes);
      if (chain.state !== "written") passedTail = Buffer.concat([passedTail, bytes]).subarray(-32);
      if (!res.write(bytes)) body.pause();
    };
    const resume = () => body.resume();
    res.on("drain", resume);
    let failure: ReasonCode | null = null;
    try {
      await new Promise<void>((resolve, reject) => {
        body.on("data", (chunk: Buffer) => {
          tap.write(chunk);
          if (kept && keptBytes <= REPLAY_MAX_BYTES) {
            keptBytes += chunk.length;
            kept.push(chunk);
          }
          if (held && chain.state === "written") {
            for (const bytes of held) pass(bytes);
            held = null;
          }
          if (held) return void held.push(chunk);
          const terminal = chain.state === "written" ? null : terminalEventStart(passedTail, chunk);
          if (terminal === null) return pass(chunk);
          if (terminal > 0) pass(chunk.subarray(0, terminal));
          held = [chunk.subarray(terminal)];
          call.hurry();
        });
        body.once("error", reject);
        body.once("end", resolve);
      });
    } catch (error) {
      failure = isClientGone() ? "CLIENT_DISCONNECTED" : chain.state === "failed" ? "DEPENDENCY_UNAVAILABLE" : transportFailureCode(error);
    } finally {
      res.off("drain", resume);
    }
    tap.end();
    if (failure === null && !(await chain.written())) failure = "DEPENDENCY_UNAVAILABLE";
    // Set by the data handler, which the compiler's flow analysis does not follow.
    const rest = held as Buffer[] | null;
    if (failure === null && rest) for (const bytes of rest) pass(bytes);
    if (failure !== null && !isClientGone()) {
      // The 200 is already sent: the failure ends the stream as the family's own error event.
      const detail = failure === "DEPENDENCY_UNAVAILABLE" ? WITHHELD_DETAIL : REASON_CODES[failure].message;
      const event = Buffer.from(sseErrorEvent(call.target.route.api, errorBody(failure, detail, call.input.requestId, { receipt_id: call.receiptId })));
      hash.update(event);
      res.write(event);
    }
    const responseHash = hash.digest("base64url");
    const envelope = record(
      call,
      failure === null
        ? {
            status: "success",
            reasonCode: null,
            httpStatus: answer.statusCode,
            upstreamStatus: answer.statusCode,
            responseHash,
            usage: tap.usage,
            replay: { body: kept && keptBytes <= REPLAY_MAX_BYTES ? Buffer.concat(kept, keptBytes) : null, contentType: header(answer.headers, "content-type") ?? "text/event-stream" },
          }
        : { status: "failure", reasonCode: failure, httpStatus: answer.statusCode, upstreamStatus: answer.statusCode, responseHash, usage: tap.usage },
    );
    if (!isClientGone() && !res.destroyed) res.end(receiptTrailer(encodeReceipt(envelope)));
  }

  /**
   * Follows the call's `llm_call` event: on success its hash becomes what the receipt binds; on failure
   * the upstream request is cut off (`abort`), since its answer may not reach the caller.
   */
  function followChain(call: Call, abort: AbortController): ChainWrite {
    const written = call.chained.then(
      (eventHash) => {
        call.input.eventHash = eventHash;
        chain.state = "written";
        return true;
      },
      (error: unknown) => {
        chain.state = "failed";
        abort.abort();
        call.input.log.error({ err: error, receipt_id: call.receiptId }, "llm_call event not appended");
        return false;
      },
    );
    const chain: ChainWrite = {
      state: "pending",
      written() {
        call.hurry();
        return written;
      },
    };
    return chain;
  }

  /** Sends the call upstream and answers it on the raw response; never throws. */
  async function forward(call: Call, res: ServerResponse): Promise<void> {
    const abort = new AbortController();
    let clientGone = false;
    const isClientGone = () => clientGone;
    const onClose = () => {
      if (res.writableFinished) return;
      clientGone = true;
      abort.abort();
    };
    res.on("close", onClose);
    try {
      const sent = upstream.request({
        url: `${call.target.route.baseUrl.replace(/\/+$/, "")}${MODEL_APIS[call.input.api].upstreamPath}`,
        method: "POST",
        headers: upstreamHeaders(call.input.headers, call.target.route.api, call.providerKey),
        body: call.bytes,
        signal: abort.signal,
      });
      // Awaited below; a failure meanwhile is not unhandled.
      sent.catch(() => undefined);
      const chain = followChain(call, abort);
      const withhold = () => {
        sent.then((answer) => answer.body.destroy(), () => undefined);
        return fail(call, res, "DEPENDENCY_UNAVAILABLE", clientGone, { detail: WITHHELD_DETAIL });
      };
      // A stream starts at once and its end waits for the call's event (passStream); a whole answer is
      // read meanwhile and waits for it before it is released (passBuffered, and the error paths below).
      let answer: Dispatcher.ResponseData;
      try {
        answer = await sent;
      } catch (error) {
        if (!(await chain.written())) return withhold();
        return fail(call, res, transportFailureCode(error), clientGone);
      }
      const contentType = header(answer.headers, "content-type") ?? "";
      if (answer.statusCode >= 200 && answer.statusCode < 300 && call.request.stream && contentType.startsWith("text/event-stream")) {
        if (chain.state === "failed") return withhold();
        return await passStream(call, res, answer, chain, isClientGone);
      }
      if (answer.statusCode < 200 || answer.statusCode >= 300) {
        let bytes: Buffer = Buffer.alloc(0);
        try {
          bytes = await readBody(answer.body, MAX_ERROR_BODY_BYTES);
        } catch {
          // The status already says what happened; an unreadable error body adds nothing.
        }
        if (!(await chain.written())) return withhold();
        const code = upstreamStatusCode(answer.statusCode);
        const summary = upstreamErrorSummary(code, bytes, call.providerKey);
        const retryAfter = header(answer.headers, "retry-after");
        return fail(call, res, code, clientGone, {
          upstreamStatus: answer.statusCode,
          detail: `the provider answered ${answer.statusCode}${summary.message !== undefined ? `: ${summary.message}` : ""}`,
          extra: summary.type !== undefined || summary.code !== undefined ? { upstream_error: { type: summary.type, code: summary.code } } : {},
          ...(retryAfter !== undefined ? { retryAfter } : {}),
        });
      }
      return await passBuffered(call, res, answer, chain, withhold, isClientGone);
    } catch (error) {
      call.input.log.error({ err: error, receipt_id: call.receiptId }, "model proxy failed");
      if (call.claim) await idempotency.release(call.claim).catch(() => undefined);
      if (!res.headersSent && !res.destroyed) {
        writeWhole(res, 500, { "content-type": "application/json; charset=utf-8", "x-request-id": call.input.requestId }, Buffer.from(JSON.stringify(errorBody("INTERNAL_ERROR", REASON_CODES.INTERNAL_ERROR.message, call.input.requestId))));
      } else {
        res.destroy();
      }
    } finally {
      res.off("close", onClose);
    }
  }

  function replay(completed: CompletedCall, input: InvokeInput, res: ServerResponse): void {
    const headers: Record<string, string> = {
      "x-request-id": input.requestId,
      "content-type": completed.contentType,
      [RECEIPT_HEADER]: completed.receipt,
      [RECEIPT_ID_HEADER]: completed.receiptId,
      [RECEIPT_URL_HEADER]: receiptUrl(completed.receiptId),
      [REPLAY_HEADER]: "true",
    };
    const body = completed.body ?? Buffer.alloc(0);
    if (!completed.stream) return writeWhole(res, completed.httpStatus, headers, body);
    const trailer = Buffer.from(receiptTrailer(completed.receipt));
    writeWhole(res, completed.httpStatus, { ...headers, "cache-control": "no-cache" }, Buffer.concat([body, trailer]));
  }

  async function upstreamModelIds(tenantId: string, provider: string, route: ProviderRoute, providerKey: string): Promise<string[]> {
    const cacheKey = `${tenantId}\u0000${provider}`;
    const nowMs = Date.now();
    const cached = modelLists.get(cacheKey);
    if (cached && nowMs - cached.at < MODEL_LIST_TTL_MS) return cached.ids;
    const ids = (async () => {
      const path = route.api === "anthropic" ? "/v1/models?limit=1000" : "/models";
      const answer = await upstream.request({ url: `${route.baseUrl.replace(/\/+$/, "")}${path}`, method: "GET", headers: upstreamHeaders({}, route.api, providerKey) });
      const bytes = await readBody(answer.body, MAX_ERROR_BODY_BYTES * 16);
      if (answer.statusCode !== 200) throw new Error(`provider ${provider} answered ${answer.statusCode} to a model list`);
      const list = JSON.parse(bytes.toString("utf8")) as { data?: { id?: unknown }[] };
      return (list.data ?? []).map((entry) => entry.id).filter((id): id is string => typeof id === "string" && id !== "");
    })();
    if (modelLists.size > 10_000) modelLists.clear();
    modelLists.set(cacheKey, { at: nowMs, ids });
    ids.catch(() => modelLists.delete(cacheKey));
    return ids;
  }

  return {
    /** One model call: the checks answer through GatewayError; from the upstream step on, the raw response is written here. */
    async invoke(input: InvokeInput, reply: FastifyReply): Promise<void> {
      const { run } = input;
      const parsed = readModelRequest(input.body);
      if (!parsed.ok) throw new GatewayError(parsed.code, parsed.detail);
      const resolved = resolveModel(parsed.value.model, input.api, deps.providers);
      if (!resolved.ok) throw new GatewayError(resolved.code, resolved.detail);
      const target = resolved.value;
      const decision = decide(
        run.policy,
        modelCallRequest(target.provider, target.model, target.route, estimateTokens(parsed.value.body)),
        { phase: run.phase, now: deps.now().toISOString(), usage: await (input.usage ?? meter.usedBy(run.tenantId, run.runId)), agent_did: run.agentDid },
      );
      if (decision.effect === "deny") throw new GatewayError(decision.reason_code, decision.detail, { statement_ids: decision.statement_ids });
      const providerKey = await keys.get(run.tenantId, target.provider);
      if (providerKey === null) throw new GatewayError("PROVIDER_KEY_MISSING", `the tenant has no provider_key secret named ${target.provider}`);

      const bytes = Buffer.from(JSON.stringify(upstreamBody(parsed.value, target, input.api)));
      const requestHash = sha256B64u(bytes);
      let claim: Claim | null = null;
      if (input.idempotencyKey !== null) {
        const outcome = await idempotency.claim(run.tenantId, run.runId, input.idempotencyKey, requestHash);
        if (outcome.kind === "reused") throw new GatewayError("IDEMPOTENCY_KEY_REUSED");
        if (outcome.kind === "in_progress") throw new GatewayError("IDEMPOTENCY_IN_PROGRESS");
        if (outcome.kind === "completed") {
          if (outcome.call.body === null) throw new GatewayError("IDEMPOTENT_REPLAY_UNAVAILABLE", undefined, { receipt_id: outcome.call.receiptId });
          reply.hijack();
          return replay(outcome.call, input, reply.raw);
        }
        claim = outcome.claim;
        // Redis forgets (restart, expiry); the receipts table does not.
        const completedReceipt = await modelProxyRepo.findCompleted(deps.db, run.tenantId, run.runId, input.idempotencyKey).catch(async (error: unknown) => {
          await idempotency.release(outcome.claim);
          throw error;
        });
        if (completedReceipt !== null) {
          await idempotency.release(outcome.claim);
          throw new GatewayError("IDEMPOTENT_REPLAY_UNAVAILABLE", undefined, { receipt_id: completedReceipt });
        }
      }
      const receiptId = newReceiptId();
      // A whole answer waits for its event, so that is written at once; a stream's may wait for company.
      let hurry: () => void = () => undefined;
      const timing: AppendTiming = parsed.value.stream ? { lingerMs: STREAM_CHAIN_LINGER_MS, hurry: new Promise<void>((resolve) => (hurry = resolve)) } : {};
      const chained =
        input.eventHash === null && deps.chainEvent
          ? deps.chainEvent(run, { receipt_id: receiptId, provider: target.provider, model: target.model, api: input.api, request_hash_b64u: requestHash }, timing)
          : Promise.resolve(input.eventHash);
      // Settled in forward; until then a rejection is not unhandled.
      chained.catch(() => undefined);
      reply.hijack();
      await forward(
        {
          input: { ...input },
          request: parsed.value,
          target,
          providerKey,
          bytes,
          requestHash,
          receiptId,
          nonce: input.idempotencyKey ?? `nonce_${randomUUID().replaceAll("-", "")}`,
          claim,
          startedAt: performance.now(),
          chained,
          hurry,
        },
        reply.raw,
      );
    },

    /** The run's budget usage so far (tokens and cost), as the next call is judged by. */
    usageOf: (tenantId: string, runId: string): Promise<Usage> => meter.usedBy(tenantId, runId),

    /** A receipt of the caller's own run. */
    async receipt(run: RunContext, receiptId: string): Promise<GatewayReceiptEnvelope> {
      // Stored just behind the answer: until then this replica serves it from the write queue.
      const pending = writer.pending(receiptId);
      const envelope = pending
        ? pending.tenantId === run.tenantId && pending.runId === run.runId
          ? pending.envelope
          : null
        : await modelProxyRepo.findReceipt(deps.db, run.tenantId, run.runId, receiptId);
      if (!envelope) throw new GatewayError("NOT_FOUND", "no receipt of this run has that id");
      return envelope;
    },

    /**
     * The models this run may call, as `<provider>/<model>`: each configured provider the tenant has a
     * key for is asked for its list (cached a minute), filtered through the run's WPC. A provider that
     * cannot be listed is left out.
     */
    async listModels(run: RunContext): Promise<{ provider: string; id: string }[]> {
      const now = deps.now().toISOString();
      const lists = await Promise.all(
        Object.entries(deps.providers).map(async ([provider, route]) => {
          try {
            const providerKey = await keys.get(run.tenantId, provider);
            if (providerKey === null) return [];
            const ids = await upstreamModelIds(run.tenantId, provider, route, providerKey);
            return ids
              .filter((model) => decide(run.policy, modelCallRequest(provider, model, route), { phase: run.phase, now, usage: NO_USAGE, agent_did: run.agentDid }).effect === "allow")
              .map((model) => ({ provider, id: `${provider}/${model}` }));
          } catch {
            return [];
          }
        }),
      );
      return lists.flat().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async close(): Promise<void> {
      await Promise.all([writer.drain(), meter.flush()]);
      await upstream.close();
    },
  };
}

export type ModelProxyService = ReturnType<typeof createModelProxyService>;
