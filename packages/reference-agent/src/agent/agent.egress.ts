/**
 * `http_request` through the clawea egress proxy, never directly: absolute-form requests for
 * http:// URLs and a CONNECT tunnel with TLS inside for https:// URLs. The proxy's denials become
 * tool results the model can read; a plan-phase capture is reported as captured, not failed.
 */
import { request, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { isIP, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { ProxyTarget } from "./agent.config.js";
import type { ToolResult } from "./agent.tools.js";

export const CAPTURED = "PLAN_PHASE_SIDE_EFFECT_CAPTURED";
const MAX_RESPONSE_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const METHOD_RE = /^[A-Za-z]{1,16}$/;
const REASON_CODE_RE = /^[A-Z][A-Z0-9_]{2,63}$/;
/** Headers the agent sets itself, or that only make sense hop by hop. */
const DROPPED_HEADERS = new Set(["host", "content-length", "connection", "keep-alive", "proxy-authorization", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);

export interface EgressOptions {
  proxies: { http: ProxyTarget | null; https: ProxyTarget | null };
  timeoutMs?: number;
}

export interface HttpRequestArgs {
  method?: unknown;
  url?: unknown;
  headers?: unknown;
  body?: unknown;
}

/** Who answered: the proxy refusing a CONNECT, the destination inside a tunnel, or (absolute-form) either. */
type Source = "proxy" | "destination" | "proxy_or_destination";

interface Answer {
  source: Source;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
}

/** Thrown inside this module only, turned into an `error` tool result. */
class EgressFailure extends Error {
  constructor(
    readonly reasonCode: string,
    message: string,
  ) {
    super(message);
  }
}

const argsInvalid = (error: string): ToolResult => ({ outcome: "error", reasonCode: "TOOL_ARGUMENTS_INVALID", content: { error } });

function readAnswer(res: IncomingMessage, source: Source): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    res.on("data", (chunk: Buffer) => {
      if (size >= MAX_RESPONSE_BYTES) {
        truncated = true;
        return;
      }
      chunks.push(chunk);
      size += chunk.length;
    });
    res.on("end", () => {
      const body = Buffer.concat(chunks);
      resolve({ source, status: res.statusCode ?? 0, headers: res.headers, body: body.subarray(0, MAX_RESPONSE_BYTES), truncated: truncated || body.length > MAX_RESPONSE_BYTES });
    });
    res.on("error", reject);
  });
}

/** The body of a refused CONNECT: `head` plus whatever follows on the socket, up to Content-Length or EOF. */
function readRefusal(res: IncomingMessage, socket: Socket, head: Buffer): Promise<Answer> {
  return new Promise((resolve) => {
    const length = Number(res.headers["content-length"] ?? Number.NaN);
    const chunks: Buffer[] = [head];
    let size = head.length;
    const done = (): void => {
      socket.removeAllListeners("data");
      socket.destroy();
      const body = Buffer.concat(chunks);
      resolve({ source: "proxy", status: res.statusCode ?? 0, headers: res.headers, body: body.subarray(0, MAX_RESPONSE_BYTES), truncated: body.length > MAX_RESPONSE_BYTES });
    };
    if (Number.isFinite(length) && size >= length) return done();
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if ((Number.isFinite(length) && size >= length) || size >= MAX_RESPONSE_BYTES) done();
    });
    socket.once("end", done);
    socket.once("close", done);
    socket.once("error", done);
  });
}

function outgoingHeaders(raw: unknown, url: URL, body: Buffer | null, proxyAuthorization: string | null): Record<string, string> | string {
  const headers: Record<string, string> = {};
  if (raw !== undefined && raw !== null) {
    if (typeof raw !== "object" || Array.isArray(raw)) return "headers must be an object of strings";
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof value !== "string") return `header ${name} must be a string`;
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n\0]/.test(value)) return `header ${name} is not a valid HTTP header`;
      if (!DROPPED_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    }
  }
  headers["host"] = url.host;
  if (body !== null) headers["content-length"] = String(body.length);
  if (proxyAuthorization !== null) headers["proxy-authorization"] = proxyAuthorization;
  return headers;
}

function withDeadline<T>(timeoutMs: number, run: (onCleanup: (fn: () => void) => void) => Promise<T>): Promise<T> {
  const cleanups: (() => void)[] = [];
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      for (const fn of cleanups) fn();
      reject(new EgressFailure("EGRESS_REQUEST_FAILED", `no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    run((fn) => cleanups.push(fn)).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** http:// — one absolute-form request to the proxy. */
function viaForwardProxy(proxy: ProxyTarget, method: string, url: URL, headers: Record<string, string>, body: Buffer | null, onCleanup: (fn: () => void) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.host, port: proxy.port, method, path: url.href, headers, agent: false });
    onCleanup(() => req.destroy());
    req.on("response", (res) => readAnswer(res, "proxy_or_destination").then(resolve, (err: Error) => reject(new EgressFailure("EGRESS_REQUEST_FAILED", err.message))));
    req.on("error", (err) => reject(new EgressFailure("EGRESS_PROXY_UNREACHABLE", err.message)));
    req.end(body ?? undefined);
  });
}

/** https:// — CONNECT host:port, TLS to the destination inside the tunnel, then the request. */
function viaTunnel(proxy: ProxyTarget, method: string, url: URL, headers: Record<string, string>, body: Buffer | null, onCleanup: (fn: () => void) => void): Promise<Answer> {
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  const authority = `${url.hostname}:${url.port === "" ? 443 : url.port}`;
  return new Promise((resolve, reject) => {
    const connectHeaders: Record<string, string> = { host: authority };
    if (proxy.authorization !== null) connectHeaders["proxy-authorization"] = proxy.authorization;
    const req = request({ host: proxy.host, port: proxy.port, method: "CONNECT", path: authority, headers: connectHeaders, agent: false });
    onCleanup(() => req.destroy());
    req.on("error", (err) => reject(new EgressFailure("EGRESS_PROXY_UNREACHABLE", err.message)));
    // Some proxies answer a refused CONNECT as an ordinary response; node reports it either way.
    req.on("response", (res) => readAnswer(res, "proxy").then(resolve, (err: Error) => reject(new EgressFailure("EGRESS_TUNNEL_REFUSED", err.message))));
    req.on("connect", (res: IncomingMessage, socket: Socket, head: Buffer) => {
      onCleanup(() => socket.destroy());
      if (res.statusCode !== 200) {
        void readRefusal(res, socket, head).then(resolve);
        return;
      }
      if (head.length > 0) socket.unshift(head);
      const tls = tlsConnect({ socket, ALPNProtocols: ["http/1.1"], ...(isIP(hostname) === 0 ? { servername: hostname } : {}) });
      onCleanup(() => tls.destroy());
      tls.on("error", (err) => reject(new EgressFailure("EGRESS_REQUEST_FAILED", `TLS: ${err.message}`)));
      const inner = request({ method, path: `${url.pathname}${url.search}`, headers, createConnection: () => tls });
      inner.on("response", (answer) => readAnswer(answer, "destination").then(resolve, (err: Error) => reject(new EgressFailure("EGRESS_REQUEST_FAILED", err.message))));
      inner.on("error", (err) => reject(new EgressFailure("EGRESS_REQUEST_FAILED", err.message)));
      inner.end(body ?? undefined);
    });
    req.end();
  });
}

function parseJson(body: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Turns the proxy's or the destination's answer into what the model reads. */
function classifyAnswer(answer: Answer): ToolResult {
  // A destination behind a tunnel cannot speak for the gateway; the proxy only refuses with >= 400.
  const fromProxy = answer.source === "proxy" || (answer.source === "proxy_or_destination" && answer.status >= 400);
  const json = fromProxy ? parseJson(answer.body) : null;
  const headerCode = fromProxy ? single(answer.headers["x-clawea-reason-code"]) : undefined;
  const bodyCode = typeof json?.["reason_code"] === "string" && REASON_CODE_RE.test(json["reason_code"]) ? json["reason_code"] : undefined;
  const reasonCode = (headerCode !== undefined && REASON_CODE_RE.test(headerCode) ? headerCode : undefined) ?? bodyCode;

  if (reasonCode === CAPTURED) {
    return {
      outcome: "captured",
      reasonCode,
      content: {
        message:
          "Plan phase: this request was captured for approval and NOT sent now. It will be performed in the apply phase once a human approves it. Continue as if it will happen; do not retry it.",
        intended_side_effect: json?.["intended_side_effect"] ?? null,
      },
    };
  }
  if (reasonCode !== undefined) {
    const error = json?.["error"];
    const detail = typeof json?.["detail"] === "string" ? json["detail"] : typeof error === "object" && error !== null ? (error as Record<string, unknown>)["message"] : undefined;
    // 4xx is a decision (policy, approval, credential); 5xx means the proxy could not reach the destination.
    return {
      outcome: answer.status >= 500 ? "error" : "denied",
      reasonCode,
      content: {
        status: answer.status,
        detail: typeof detail === "string" ? detail : null,
        retryable: json?.["retryable"] === true,
        message:
          answer.status >= 500
            ? "The clawea gateway could not complete this request; it was not performed."
            : "The clawea gateway denied this request; it was not performed. Adapt to the reason code instead of repeating the same request.",
      },
    };
  }
  if (answer.source === "proxy") {
    return { outcome: "error", reasonCode: "EGRESS_TUNNEL_REFUSED", content: { status: answer.status, error: answer.body.toString("utf8").slice(0, 512) } };
  }
  return {
    outcome: "ok",
    content: {
      status: answer.status,
      content_type: single(answer.headers["content-type"]) ?? null,
      body: answer.body.toString("utf8"),
      truncated: answer.truncated,
    },
  };
}

export async function httpRequest(args: HttpRequestArgs, options: EgressOptions): Promise<ToolResult> {
  if (typeof args.method !== "string" || !METHOD_RE.test(args.method)) return argsInvalid("method must be an HTTP method such as GET or POST");
  if (typeof args.url !== "string") return argsInvalid("url must be a string");
  let url: URL;
  try {
    url = new URL(args.url);
  } catch {
    return argsInvalid("url is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return argsInvalid("url must be http:// or https://");
  if (url.username !== "" || url.password !== "") return argsInvalid("url must not carry credentials");
  if (args.body !== undefined && args.body !== null && typeof args.body !== "string") return argsInvalid("body must be a string");
  const body = typeof args.body === "string" ? Buffer.from(args.body, "utf8") : null;
  const method = args.method.toUpperCase();
  const https = url.protocol === "https:";
  const proxy = https ? options.proxies.https : options.proxies.http;
  if (proxy === null) {
    return { outcome: "error", reasonCode: "EGRESS_PROXY_NOT_CONFIGURED", content: { error: "no egress proxy is configured, and the agent never connects directly" } };
  }
  // Inside a tunnel the proxy cannot see headers, so its credential goes on the CONNECT only.
  const headers = outgoingHeaders(args.headers, url, body, https ? null : proxy.authorization);
  if (typeof headers === "string") return argsInvalid(headers);

  try {
    const answer = await withDeadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, (onCleanup) =>
      https ? viaTunnel(proxy, method, url, headers, body, onCleanup) : viaForwardProxy(proxy, method, url, headers, body, onCleanup),
    );
    return classifyAnswer(answer);
  } catch (err) {
    if (err instanceof EgressFailure) return { outcome: "error", reasonCode: err.reasonCode, content: { error: err.message } };
    throw err;
  }
}
