/**
 * A local stand-in for the Cloudflare sandbox bridge Worker (infra/cloudflare), honouring its HTTP
 * protocol (infra/cloudflare/README.md) so the `cloudflare` provider is tested over real HTTP: a
 * directory per sandbox, real child processes (one process group per exec) instead of containers.
 * It mirrors the Worker's semantics: bearer auth, create by id, workspace-confined files without
 * symlinks, NDJSON exec stream with keepalives, stop kills execs and wipes a stateless workspace.
 * Faults can be scripted (status answers, stalls, cut streams) to exercise the client's error mapping.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { timingSafeEqual, createHash } from "node:crypto";
import { lstat, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { procTreeUsage } from "./resource-limits.js";
import { SandboxError } from "./sandbox.provider.js";
import { workspaceSegments } from "./sandbox-paths.js";

type Code = SandboxError["code"];

interface WireSpec {
  tenant_id: string;
  runtime: string;
  resources: { cpu_millis: number; memory_mb: number; disk_mb: number };
  stateless: boolean;
  gateway: { model_url: string; egress_proxy_url: string };
  env: Record<string, string>;
}

interface LocalSandbox {
  spec: WireSpec;
  state: "running" | "stopped";
  dir: string;
  execs: Set<ChildProcess>;
}

class Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: Code,
    detail: string,
  ) {
    super(detail);
  }
}

export type Fault = { kind: "status"; status: number; code?: Code } | { kind: "stall" } | { kind: "cut-exec" };

export interface BridgeServer {
  url: string;
  /** The next requests meet these faults, one each, in order. */
  inject(...faults: Fault[]): void;
  /** Requests seen, as "METHOD path". */
  readonly requests: string[];
  close(): Promise<void>;
}

const ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function gatewayEnv(gateway: WireSpec["gateway"]): Record<string, string> {
  const model = new URL(gateway.model_url);
  const modelUrl = `${model.protocol}//${model.host}${model.pathname === "/" ? "" : model.pathname}`;
  const proxy = new URL(gateway.egress_proxy_url);
  const proxyUrl = `${proxy.protocol}//${proxy.host}`;
  return {
    CLAWEA_GATEWAY_URL: modelUrl,
    OPENAI_BASE_URL: modelUrl,
    CLAWEA_EGRESS_PROXY_URL: proxyUrl,
    HTTP_PROXY: proxyUrl,
    HTTPS_PROXY: proxyUrl,
    http_proxy: proxyUrl,
    https_proxy: proxyUrl,
    NO_PROXY: model.hostname,
    no_proxy: model.hostname,
  };
}

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function json(req: IncomingMessage, code: Code): Promise<Record<string, unknown>> {
  try {
    const parsed = JSON.parse((await body(req)).toString("utf8")) as unknown;
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the 400.
  }
  throw new Failure(400, code, "body must be a JSON object");
}

function segments(path: string): string[] {
  try {
    return workspaceSegments(path);
  } catch (error) {
    throw new Failure(400, "SANDBOX_PATH_INVALID", (error as SandboxError).message);
  }
}

/** The Worker's path check: no symlink in any component, directories on the way, a regular file at the end. */
async function confined(workspace: string, parts: readonly string[], mode: "read" | "write"): Promise<string> {
  let current = workspace;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const stat = await lstat(current).catch(() => null);
    if (stat?.isSymbolicLink()) throw new Failure(400, "SANDBOX_PATH_INVALID", "path crosses a symlink or a non-directory");
    if (index < parts.length - 1) {
      if (stat === null && mode === "write") await mkdir(current);
      else if (stat === null) throw new Failure(404, "SANDBOX_PATH_INVALID", "no such file in the workspace");
      else if (!stat.isDirectory()) throw new Failure(400, "SANDBOX_PATH_INVALID", "path crosses a symlink or a non-directory");
    } else if (mode === "read" && (stat === null || !stat.isFile())) {
      throw new Failure(404, "SANDBOX_PATH_INVALID", "no such file in the workspace");
    } else if (mode === "write" && stat?.isDirectory()) {
      throw new Failure(400, "SANDBOX_PATH_INVALID", "path is a directory");
    }
  }
  return current;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export async function startBridgeServer(options: {
  token: string;
  root: string;
  keepaliveMs?: number;
  /**
   * The container image's programs this host stands in for: an image path (e.g. `/usr/local/bin/node`)
   * and the host file run in its place, so commands written for the image run here as they would there.
   * With an image, any other absolute program path is not found, as in the container.
   */
  image?: Record<string, string>;
}): Promise<BridgeServer> {
  const sandboxes = new Map<string, LocalSandbox>();
  const faults: Fault[] = [];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const keepaliveMs = options.keepaliveMs ?? 10_000;

  const get = (id: string): LocalSandbox => {
    const sandbox = sandboxes.get(id);
    if (sandbox === undefined) throw new Failure(404, "SANDBOX_NOT_FOUND", "no such sandbox");
    return sandbox;
  };
  const workspace = (sandbox: LocalSandbox): string => join(sandbox.dir, "workspace");
  const killExecs = async (sandbox: LocalSandbox): Promise<void> => {
    const exits = [...sandbox.execs].map((c) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(null) : c.once("close", resolve))));
    for (const child of sandbox.execs) killGroup(child);
    await Promise.all(exits);
  };

  async function exec(id: string, req: IncomingMessage, res: ServerResponse, cut: boolean): Promise<void> {
    const input = await json(req, "SANDBOX_EXEC_FAILED");
    const sandbox = get(id);
    if (sandbox.state !== "running") throw new Failure(409, "SANDBOX_UNAVAILABLE", "sandbox is stopped");
    const command = input.command;
    if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === "string")) {
      throw new Failure(400, "SANDBOX_EXEC_FAILED", "command must be a non-empty array of strings");
    }
    const cwdParts = typeof input.cwd === "string" ? segments(input.cwd) : [];
    const cwd = join(workspace(sandbox), ...cwdParts);
    const timeoutMs = typeof input.timeout_ms === "number" ? input.timeout_ms : null;
    const env = {
      ...sandbox.spec.env,
      ...(input.env as Record<string, string> | undefined),
      ...gatewayEnv(sandbox.spec.gateway),
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      CLAWEA_WORKSPACE: workspace(sandbox),
      CLAWEA_SANDBOX_ID: id,
    };
    const started = performance.now();
    const argv = (command as string[]).map((arg) => options.image?.[arg] ?? arg);
    if (options.image && argv[0] === command[0] && String(command[0]).startsWith("/")) {
      throw new Failure(502, "SANDBOX_EXEC_FAILED", `spawn failed: ${String(command[0])} is not in the sandbox image`);
    }
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
    const spawned = await new Promise<Error | null>((resolve) => {
      child.once("spawn", () => resolve(null));
      child.once("error", resolve);
    });
    if (spawned !== null) throw new Failure(502, "SANDBOX_EXEC_FAILED", `spawn failed: ${spawned.message}`);
    sandbox.execs.add(child);
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    const send = (line: unknown): void => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(line)}\n`);
    };
    const keepalive = setInterval(() => send({ keepalive: true }), keepaliveMs);
    let timedOut = false;
    const timer = timeoutMs === null ? null : setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      send({ stream: "stdout", data_b64: chunk.toString("base64") });
      // A cut stream: the connection dies after the first output, as a dropped edge connection would.
      if (cut) setTimeout(() => res.socket?.destroy(), 50);
    });
    child.stderr?.on("data", (chunk: Buffer) => send({ stream: "stderr", data_b64: chunk.toString("base64") }));
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(typeof input.stdin_b64 === "string" ? Buffer.from(input.stdin_b64, "base64") : undefined);
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("close", (c, s) => resolve({ code: c, signal: s })));
    clearInterval(keepalive);
    if (timer !== null) clearTimeout(timer);
    sandbox.execs.delete(child);
    // As the Worker reports it: a shell's 128+n for a killed command, SIGKILL named only when the time ran out.
    const exitCode = code ?? 128 + (signal === "SIGKILL" ? 9 : signal === "SIGTERM" ? 15 : 0);
    send({ exit_code: exitCode, signal: timedOut ? "SIGKILL" : null, duration_ms: Math.round(performance.now() - started) });
    res.end();
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://bridge");
    const match = /^\/v1\/sandboxes\/([^/]+)(?:\/(exec|stop|start|stats|files)(?:\/(.*))?)?$/.exec(url.pathname);
    if (match === null) throw new Failure(404, "SANDBOX_UNAVAILABLE", "no such route");
    const id = decodeURIComponent(match[1] ?? "");
    if (!ID_PATTERN.test(id)) throw new Failure(400, "SANDBOX_PATH_INVALID", "invalid sandbox id");
    const [action, rest] = [match[2], match[3]];
    const method = req.method ?? "GET";
    const answer = (status: number, payload?: unknown): void => {
      if (payload === undefined) {
        res.writeHead(status).end();
      } else {
        res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
      }
    };

    if (action === undefined && method === "PUT") {
      const spec = (await json(req, "SANDBOX_CREATE_FAILED")) as unknown as WireSpec;
      if (typeof spec.tenant_id !== "string" || typeof spec.stateless !== "boolean" || typeof spec.gateway?.model_url !== "string") {
        throw new Failure(400, "SANDBOX_CREATE_FAILED", "invalid spec");
      }
      const existing = sandboxes.get(id);
      if (existing !== undefined) {
        existing.state = "running";
        return answer(200, { id, provider: "cloudflare", state: "running" });
      }
      const sandbox: LocalSandbox = { spec: { ...spec, env: spec.env ?? {} }, state: "running", dir: join(options.root, id), execs: new Set() };
      await mkdir(workspace(sandbox), { recursive: true });
      sandboxes.set(id, sandbox);
      return answer(201, { id, provider: "cloudflare", state: "running" });
    }
    if (action === undefined && method === "DELETE") {
      const sandbox = sandboxes.get(id);
      if (sandbox !== undefined) {
        await killExecs(sandbox);
        sandboxes.delete(id);
        await rm(sandbox.dir, { recursive: true, force: true });
      }
      return answer(204);
    }
    if (action === "files" && (method === "PUT" || method === "GET")) {
      const parts = segments(decodeURIComponent(rest ?? ""));
      const sandbox = get(id);
      if (method === "PUT") {
        const data = await body(req);
        await writeFile(await confined(workspace(sandbox), parts, "write"), data);
        return answer(204);
      }
      const data = await readFile(await confined(workspace(sandbox), parts, "read"));
      res.writeHead(200, { "content-type": "application/octet-stream" }).end(data);
      return;
    }
    if (rest === undefined && action === "stats" && method === "GET") {
      const sandbox = get(id);
      const usage = await procTreeUsage([...sandbox.execs].flatMap((c) => (c.pid === undefined ? [] : [c.pid])));
      return answer(200, { cpu_millis_used: usage.cpuMillisUsed, memory_bytes: usage.memoryBytes, at: new Date().toISOString() });
    }
    if (rest === undefined && action === "stop" && method === "POST") {
      const sandbox = get(id);
      sandbox.state = "stopped";
      await killExecs(sandbox);
      if (sandbox.spec.stateless) {
        await rm(workspace(sandbox), { recursive: true, force: true });
        await mkdir(workspace(sandbox));
      }
      return answer(204);
    }
    if (rest === undefined && action === "start" && method === "POST") {
      get(id).state = "running";
      return answer(204);
    }
    if (rest === undefined && action === "exec" && method === "POST") return exec(id, req, res, false);
    throw new Failure(405, "SANDBOX_UNAVAILABLE", "method not allowed on this route");
  }

  const server = createServer((req, res) => {
    void (async () => {
      requests.push(`${req.method ?? "GET"} ${req.url ?? ""}`);
      try {
        const header = req.headers.authorization ?? "";
        const presented = header.startsWith("Bearer ") ? header.slice(7) : "";
        if (presented === "" || !timingSafeEqual(digest(presented), digest(options.token))) {
          throw new Failure(401, "SANDBOX_UNAVAILABLE", "missing or wrong bridge token");
        }
        const fault = faults.shift();
        if (fault?.kind === "stall") return;
        if (fault?.kind === "status") throw new Failure(fault.status, fault.code ?? "SANDBOX_UNAVAILABLE", "injected fault");
        if (fault?.kind === "cut-exec") {
          const url = new URL(req.url ?? "/", "http://bridge");
          const id = decodeURIComponent(url.pathname.split("/")[3] ?? "");
          return await exec(id, req, res, true);
        }
        await route(req, res);
      } catch (error) {
        const failure = error instanceof Failure ? error : new Failure(500, "SANDBOX_UNAVAILABLE", (error as Error).message);
        if (res.headersSent) {
          res.end();
        } else {
          res.writeHead(failure.status, { "content-type": "application/json" }).end(JSON.stringify({ reason_code: failure.code, detail: failure.message }));
        }
      }
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    inject: (...more) => faults.push(...more),
    requests,
    async close() {
      for (const sandbox of sandboxes.values()) await killExecs(sandbox);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
