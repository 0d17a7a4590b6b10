/**
 * `cloudflare` SandboxProvider: a client of the sandbox bridge Worker in infra/cloudflare (Cloudflare
 * Sandbox, one container per sandbox), over its HTTP protocol (documented in infra/cloudflare/README.md).
 * Network failures, timeouts, 5xx and 429 are retryable `SandboxError`s; any other 4xx is not.
 */
import { assertSandboxId, workspaceSegments } from "./sandbox-paths.js";
import { SandboxError, type ExecOptions, type ExecResult, type SandboxInfo, type SandboxPrograms, type SandboxProvider, type SandboxSpec, type SandboxStats } from "./sandbox.provider.js";

export interface CloudflareSandboxProviderOptions {
  /** The bridge Worker's base URL, e.g. https://clawea-sandbox-bridge.<account>.workers.dev */
  bridgeUrl: string;
  /** The Worker's BRIDGE_TOKEN secret. */
  token: string;
  /** Every request but create and exec. Default 30 s. */
  requestTimeoutMs?: number;
  /** Create may cold-start a container. Default 180 s. */
  createTimeoutMs?: number;
  /** An exec stream silent this long (the bridge sends a keepalive line every 10 s) is lost. Default 60 s. */
  idleTimeoutMs?: number;
  /** Where the sandbox image has its programs; default `CLOUDFLARE_IMAGE_PROGRAMS`. */
  programs?: SandboxPrograms;
}

/** What infra/cloudflare/Dockerfile installs: the base image's Node and the reference agent; no OpenClaw yet. */
export const CLOUDFLARE_IMAGE_PROGRAMS: SandboxPrograms = {
  node: "/usr/local/bin/node",
  referenceAgent: "/opt/clawea/reference-agent/dist/agent.js",
  openclaw: null,
};

type SandboxCode = SandboxError["code"];
const CODES: readonly SandboxCode[] = ["SANDBOX_NOT_FOUND", "SANDBOX_CREATE_FAILED", "SANDBOX_EXEC_FAILED", "SANDBOX_PATH_INVALID", "SANDBOX_UNAVAILABLE"];

type ExecLine =
  | { stream: "stdout" | "stderr"; data_b64: string }
  | { keepalive: true }
  | { exit_code: number; signal: string | null; duration_ms: number }
  | { reason_code: string; detail: string; retryable: boolean };

function isCode(value: unknown): value is SandboxCode {
  return typeof value === "string" && (CODES as readonly string[]).includes(value);
}

function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** What fetch threw (refused, reset, DNS, our timeout) as a retryable fault. */
function networkFailure(what: string, error: unknown): SandboxError {
  if (error instanceof SandboxError) return error;
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const reason = err.name === "TimeoutError" || err.name === "AbortError" ? "timed out" : (err.cause?.code ?? err.cause?.message ?? err.message);
  return new SandboxError("SANDBOX_UNAVAILABLE", `cloudflare bridge ${what}: ${reason}`, true);
}

async function responseFailure(what: string, response: Response): Promise<SandboxError> {
  const text = await response.text().catch(() => "");
  let body: { reason_code?: unknown; detail?: unknown } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not the bridge's JSON (a proxy's error page, say): the status decides.
  }
  const detail = typeof body.detail === "string" ? body.detail : text.slice(0, 200);
  if (response.status === 401 || response.status === 403) {
    return new SandboxError("SANDBOX_UNAVAILABLE", `cloudflare bridge ${what}: the bridge refused CLOUDFLARE_BRIDGE_TOKEN (${response.status})`, false);
  }
  const code = isCode(body.reason_code) ? body.reason_code : "SANDBOX_UNAVAILABLE";
  return new SandboxError(code, `cloudflare bridge ${what}: ${response.status} ${detail}`, retryableStatus(response.status));
}

async function readJson<T>(what: string, response: Response): Promise<T> {
  try {
    return (await response.json()) as T;
  } catch (error) {
    if (error instanceof SyntaxError) throw new SandboxError("SANDBOX_UNAVAILABLE", `cloudflare bridge ${what}: malformed answer`, true);
    throw networkFailure(what, error);
  }
}

export class CloudflareSandboxProvider implements SandboxProvider {
  readonly name = "cloudflare";
  readonly programs: SandboxPrograms;
  private readonly base: string;
  private readonly requestTimeoutMs: number;
  private readonly createTimeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: CloudflareSandboxProviderOptions) {
    this.base = options.bridgeUrl.replace(/\/+$/, "");
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.createTimeoutMs = options.createTimeoutMs ?? 180_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.programs = options.programs ?? CLOUDFLARE_IMAGE_PROGRAMS;
  }

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    const body = {
      tenant_id: spec.tenantId,
      runtime: spec.runtime,
      resources: { cpu_millis: spec.cpuMillis, memory_mb: spec.memoryMb, disk_mb: spec.diskMb },
      stateless: spec.stateless,
      gateway: { model_url: spec.gateway.modelUrl, egress_proxy_url: spec.gateway.egressProxyUrl },
      env: spec.env ?? {},
    };
    const response = await this.call("create", "PUT", this.path(spec.id), { json: body, timeoutMs: this.createTimeoutMs });
    const info = await readJson<{ state?: unknown }>("create", response);
    const state = info.state === "stopped" ? "stopped" : "running";
    return { id: spec.id, provider: this.name, state };
  }

  async exec(sandboxId: string, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    if (command.length === 0) throw new SandboxError("SANDBOX_EXEC_FAILED", "empty command");
    const cwd = options.cwd === undefined || options.cwd === "." ? undefined : workspaceSegments(options.cwd).join("/");
    const body = {
      command,
      ...(cwd === undefined ? {} : { cwd }),
      env: options.env ?? {},
      ...(options.timeoutMs === undefined ? {} : { timeout_ms: options.timeoutMs }),
      ...(options.stdin === undefined ? {} : { stdin_b64: Buffer.from(options.stdin, "utf8").toString("base64") }),
    };
    // One controller ends the request: on a silent stream (idle), or long after the command's own timeout.
    const controller = new AbortController();
    let idle = setTimeout(() => controller.abort(), this.idleTimeoutMs);
    const deadline = options.timeoutMs === undefined ? null : setTimeout(() => controller.abort(), options.timeoutMs + this.idleTimeoutMs);
    try {
      const response = await this.call("exec", "POST", this.path(sandboxId, "exec"), { json: body, signal: controller.signal });
      const stdout: Uint8Array[] = [];
      const stderr: Uint8Array[] = [];
      const decoder = new TextDecoder();
      let pending = "";
      const handle = (text: string): ExecResult | null => {
        if (text.trim() === "") return null;
        const line = JSON.parse(text) as ExecLine;
        if ("stream" in line) {
          const chunk = new Uint8Array(Buffer.from(line.data_b64, "base64"));
          (line.stream === "stdout" ? stdout : stderr).push(chunk);
          options.onOutput?.(line.stream, chunk);
          return null;
        }
        if ("exit_code" in line) {
          return { exitCode: line.exit_code, signal: line.signal, stdout: concat(stdout), stderr: concat(stderr), durationMs: line.duration_ms };
        }
        if ("reason_code" in line) {
          throw new SandboxError(isCode(line.reason_code) ? line.reason_code : "SANDBOX_EXEC_FAILED", `cloudflare bridge exec: ${line.detail}`, line.retryable);
        }
        return null;
      };
      let result: ExecResult | null = null;
      for await (const chunk of response.body ?? []) {
        clearTimeout(idle);
        idle = setTimeout(() => controller.abort(), this.idleTimeoutMs);
        pending += decoder.decode(chunk as Uint8Array, { stream: true });
        let newline: number;
        while (result === null && (newline = pending.indexOf("\n")) >= 0) {
          result = handle(pending.slice(0, newline));
          pending = pending.slice(newline + 1);
        }
        // Leaving the loop cancels the rest of the body (nothing is expected after the exit line).
        if (result !== null) break;
      }
      result ??= handle(pending + decoder.decode());
      if (result !== null) return result;
      throw new SandboxError("SANDBOX_UNAVAILABLE", "cloudflare bridge exec: the stream ended without an exit status", true);
    } catch (error) {
      throw error instanceof SyntaxError ? new SandboxError("SANDBOX_EXEC_FAILED", "cloudflare bridge exec: malformed stream line", true) : networkFailure("exec", error);
    } finally {
      clearTimeout(idle);
      if (deadline !== null) clearTimeout(deadline);
    }
  }

  async writeFile(sandboxId: string, path: string, data: Uint8Array): Promise<void> {
    await this.call("writeFile", "PUT", this.filePath(sandboxId, path), { bytes: data });
  }

  async readFile(sandboxId: string, path: string): Promise<Uint8Array> {
    const response = await this.call("readFile", "GET", this.filePath(sandboxId, path));
    try {
      return new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw networkFailure("readFile", error);
    }
  }

  async stop(sandboxId: string): Promise<void> {
    await this.call("stop", "POST", this.path(sandboxId, "stop"));
  }

  async start(sandboxId: string): Promise<void> {
    await this.call("start", "POST", this.path(sandboxId, "start"));
  }

  async destroy(sandboxId: string): Promise<void> {
    await this.call("destroy", "DELETE", this.path(sandboxId));
  }

  async stats(sandboxId: string): Promise<SandboxStats> {
    const response = await this.call("stats", "GET", this.path(sandboxId, "stats"));
    const body = await readJson<{ cpu_millis_used?: unknown; memory_bytes?: unknown; at?: unknown }>("stats", response);
    if (typeof body.cpu_millis_used !== "number" || typeof body.memory_bytes !== "number" || typeof body.at !== "string") {
      throw new SandboxError("SANDBOX_UNAVAILABLE", "cloudflare bridge stats: malformed answer", true);
    }
    return { cpuMillisUsed: body.cpu_millis_used, memoryBytes: body.memory_bytes, at: body.at };
  }

  private path(sandboxId: string, action?: string): string {
    assertSandboxId(sandboxId);
    return `/v1/sandboxes/${encodeURIComponent(sandboxId)}${action === undefined ? "" : `/${action}`}`;
  }

  /** Checked here too: a `..` segment would be resolved away by URL parsing before the bridge could refuse it. */
  private filePath(sandboxId: string, path: string): string {
    return `${this.path(sandboxId, "files")}/${workspaceSegments(path).map(encodeURIComponent).join("/")}`;
  }

  /** One request; a non-2xx answer becomes the bridge's SandboxError. */
  private async call(
    what: string,
    method: string,
    path: string,
    request: { json?: unknown; bytes?: Uint8Array; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.options.token}` };
    let body: string | Uint8Array | undefined;
    if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    } else if (request.bytes !== undefined) {
      headers["content-type"] = "application/octet-stream";
      body = request.bytes;
    }
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: request.signal ?? AbortSignal.timeout(request.timeoutMs ?? this.requestTimeoutMs),
      });
    } catch (error) {
      throw networkFailure(what, error);
    }
    if (!response.ok) throw await responseFailure(what, response);
    return response;
  }
}
