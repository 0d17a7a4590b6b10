/**
 * The HTTP client to model providers: one undici Agent with keep-alive connections per origin, the
 * upstream timeout applied to the headers and to every gap between body chunks (a stream that stalls
 * fails, a long one that keeps flowing does not), and failures named by reason code.
 */
import type { Readable } from "node:stream";
import { Agent, type Dispatcher } from "undici";

export interface UpstreamClient {
  request(input: { url: string; method: "GET" | "POST"; headers: Record<string, string>; body?: Buffer; signal?: AbortSignal }): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

export function createUpstreamClient(timeoutMs: number): UpstreamClient {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connect: { timeout: timeoutMs },
  });
  return {
    request({ url, method, headers, body, signal }) {
      const target = new URL(url);
      return agent.request({
        origin: target.origin,
        path: `${target.pathname}${target.search}`,
        method,
        headers,
        ...(body ? { body } : {}),
        ...(signal ? { signal } : {}),
      });
    },
    close: () => agent.close(),
  };
}

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** A transport failure: the provider was too slow, or anything else went wrong on the way (refused, reset, malformed). */
export function transportFailureCode(error: unknown): "UPSTREAM_TIMEOUT" | "UPSTREAM_ERROR" {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && TIMEOUT_CODES.has(code) ? "UPSTREAM_TIMEOUT" : "UPSTREAM_ERROR";
}

/**
 * Reads a whole body, refusing one larger than `maxBytes` (it is then an upstream error, not an answer).
 * By its events rather than async iteration, which costs a promise and an iterator step per chunk.
 */
export function readBody(body: Readable, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return void body.destroy(Object.assign(new Error(`upstream answer exceeds ${maxBytes} bytes`), { code: "CLAWEA_UPSTREAM_TOO_LARGE" }));
      chunks.push(chunk);
    });
    body.once("error", reject);
    body.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
  });
}
