/**
 * The HTTP client to model providers: one undici Agent with keep-alive connections per origin, the
 * upstream timeout applied to the headers and to every gap between body chunks (a stream that stalls
 * fails, a long one that keeps flowing does not), and failures named by reason code.
 */
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

/** Reads a whole body, refusing one larger than `maxBytes` (it is then an upstream error, not an answer). */
export async function readBody(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw Object.assign(new Error(`upstream answer exceeds ${maxBytes} bytes`), { code: "CLAWEA_UPSTREAM_TOO_LARGE" });
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}
