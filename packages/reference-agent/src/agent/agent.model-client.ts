/**
 * Chat completions against the clawea gateway (any OpenAI-compatible base URL): one non-streaming
 * call per step, retried only when trying again can help, never on a policy or token decision.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { sha256B64u } from "./agent.output.js";

export interface ToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

export interface AssistantMessage {
  role: "assistant";
  content: string | null;
  tool_calls?: ToolCall[];
}

export type ModelCallResult =
  | { ok: true; message: AssistantMessage; receiptId: string | null; tokens: { in: number; out: number } }
  | { ok: false; reasonCode: string; status: number | null; detail: string };

export interface ModelClient {
  complete(body: Record<string, unknown>): Promise<ModelCallResult>;
}

export interface ModelClientOptions {
  baseUrl: string;
  token: string | null;
  /** Deterministic: part of the idempotency key, so a plan and an apply call never share one. */
  phase: string | null;
  timeoutMs?: number;
  /** Delays before the 2nd and 3rd attempt. */
  backoffMs?: readonly number[];
  log(message: string): void;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_BACKOFF_MS = [250, 1000];
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
const REASON_CODE_RE = /^[A-Z][A-Z0-9_]{2,63}$/;

type Attempt =
  | { kind: "answer"; status: number; headers: IncomingMessage["headers"]; body: Buffer }
  | { kind: "unreachable"; detail: string };

function post(url: URL, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<Attempt> {
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(url, { method: "POST", headers: { ...headers, "content-length": String(body.length) }, agent: false, timeout: timeoutMs });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (err) => resolve({ kind: "unreachable", detail: err.message }));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          req.destroy(new Error("answer too large"));
          return;
        }
        chunks.push(chunk);
      });
      res.on("end", () => resolve({ kind: "answer", status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", (err) => resolve({ kind: "unreachable", detail: err.message }));
    });
    req.end(body);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
}

function header(headers: IncomingMessage["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Refusal {
  reasonCode: string;
  detail: string;
  retryable: boolean;
}

/** What a non-2xx answer means: its reason code (gateway body, then header) and whether to try again. */
export function refusalOf(status: number, headers: IncomingMessage["headers"], body: Buffer): Refusal {
  const json = parseJson(body);
  const error = isRecord(json) && isRecord(json["error"]) ? json["error"] : {};
  const candidates = [isRecord(json) ? json["reason_code"] : undefined, error["code"], header(headers, "x-clawea-reason-code")];
  const code = candidates.find((c): c is string => typeof c === "string" && REASON_CODE_RE.test(c));
  const detail = isRecord(json) && typeof json["detail"] === "string" ? json["detail"] : typeof error["message"] === "string" ? error["message"] : `HTTP ${status}`;
  // A policy or token decision gives the same answer however often it is asked.
  const decided = code !== undefined && (code.startsWith("POLICY_") || code.startsWith("CST_"));
  const declared = isRecord(json) && typeof json["retryable"] === "boolean" ? json["retryable"] : undefined;
  const retryable = !decided && (declared ?? (status >= 500 || status === 429));
  return { reasonCode: code ?? "MODEL_CALL_FAILED", detail, retryable };
}

function assistantMessageOf(json: unknown): AssistantMessage | null {
  if (!isRecord(json) || !Array.isArray(json["choices"])) return null;
  const choice: unknown = json["choices"][0];
  if (!isRecord(choice) || !isRecord(choice["message"])) return null;
  const message = choice["message"];
  const content = typeof message["content"] === "string" ? message["content"] : null;
  const calls: ToolCall[] = [];
  if (Array.isArray(message["tool_calls"])) {
    for (const [i, call] of message["tool_calls"].entries()) {
      if (!isRecord(call) || !isRecord(call["function"]) || typeof call["function"]["name"] !== "string") return null;
      const args = call["function"]["arguments"];
      calls.push({
        id: typeof call["id"] === "string" && call["id"] !== "" ? call["id"] : `call_${i + 1}`,
        type: "function",
        function: { name: call["function"]["name"], arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}) },
      });
    }
  }
  return calls.length > 0 ? { role: "assistant", content, tool_calls: calls } : { role: "assistant", content };
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createModelClient(options: ModelClientOptions): ModelClient {
  const url = new URL(`${options.baseUrl}/chat/completions`);
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  return {
    async complete(payload) {
      const body = Buffer.from(JSON.stringify(payload), "utf8");
      const headers: Record<string, string> = {
        "content-type": "application/json",
        accept: "application/json",
        // Same request, same key: a retry after a lost answer is replayed by the gateway with the same receipt.
        "idempotency-key": `ra_${sha256B64u(`${options.phase ?? "-"}\n${body.toString("utf8")}`)}`,
      };
      if (options.token !== null) headers["authorization"] = `Bearer ${options.token}`;

      for (let attempt = 0; ; attempt++) {
        const answer = await post(url, headers, body, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        let failure: { reasonCode: string; status: number | null; detail: string; retryable: boolean };
        if (answer.kind === "unreachable") {
          failure = { reasonCode: "MODEL_UNREACHABLE", status: null, detail: answer.detail, retryable: true };
        } else if (answer.status >= 200 && answer.status < 300) {
          const json = parseJson(answer.body);
          const message = assistantMessageOf(json);
          if (message === null) return { ok: false, reasonCode: "MODEL_RESPONSE_INVALID", status: answer.status, detail: "the answer is not a chat completion" };
          const usage = isRecord(json) && isRecord(json["usage"]) ? json["usage"] : {};
          return {
            ok: true,
            message,
            receiptId: header(answer.headers, "x-clawea-receipt-id") ?? null,
            tokens: { in: count(usage["prompt_tokens"]), out: count(usage["completion_tokens"]) },
          };
        } else {
          failure = { ...refusalOf(answer.status, answer.headers, answer.body), status: answer.status };
        }
        const delay = backoff[attempt];
        if (!failure.retryable || delay === undefined) return { ok: false, reasonCode: failure.reasonCode, status: failure.status, detail: failure.detail };
        options.log(`model call failed (${failure.reasonCode}${failure.status === null ? "" : `, HTTP ${failure.status}`}); retrying in ${delay} ms`);
        await sleep(delay);
      }
    },
  };
}
