/**
 * `BridgeBackend` on Cloudflare Sandbox: one `ClaweaSandbox` Durable Object (and its container) per
 * sandbox id, driven through the `@cloudflare/sandbox` SDK (`getSandbox`, `execStream`, `exec`,
 * `writeFile`, `readFile`, `destroy`). Runs only in the Workers runtime.
 */
import { getSandbox, parseSSEStream, type ExecEvent as SdkExecEvent, type SandboxOptions } from "@cloudflare/sandbox";
import {
  CONTAINER_LAYOUT,
  execEnv,
  execScript,
  KILLED_EXIT,
  killExecsScript,
  parseStatsOutput,
  PATH_ESCAPES,
  PATH_MISSING,
  pathCheckScript,
  setupScript,
  STATS_SCRIPT,
  workspacePath,
} from "./container-commands.js";
import { assertFits, assertSandboxId, base64Encode, BridgeError, parseInstanceLimits, type ReasonCode } from "./protocol.js";
import type { BridgeBackend, ExecEvent } from "./router.js";
import type { ClaweaSandbox, SandboxRecord } from "./sandbox-object.js";

// keepAlive: the data plane decides when a sandbox sleeps (stop/start); the platform's idle sleep
// would drop the container's disk behind its back. No default session: every exec is a fresh
// process, nothing (cwd, exported variables) leaks from one exec to the next.
const SANDBOX_OPTIONS: SandboxOptions = { keepAlive: true, enableDefaultSession: false };
/** Extra time the SDK gives an exec beyond our own `timeout` wrapper, as a backstop. */
const SDK_TIMEOUT_GRACE_MS = 30_000;
const layout = CONTAINER_LAYOUT;
const encoder = new TextEncoder();

function platformFailure(code: ReasonCode, what: string, error: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  // The SDK's failures here are the platform's (container starting, capacity, transport): worth a retry.
  return new BridgeError(code, 503, `${what}: ${error instanceof Error ? error.message : String(error)}`);
}

function base64Decode(value: string): Uint8Array {
  return Uint8Array.from(atob(value), (c) => c.charCodeAt(0));
}

/** `vars` are the Worker's INSTANCE_* variables (read on create, so a misconfiguration answers 500 there, after authentication). */
export function cloudflareBackend(namespace: DurableObjectNamespace<ClaweaSandbox>, vars: Record<string, unknown>): BridgeBackend {
  const open = (id: string): ClaweaSandbox => getSandbox(namespace, id, SANDBOX_OPTIONS);

  async function recordOf(sandbox: ClaweaSandbox): Promise<SandboxRecord> {
    const record = await sandbox.claweaRecord();
    if (record === null) throw new BridgeError("SANDBOX_NOT_FOUND", 404, "no such sandbox");
    return record;
  }

  async function run(sandbox: ClaweaSandbox, script: string, code: ReasonCode, what: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
    try {
      const result = await sandbox.exec(script);
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    } catch (error) {
      throw platformFailure(code, what, error);
    }
  }

  async function setUp(sandbox: ClaweaSandbox, code: ReasonCode): Promise<void> {
    const result = await run(sandbox, setupScript(layout), code, "container start");
    if (result.exitCode !== 0) throw new BridgeError(code, 503, `container setup failed (${result.exitCode}): ${result.stderr.slice(0, 500)}`);
  }

  async function checkPath(sandbox: ClaweaSandbox, segments: readonly string[], mode: "read" | "write"): Promise<void> {
    const { exitCode, stderr } = await run(sandbox, pathCheckScript(layout, segments, mode), "SANDBOX_UNAVAILABLE", "path check");
    if (exitCode === 0) return;
    if (exitCode === PATH_ESCAPES) throw new BridgeError("SANDBOX_PATH_INVALID", 400, "path crosses a symlink or a non-directory");
    if (exitCode === PATH_MISSING) {
      throw mode === "read"
        ? new BridgeError("SANDBOX_PATH_INVALID", 404, "no such file in the workspace")
        : new BridgeError("SANDBOX_PATH_INVALID", 400, "path is a directory or its parent cannot be created");
    }
    throw new BridgeError("SANDBOX_UNAVAILABLE", 503, `path check failed (${exitCode}): ${stderr.slice(0, 500)}`);
  }

  async function* execEvents(stream: ReadableStream<Uint8Array>, startedAt: number, timeoutMs: number | null): AsyncGenerator<ExecEvent> {
    for await (const event of parseSSEStream<SdkExecEvent>(stream)) {
      if (event.type === "stdout" || event.type === "stderr") {
        if (event.data) yield { type: "output", stream: event.type, data: encoder.encode(event.data) };
      } else if (event.type === "complete") {
        const exitCode = event.exitCode ?? event.result?.exitCode ?? 0;
        const durationMs = Date.now() - startedAt;
        // Our wrapper kills with SIGKILL when the time is up; the shell reports that as 137.
        const timedOut = timeoutMs !== null && exitCode === KILLED_EXIT && durationMs >= timeoutMs;
        yield { type: "exit", exitCode, signal: timedOut ? "SIGKILL" : null, durationMs };
        return;
      } else if (event.type === "error") {
        throw new BridgeError("SANDBOX_EXEC_FAILED", 502, `exec failed: ${event.error ?? event.data ?? "unknown error"}`);
      }
    }
  }

  return {
    async create(id, spec) {
      assertFits(spec, parseInstanceLimits(vars));
      const sandbox = open(id);
      let outcome: { record: SandboxRecord; created: boolean };
      try {
        outcome = await sandbox.claweaCreate(spec);
      } catch (error) {
        throw platformFailure("SANDBOX_CREATE_FAILED", "create", error);
      }
      if (outcome.record.state === "stopped") await sandbox.claweaSetState("running");
      await setUp(sandbox, "SANDBOX_CREATE_FAILED");
      return { state: "running", created: outcome.created };
    },

    async exec(id, request) {
      const sandbox = open(id);
      const record = await recordOf(sandbox);
      if (record.state !== "running") throw new BridgeError("SANDBOX_UNAVAILABLE", 409, "sandbox is stopped");
      // The rest runs once the router is streaming (with keepalives): starting a container that was
      // destroyed by a stateless stop can take longer than a client waits for response headers.
      return (async function* (): AsyncGenerator<ExecEvent> {
        const execId = crypto.randomUUID();
        let stdinPath: string | null = null;
        let stream: ReadableStream<Uint8Array>;
        const startedAt = Date.now();
        try {
          if (request.stdin !== null) {
            // The SDK's exec has no stdin: the bytes go to a file the wrapper redirects from (and removes).
            stdinPath = `${layout.runDir}/stdin-${execId}`;
            await sandbox.writeFile(stdinPath, base64Encode(request.stdin), { encoding: "base64" });
          }
          stream = await sandbox.execStream(execScript(layout, request.command, { execId, timeoutMs: request.timeout_ms, stdinPath }), {
            cwd: workspacePath(layout, request.cwd),
            env: execEnv(layout, id, record.spec, request.env),
            ...(request.timeout_ms === null ? {} : { timeout: request.timeout_ms + SDK_TIMEOUT_GRACE_MS }),
          });
        } catch (error) {
          throw platformFailure("SANDBOX_EXEC_FAILED", "exec", error);
        }
        yield* execEvents(stream, startedAt, request.timeout_ms);
      })();
    },

    async writeFile(id, segments, data) {
      const sandbox = open(id);
      await recordOf(sandbox);
      await checkPath(sandbox, segments, "write");
      try {
        await sandbox.writeFile(workspacePath(layout, segments), base64Encode(data), { encoding: "base64" });
      } catch (error) {
        throw platformFailure("SANDBOX_UNAVAILABLE", "write", error);
      }
    },

    async readFile(id, segments) {
      const sandbox = open(id);
      await recordOf(sandbox);
      await checkPath(sandbox, segments, "read");
      try {
        const file = await sandbox.readFile(workspacePath(layout, segments), { encoding: "base64" });
        return file.encoding === "utf-8" ? encoder.encode(file.content) : base64Decode(file.content);
      } catch (error) {
        throw platformFailure("SANDBOX_UNAVAILABLE", "read", error);
      }
    },

    async stop(id) {
      const sandbox = open(id);
      const record = await recordOf(sandbox);
      await sandbox.claweaSetState("stopped");
      try {
        if (record.spec.stateless) {
          // A destroyed container comes back from the image: nothing of the workspace survives.
          await sandbox.destroy();
        } else {
          const state = await sandbox.getState();
          if (state.status === "running" || state.status === "healthy") {
            await run(sandbox, killExecsScript(layout), "SANDBOX_UNAVAILABLE", "stop");
          }
        }
      } catch (error) {
        throw platformFailure("SANDBOX_UNAVAILABLE", "stop", error);
      }
    },

    async start(id) {
      const sandbox = open(id);
      const record = await recordOf(sandbox);
      if (record.state === "running") return;
      await sandbox.claweaSetState("running");
      await setUp(sandbox, "SANDBOX_UNAVAILABLE");
    },

    async destroy(id) {
      assertSandboxId(id);
      const sandbox = open(id);
      if ((await sandbox.claweaRecord()) === null) return;
      try {
        await sandbox.destroy();
        await sandbox.claweaForget();
      } catch (error) {
        throw platformFailure("SANDBOX_UNAVAILABLE", "destroy", error);
      }
    },

    async stats(id) {
      const sandbox = open(id);
      const record = await recordOf(sandbox);
      const at = new Date().toISOString();
      if (record.state !== "running") return { cpu_millis_used: 0, memory_bytes: 0, at };
      const result = await run(sandbox, STATS_SCRIPT, "SANDBOX_UNAVAILABLE", "stats");
      const usage = result.exitCode === 0 ? parseStatsOutput(result.stdout) : null;
      if (usage === null) throw new BridgeError("SANDBOX_UNAVAILABLE", 503, `stats probe failed (${result.exitCode})`);
      return { cpu_millis_used: usage.cpuMillisUsed, memory_bytes: usage.memoryBytes, at };
    },
  };
}
