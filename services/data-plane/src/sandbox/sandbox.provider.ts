/**
 * The one seam to the outside runtime. A provider creates isolated sandboxes whose only way out is
 * the gateway, runs commands in them, moves files in and out, and reports real resource usage.
 * Implementations: `local` (Linux namespaces on this host) and `cloudflare` (the Worker bridge).
 */

export interface SandboxSpec {
  /** Stable id chosen by the caller (the agent id): creating twice with one id returns the same sandbox. */
  id: string;
  tenantId: string;
  runtime: "openclaw" | "reference";
  cpuMillis: number;
  memoryMb: number;
  diskMb: number;
  /** When true, nothing in the workspace survives stop/start. */
  stateless: boolean;
  /** Where the sandbox's only egress goes: the gateway's model API and egress proxy. */
  gateway: { modelUrl: string; egressProxyUrl: string };
  env?: Record<string, string>;
}

export interface SandboxInfo {
  id: string;
  provider: string;
  state: "running" | "stopped" | "destroyed";
}

export interface ExecOptions {
  cwd?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  stdin?: string;
  /** Output as it arrives (streaming); the result still holds all of it. */
  onOutput?: (stream: "stdout" | "stderr", chunk: Uint8Array) => void;
}

export interface ExecResult {
  exitCode: number;
  /** Set when the command was killed (timeout, limit). */
  signal: string | null;
  stdout: Uint8Array;
  stderr: Uint8Array;
  durationMs: number;
}

/**
 * Where the programs the data plane runs live inside this provider's sandboxes. A `local` sandbox sees
 * this host's files (read-only), so they are this host's paths; a Cloudflare container has what its
 * image installed (infra/cloudflare/Dockerfile).
 */
export interface SandboxPrograms {
  /** A Node.js binary (>= 20): the workspace tool and the reference agent run on it. */
  node: string;
  /** `@clawea/reference-agent`'s entry (its `dist/agent.js`). */
  referenceAgent: string;
  /** OpenClaw, its launcher and the Node 24 it runs on; null when the sandbox has no OpenClaw (openclaw templates cannot run there). */
  openclaw: { node24: string; launcher: string; entry: string } | null;
}

export interface SandboxStats {
  cpuMillisUsed: number;
  memoryBytes: number;
  at: string;
}

export interface SandboxProvider {
  readonly name: string;
  readonly programs: SandboxPrograms;
  create(spec: SandboxSpec): Promise<SandboxInfo>;
  exec(sandboxId: string, command: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  writeFile(sandboxId: string, path: string, data: Uint8Array): Promise<void>;
  readFile(sandboxId: string, path: string): Promise<Uint8Array>;
  /** Sleep: processes stop; the workspace is kept unless the sandbox is stateless. */
  stop(sandboxId: string): Promise<void>;
  /** Wake. */
  start(sandboxId: string): Promise<void>;
  /** Idempotent: destroying a destroyed or unknown sandbox succeeds. */
  destroy(sandboxId: string): Promise<void>;
  stats(sandboxId: string): Promise<SandboxStats>;
}

/** Failures a provider reports, as reason codes the data plane records on the agent. */
export class SandboxError extends Error {
  override readonly name = "SandboxError";
  constructor(
    readonly code: "SANDBOX_NOT_FOUND" | "SANDBOX_CREATE_FAILED" | "SANDBOX_EXEC_FAILED" | "SANDBOX_PATH_INVALID" | "SANDBOX_UNAVAILABLE",
    message: string,
    /** Whether retrying the same operation may succeed. */
    readonly retryable = false,
  ) {
    super(message);
  }
}
