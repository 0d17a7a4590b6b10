/**
 * The scripted model on the wire: an OpenAI-compatible upstream on node:http with
 * `POST /v1/chat/completions` (JSON or SSE) and `GET /v1/models`. No network beyond its own listener.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { complete, completionChunks, completionJson, invalidRequest, parseChatRequest, type OpenAiError, type ScriptedReply } from "./scripted-model.reply.js";

export interface ScriptedModelOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Fixed assistant turns, by turn index; once they run out the model calls `finish`. Without it, the task's directives drive the model. */
  script?: readonly ScriptedReply[];
}

export interface ScriptedModel {
  /** The OpenAI base URL, ending in `/v1` (what `OPENAI_BASE_URL` or a gateway provider's `baseUrl` takes). */
  url: string;
  close(): Promise<void>;
}

export const SCRIPTED_MODEL_IDS: readonly string[] = ["scripted-1"];
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

const sendError = (res: ServerResponse, error: OpenAiError): void => sendJson(res, error.status, error.body);

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function chatCompletions(req: IncomingMessage, res: ServerResponse, script: readonly ScriptedReply[] | undefined): Promise<void> {
  const raw = await readBody(req);
  if (raw === null) return sendError(res, invalidRequest(`The body exceeds ${MAX_BODY_BYTES} bytes.`, null, 413));
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    return sendError(res, invalidRequest("We could not parse the JSON body of your request.", null));
  }
  const parsed = parseChatRequest(body);
  if (!parsed.ok) return sendError(res, parsed.error);
  const completion = complete(parsed.request, script);
  if (!parsed.request.stream) return sendJson(res, 200, completionJson(completion));
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache", connection: "keep-alive" });
  for (const data of completionChunks(completion, parsed.request.includeUsage)) res.write(`data: ${data}\n\n`);
  res.end();
}

function route(req: IncomingMessage, res: ServerResponse, options: ScriptedModelOptions): Promise<void> | void {
  const path = new URL(req.url ?? "/", "http://scripted.invalid").pathname.replace(/\/+$/, "");
  if (path === "/v1/chat/completions") {
    if (req.method !== "POST") return sendError(res, invalidRequest("Use POST for /v1/chat/completions.", null, 405, "method_not_allowed"));
    return chatCompletions(req, res, options.script);
  }
  if (path === "/v1/models" && req.method === "GET") {
    return sendJson(res, 200, { object: "list", data: SCRIPTED_MODEL_IDS.map((id) => ({ id, object: "model", created: 0, owned_by: "clawea" })) });
  }
  return sendError(res, invalidRequest(`Unknown path ${req.method ?? "?"} ${path}.`, null, 404, "not_found"));
}

/** Starts the scripted model on loopback (by default) and resolves once it listens. */
export async function startScriptedModel(options: ScriptedModelOptions = {}): Promise<ScriptedModel> {
  const server = createServer((req, res) => {
    Promise.resolve(route(req, res, options)).catch((err: unknown) => {
      process.stderr.write(`scripted-model: ${err instanceof Error ? err.message : String(err)}\n`);
      if (!res.headersSent) sendJson(res, 500, { error: { message: "internal error", type: "server_error", param: null, code: null } });
      else res.destroy();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
