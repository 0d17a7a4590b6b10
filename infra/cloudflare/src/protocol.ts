/**
 * The bridge's wire protocol (documented in ../README.md): request bodies, their validation, and
 * the error shape. Web-standard only, so the same code runs in the Worker and in Node tests.
 */

/** The data plane's `SandboxError` codes; every error the bridge answers carries one. */
export type ReasonCode = "SANDBOX_NOT_FOUND" | "SANDBOX_CREATE_FAILED" | "SANDBOX_EXEC_FAILED" | "SANDBOX_PATH_INVALID" | "SANDBOX_UNAVAILABLE";

/** A failure with its reason code and HTTP status; 5xx and 429 tell the caller that retrying may help. */
export class BridgeError extends Error {
  override readonly name = "BridgeError";
  constructor(
    readonly code: ReasonCode,
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export interface SandboxSpecWire {
  tenant_id: string;
  runtime: "openclaw" | "reference";
  resources: { cpu_millis: number; memory_mb: number; disk_mb: number };
  stateless: boolean;
  gateway: { model_url: string; egress_proxy_url: string };
  env: Record<string, string>;
}

export type SandboxState = "running" | "stopped";

export interface ExecRequestWire {
  command: string[];
  /** Workspace-relative segments; empty for the workspace itself. */
  cwd: string[];
  env: Record<string, string>;
  timeout_ms: number | null;
  stdin: Uint8Array | null;
}

/** One NDJSON line of an exec response. */
export type ExecLine =
  | { stream: "stdout" | "stderr"; data_b64: string }
  | { keepalive: true }
  | { exit_code: number; signal: string | null; duration_ms: number }
  | { reason_code: ReasonCode; detail: string; retryable: boolean };

export interface StatsWire {
  cpu_millis_used: number;
  memory_bytes: number;
  at: string;
}

const ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;
// Names the Sandbox SDK refuses as ids (they would collide with its preview-URL hostnames).
const RESERVED_IDS = new Set(["www", "api", "admin", "root", "system", "cloudflare", "workers"]);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Longest exec timeout the bridge accepts (one day). */
export const MAX_TIMEOUT_MS = 86_400_000;

/** Ids become Durable Object names and container labels: the SDK's rules (1-63 chars, no edge hyphen) plus the local provider's alphabet. */
export function assertSandboxId(id: string): void {
  if (!ID_PATTERN.test(id) || RESERVED_IDS.has(id.toLowerCase())) {
    throw new BridgeError("SANDBOX_PATH_INVALID", 400, "sandbox id must match [A-Za-z0-9][A-Za-z0-9_-]{0,62}, not end with '-', and not be a reserved name");
  }
}

/** A workspace-relative path as plain segments; absolute paths, `..`, NUL and empty paths are refused. */
export function workspaceSegments(path: string, allowEmpty = false): string[] {
  if (path.includes("\0") || path.startsWith("/") || path.startsWith("\\")) {
    throw new BridgeError("SANDBOX_PATH_INVALID", 400, "path must be relative to the workspace");
  }
  const parts = path.split(/[\\/]+/).filter((p) => p !== "" && p !== ".");
  if (parts.includes("..")) throw new BridgeError("SANDBOX_PATH_INVALID", 400, "path escapes the workspace");
  if (parts.length === 0 && !allowEmpty) throw new BridgeError("SANDBOX_PATH_INVALID", 400, "path is empty");
  return parts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function fail(code: ReasonCode, detail: string): never {
  throw new BridgeError(code, 400, detail);
}

function stringMap(value: unknown, code: ReasonCode, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) fail(code, `${field} must be an object of strings`);
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(value)) {
    if (!ENV_NAME.test(name)) fail(code, `${field}: invalid variable name ${JSON.stringify(name)}`);
    if (typeof v !== "string" || v.includes("\0")) fail(code, `${field}.${name} must be a string without NUL`);
    out[name] = v;
  }
  return out;
}

function positiveInt(value: unknown, code: ReasonCode, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value <= 0) fail(code, `${field} must be a positive integer`);
  return value;
}

function httpUrl(value: unknown, field: string): string {
  if (typeof value !== "string") fail("SANDBOX_CREATE_FAILED", `${field} must be a URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail("SANDBOX_CREATE_FAILED", `${field} must be a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") fail("SANDBOX_CREATE_FAILED", `${field} must be http(s)`);
  return url.toString();
}

export function parseSpec(body: unknown): SandboxSpecWire {
  const code = "SANDBOX_CREATE_FAILED";
  if (!isRecord(body)) fail(code, "body must be a JSON object");
  const { tenant_id, runtime, resources, stateless, gateway, env } = body;
  if (typeof tenant_id !== "string" || tenant_id === "") fail(code, "tenant_id must be a non-empty string");
  if (runtime !== "openclaw" && runtime !== "reference") fail(code, "runtime must be openclaw or reference");
  if (!isRecord(resources)) fail(code, "resources must be an object");
  if (typeof stateless !== "boolean") fail(code, "stateless must be a boolean");
  if (!isRecord(gateway)) fail(code, "gateway must be an object");
  return {
    tenant_id,
    runtime,
    resources: {
      cpu_millis: positiveInt(resources.cpu_millis, code, "resources.cpu_millis"),
      memory_mb: positiveInt(resources.memory_mb, code, "resources.memory_mb"),
      disk_mb: positiveInt(resources.disk_mb, code, "resources.disk_mb"),
    },
    stateless,
    gateway: { model_url: httpUrl(gateway.model_url, "gateway.model_url"), egress_proxy_url: httpUrl(gateway.egress_proxy_url, "gateway.egress_proxy_url") },
    env: stringMap(env, code, "env"),
  };
}

function base64Decode(value: string, field: string): Uint8Array {
  let raw: string;
  try {
    raw = atob(value);
  } catch {
    fail("SANDBOX_EXEC_FAILED", `${field} must be base64`);
  }
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

export function parseExecRequest(body: unknown): ExecRequestWire {
  const code = "SANDBOX_EXEC_FAILED";
  if (!isRecord(body)) fail(code, "body must be a JSON object");
  const { command, cwd, env, timeout_ms, stdin_b64 } = body;
  if (!Array.isArray(command) || command.length === 0) fail(code, "command must be a non-empty array of strings");
  for (const arg of command) if (typeof arg !== "string" || arg.includes("\0")) fail(code, "command must be strings without NUL");
  if (cwd !== undefined && cwd !== null && typeof cwd !== "string") fail("SANDBOX_PATH_INVALID", "cwd must be a string");
  let timeout: number | null = null;
  if (timeout_ms !== undefined && timeout_ms !== null) {
    timeout = positiveInt(timeout_ms, code, "timeout_ms");
    if (timeout > MAX_TIMEOUT_MS) fail(code, `timeout_ms must be at most ${MAX_TIMEOUT_MS}`);
  }
  if (stdin_b64 !== undefined && stdin_b64 !== null && typeof stdin_b64 !== "string") fail(code, "stdin_b64 must be a base64 string");
  return {
    command: command as string[],
    cwd: typeof cwd === "string" ? workspaceSegments(cwd, true) : [],
    env: stringMap(env, code, "env"),
    timeout_ms: timeout,
    stdin: typeof stdin_b64 === "string" ? base64Decode(stdin_b64, "stdin_b64") : null,
  };
}

export function base64Encode(bytes: Uint8Array): string {
  let raw = "";
  for (let i = 0; i < bytes.length; i += 0x8000) raw += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(raw);
}

export function errorBody(code: ReasonCode, detail: string): { reason_code: ReasonCode; detail: string } {
  return { reason_code: code, detail };
}

/** Whether a caller may retry the request that got this status. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** What every container of the Durable Object class gets (its wrangler `instance_type`). */
export interface InstanceLimits {
  cpuMillis: number;
  memoryMb: number;
  diskMb: number;
}

/** Reads the Worker's INSTANCE_* vars, which must describe the configured `instance_type`. */
export function parseInstanceLimits(vars: Record<string, unknown>): InstanceLimits {
  const read = (name: string): number => {
    const value = Number(vars[name]);
    if (typeof vars[name] !== "string" || !Number.isSafeInteger(value) || value <= 0) {
      throw new BridgeError("SANDBOX_UNAVAILABLE", 500, `bridge misconfigured: ${name} must be a positive integer`);
    }
    return value;
  };
  return { cpuMillis: read("INSTANCE_CPU_MILLIS"), memoryMb: read("INSTANCE_MEMORY_MB"), diskMb: read("INSTANCE_DISK_MB") };
}

/** Cloudflare sizes containers per class, not per sandbox: a spec asking for more than the instance type gives is refused, not silently shrunk. */
export function assertFits(spec: SandboxSpecWire, instance: InstanceLimits): void {
  const over = [
    spec.resources.cpu_millis > instance.cpuMillis ? `cpu_millis ${spec.resources.cpu_millis} > ${instance.cpuMillis}` : null,
    spec.resources.memory_mb > instance.memoryMb ? `memory_mb ${spec.resources.memory_mb} > ${instance.memoryMb}` : null,
    spec.resources.disk_mb > instance.diskMb ? `disk_mb ${spec.resources.disk_mb} > ${instance.diskMb}` : null,
  ].filter((reason) => reason !== null);
  if (over.length > 0) throw new BridgeError("SANDBOX_CREATE_FAILED", 422, `the container instance type is too small: ${over.join(", ")}`);
}
