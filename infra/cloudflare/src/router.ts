/**
 * The bridge's HTTP surface: authentication, routing, body validation, and the NDJSON exec stream,
 * over a `BridgeBackend` that does the sandbox work. Web-standard Request/Response only, so it is
 * tested in Node with an in-memory backend; the Worker plugs in the Cloudflare Sandbox backend.
 */
import { bearerMatches } from "./auth.js";
import {
  assertSandboxId,
  base64Encode,
  BridgeError,
  errorBody,
  parseExecRequest,
  parseSpec,
  retryableStatus,
  workspaceSegments,
  type ExecLine,
  type ExecRequestWire,
  type ReasonCode,
  type SandboxSpecWire,
  type SandboxState,
  type StatsWire,
} from "./protocol.js";

export type ExecEvent =
  | { type: "output"; stream: "stdout" | "stderr"; data: Uint8Array }
  | { type: "exit"; exitCode: number; signal: string | null; durationMs: number };

/** The sandbox operations behind the routes; failures are `BridgeError`s. */
export interface BridgeBackend {
  create(id: string, spec: SandboxSpecWire): Promise<{ state: SandboxState; created: boolean }>;
  /** Resolves once the command has started (or throws before, e.g. not found / stopped); the events end with one `exit`. */
  exec(id: string, request: ExecRequestWire): Promise<AsyncIterable<ExecEvent>>;
  writeFile(id: string, segments: readonly string[], data: Uint8Array): Promise<void>;
  readFile(id: string, segments: readonly string[]): Promise<Uint8Array>;
  stop(id: string): Promise<void>;
  start(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  stats(id: string): Promise<StatsWire>;
}

export interface BridgeOptions {
  backend: BridgeBackend;
  /** The shared secret callers present as `Authorization: Bearer …`; unset refuses every request. */
  token: string | undefined;
  /** How often an exec stream sends a keepalive line while the command is quiet. */
  keepaliveMs?: number;
}

const ROUTE = /^\/v1\/sandboxes\/([^/]+)(?:\/(exec|stop|start|stats|files)(?:\/(.*))?)?$/;
const encoder = new TextEncoder();

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

function problem(error: BridgeError): Response {
  return json(error.status, errorBody(error.code, error.detail));
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new BridgeError("SANDBOX_PATH_INVALID", 400, "malformed percent-encoding");
  }
}

async function jsonBody(request: Request, code: ReasonCode): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new BridgeError(code, 400, "body must be JSON");
  }
}

function methodNotAllowed(): never {
  throw new BridgeError("SANDBOX_UNAVAILABLE", 405, "method not allowed on this route");
}

function execStream(events: AsyncIterable<ExecEvent>, keepaliveMs: number): ReadableStream<Uint8Array> {
  const iterator = events[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopTimer = (): void => {
    if (timer !== undefined) clearInterval(timer);
  };
  let closed = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (line: ExecLine): void => {
        if (!closed) controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      };
      // Proxies and clients drop idle connections; a quiet command still shows it is alive.
      timer = setInterval(() => send({ keepalive: true }), keepaliveMs);
      void (async () => {
        try {
          for (;;) {
            const next = await iterator.next();
            if (next.done) throw new BridgeError("SANDBOX_EXEC_FAILED", 502, "the command's output ended without an exit status");
            const event = next.value;
            if (event.type === "output") {
              send({ stream: event.stream, data_b64: base64Encode(event.data) });
            } else {
              send({ exit_code: event.exitCode, signal: event.signal, duration_ms: Math.round(event.durationMs) });
              break;
            }
          }
        } catch (error) {
          const failure = error instanceof BridgeError ? error : new BridgeError("SANDBOX_EXEC_FAILED", 502, `exec failed: ${(error as Error).message}`);
          send({ reason_code: failure.code, detail: failure.detail, retryable: retryableStatus(failure.status) });
        } finally {
          stopTimer();
          if (!closed) {
            closed = true;
            controller.close();
          }
        }
      })();
    },
    async cancel() {
      closed = true;
      stopTimer();
      await iterator.return?.();
    },
  });
}

async function route(request: Request, options: BridgeOptions): Promise<Response> {
  const url = new URL(request.url);
  const match = ROUTE.exec(url.pathname);
  if (match === null) throw new BridgeError("SANDBOX_UNAVAILABLE", 404, "no such route");
  const id = decode(match[1] ?? "");
  const action = match[2];
  const rest = match[3];
  assertSandboxId(id);
  const { backend } = options;
  const method = request.method;

  if (action === undefined) {
    if (method === "PUT") {
      const spec = parseSpec(await jsonBody(request, "SANDBOX_CREATE_FAILED"));
      const { state, created } = await backend.create(id, spec);
      return json(created ? 201 : 200, { id, provider: "cloudflare", state });
    }
    if (method === "DELETE") {
      await backend.destroy(id);
      return new Response(null, { status: 204 });
    }
    methodNotAllowed();
  }
  if (action === "files") {
    const segments = workspaceSegments(decode(rest ?? ""));
    if (method === "PUT") {
      await backend.writeFile(id, segments, new Uint8Array(await request.arrayBuffer()));
      return new Response(null, { status: 204 });
    }
    if (method === "GET") {
      const data = await backend.readFile(id, segments);
      return new Response(data, { status: 200, headers: { "content-type": "application/octet-stream" } });
    }
    methodNotAllowed();
  }
  if (rest !== undefined) throw new BridgeError("SANDBOX_UNAVAILABLE", 404, "no such route");
  if (action === "stats") {
    if (method !== "GET") methodNotAllowed();
    return json(200, await backend.stats(id));
  }
  if (method !== "POST") methodNotAllowed();
  if (action === "exec") {
    const exec = parseExecRequest(await jsonBody(request, "SANDBOX_EXEC_FAILED"));
    const events = await backend.exec(id, exec);
    return new Response(execStream(events, options.keepaliveMs ?? 10_000), { status: 200, headers: { "content-type": "application/x-ndjson" } });
  }
  if (action === "stop") await backend.stop(id);
  else await backend.start(id);
  return new Response(null, { status: 204 });
}

/** The bridge as a fetch handler. */
export function createBridge(options: BridgeOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    if (!(await bearerMatches(request.headers.get("authorization"), options.token))) {
      return problem(new BridgeError("SANDBOX_UNAVAILABLE", 401, "missing or wrong bridge token"));
    }
    try {
      return await route(request, options);
    } catch (error) {
      if (error instanceof BridgeError) return problem(error);
      return problem(new BridgeError("SANDBOX_UNAVAILABLE", 500, `bridge error: ${(error as Error).message}`));
    }
  };
}
