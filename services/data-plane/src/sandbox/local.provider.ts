/**
 * `local` SandboxProvider: Linux namespaces on this host (no Docker). Each sandbox is a directory (workspace/, home/, tmp/,
 * run/) under `root`; every exec runs in fresh mount/PID/network/IPC/UTS namespaces built by the prelude, as nobody, with
 * the gateway as the only reachable endpoint. Sandbox-level state is the directory, the cgroups and the gateway bridge.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { gatewayEnv, openGatewayBridge, RELAY_SOURCE, relayArgs, type GatewayBridge } from "./gateway-bridge.js";
import { cgroupPids, cgroupProcFiles, cgroupUsage, createCgroups, detectLimitsMode, prlimitArgs, procTreeUsage, removeCgroups, type LimitsMode } from "./resource-limits.js";
import { PRELUDE, PRELUDE_FAILED_EXIT, PRELUDE_FAILED_MARK } from "./sandbox-prelude.js";
import { assertSandboxId, IN_SANDBOX, readConfined, SANDBOX_GID, SANDBOX_UID, workspaceSegments, writeConfined } from "./sandbox-paths.js";
import { SandboxError, type ExecOptions, type ExecResult, type SandboxInfo, type SandboxProvider, type SandboxSpec, type SandboxStats } from "./sandbox.provider.js";

export interface LocalSandboxProviderOptions {
  /** Parent of every sandbox directory, e.g. /var/lib/clawea/sandboxes. Hidden inside sandboxes. */
  root: string;
  /** cgroup v1 mount point; limits fall back to rlimits when its controllers are not writable. */
  cgroupRoot?: string;
  /** Extra host directories to hide inside sandboxes (e.g. the checkout the data plane runs from). */
  hidePaths?: readonly string[];
  /** Node binary used for the in-sandbox gateway relay. */
  nodePath?: string;
}

const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
const SPEC_FILE = "spec.json";

interface LocalSandbox {
  spec: SandboxSpec;
  dir: string;
  state: "running" | "stopped";
  bridge: GatewayBridge | null;
  processes: Set<ChildProcess>;
}

function concat(chunks: readonly Buffer[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

export class LocalSandboxProvider implements SandboxProvider {
  readonly name = "local";
  private readonly sandboxes = new Map<string, LocalSandbox>();
  private readonly cgroupRoot: string;
  private readonly hidePaths: readonly string[];
  private readonly nodePath: string;
  private limitsMode: Promise<LimitsMode> | null = null;

  constructor(private readonly options: LocalSandboxProviderOptions) {
    this.cgroupRoot = options.cgroupRoot ?? "/sys/fs/cgroup";
    this.hidePaths = options.hidePaths ?? [];
    this.nodePath = options.nodePath ?? process.execPath;
  }

  /** Which mechanism enforces CPU/memory limits on this host. */
  limits(): Promise<LimitsMode> {
    this.limitsMode ??= detectLimitsMode(this.cgroupRoot);
    return this.limitsMode;
  }

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    assertSandboxId(spec.id);
    const existing = await this.find(spec.id);
    if (existing !== null) {
      if (existing.state === "stopped") await this.start(spec.id);
      return this.info(existing);
    }
    const dir = join(this.options.root, spec.id);
    const sandbox: LocalSandbox = { spec, dir, state: "stopped", bridge: null, processes: new Set() };
    try {
      await mkdir(this.options.root, { recursive: true, mode: 0o700 });
      await mkdir(dir, { mode: 0o700 });
      await writeFile(join(dir, SPEC_FILE), JSON.stringify(spec), { mode: 0o600 });
      await this.ensureDirs(sandbox);
      this.sandboxes.set(spec.id, sandbox);
      await this.start(spec.id);
    } catch (err) {
      this.sandboxes.delete(spec.id);
      await rm(dir, { recursive: true, force: true });
      if (err instanceof SandboxError) throw err;
      throw new SandboxError("SANDBOX_CREATE_FAILED", `create failed: ${(err as Error).message}`, true);
    }
    return this.info(sandbox);
  }

  async start(sandboxId: string): Promise<void> {
    const sandbox = await this.get(sandboxId);
    if (sandbox.state === "running") return;
    await this.ensureDirs(sandbox);
    if ((await this.limits()) === "cgroup-v1") await createCgroups(this.cgroupRoot, sandbox.spec);
    sandbox.bridge = await openGatewayBridge(join(sandbox.dir, "run"), sandbox.spec.gateway);
    sandbox.state = "running";
  }

  async stop(sandboxId: string): Promise<void> {
    const sandbox = await this.get(sandboxId);
    await this.killAll(sandbox);
    await sandbox.bridge?.close();
    sandbox.bridge = null;
    sandbox.state = "stopped";
    if (sandbox.spec.stateless) {
      for (const sub of ["workspace", "home", "tmp"]) await rm(join(sandbox.dir, sub), { recursive: true, force: true });
      await this.ensureDirs(sandbox);
    }
  }

  async destroy(sandboxId: string): Promise<void> {
    assertSandboxId(sandboxId);
    const sandbox = await this.find(sandboxId);
    if (sandbox !== null) {
      await this.killAll(sandbox);
      await sandbox.bridge?.close();
      this.sandboxes.delete(sandboxId);
    }
    if ((await this.limits()) === "cgroup-v1") await removeCgroups(this.cgroupRoot, sandboxId);
    await rm(join(this.options.root, sandboxId), { recursive: true, force: true });
  }

  async writeFile(sandboxId: string, path: string, data: Uint8Array): Promise<void> {
    const sandbox = await this.get(sandboxId);
    await writeConfined(join(sandbox.dir, "workspace"), path, data);
  }

  async readFile(sandboxId: string, path: string): Promise<Uint8Array> {
    const sandbox = await this.get(sandboxId);
    return readConfined(join(sandbox.dir, "workspace"), path);
  }

  async stats(sandboxId: string): Promise<SandboxStats> {
    const sandbox = await this.get(sandboxId);
    const usage =
      (await this.limits()) === "cgroup-v1"
        ? await cgroupUsage(this.cgroupRoot, sandboxId)
        : await procTreeUsage([...sandbox.processes].flatMap((p) => (p.pid === undefined ? [] : [p.pid])));
    return { ...usage, at: new Date().toISOString() };
  }

  async exec(sandboxId: string, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const sandbox = await this.get(sandboxId);
    if (sandbox.state !== "running") throw new SandboxError("SANDBOX_UNAVAILABLE", "sandbox is stopped");
    if (command.length === 0) throw new SandboxError("SANDBOX_EXEC_FAILED", "empty command");
    const cwd = options.cwd === undefined || options.cwd === "." ? IN_SANDBOX.workspace : `${IN_SANDBOX.workspace}/${workspaceSegments(options.cwd).join("/")}`;
    const mode = await this.limits();
    const env: Record<string, string> = {
      ...sandbox.spec.env,
      ...options.env,
      ...gatewayEnv(sandbox.spec.gateway),
      PATH: SANDBOX_PATH,
      HOME: IN_SANDBOX.home,
      TMPDIR: IN_SANDBOX.tmp,
      CLAWEA_WORKSPACE: IN_SANDBOX.workspace,
      CLAWEA_SANDBOX_ID: sandbox.spec.id,
      LANG: "C.UTF-8",
    };
    const joinCgroups = mode === "cgroup-v1" ? cgroupProcFiles(this.cgroupRoot, sandboxId) : [];
    const unshare = ["unshare", "--fork", "--kill-child=SIGKILL", "--pid", "--mount-proc", "--mount", "--net", "--ipc", "--uts", "--propagation", "private"];
    const preludeArgs = [sandbox.dir, this.options.root, this.nodePath, cwd, RELAY_SOURCE, this.hidePaths.join(":"), relayArgs().join(" ")];
    // The wrapper joins the cgroups before anything else runs, then becomes prlimit -> unshare -> prelude (PID 1) -> command.
    const wrapper = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';
    const argv = [...joinCgroups, "--", "prlimit", ...prlimitArgs(sandbox.spec, mode), "--", ...unshare, "/bin/sh", "-c", PRELUDE, "clawea-prelude", ...preludeArgs, ...command];

    const started = performance.now();
    let child: ChildProcess;
    try {
      child = spawn("/bin/sh", ["-c", wrapper, "clawea-exec", ...argv], { env, stdio: ["pipe", "pipe", "pipe"] });
    } catch (err) {
      throw new SandboxError("SANDBOX_EXEC_FAILED", `spawn failed: ${(err as Error).message}`, true);
    }
    sandbox.processes.add(child);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout.push(chunk);
      options.onOutput?.("stdout", new Uint8Array(chunk));
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr.push(chunk);
      options.onOutput?.("stderr", new Uint8Array(chunk));
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.stdin ?? "");

    let timedOut = false;
    // Killing unshare makes the kernel SIGKILL the namespace's PID 1 (--kill-child), which takes every process in it down.
    const timer = options.timeoutMs === undefined ? null : setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    const outcome = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (code, signal) => resolve({ code, signal }));
    }).catch((err: unknown) => {
      throw new SandboxError("SANDBOX_EXEC_FAILED", `exec failed: ${(err as Error).message}`, true);
    }).finally(() => {
      if (timer !== null) clearTimeout(timer);
      sandbox.processes.delete(child);
    });

    const signal = timedOut ? "SIGKILL" : outcome.signal;
    const exitCode = outcome.code ?? 128 + (signal === null ? 0 : (osConstants.signals as Record<string, number>)[signal] ?? 0);
    const stderrBytes = concat(stderr);
    if (exitCode === PRELUDE_FAILED_EXIT && Buffer.from(stderrBytes).toString("utf8").includes(PRELUDE_FAILED_MARK)) {
      throw new SandboxError("SANDBOX_EXEC_FAILED", Buffer.from(stderrBytes).toString("utf8").trim(), true);
    }
    return { exitCode, signal, stdout: concat(stdout), stderr: stderrBytes, durationMs: performance.now() - started };
  }

  private info(sandbox: LocalSandbox): SandboxInfo {
    return { id: sandbox.spec.id, provider: this.name, state: sandbox.state };
  }

  private async ensureDirs(sandbox: LocalSandbox): Promise<void> {
    for (const sub of ["workspace", "home", "tmp"]) {
      await mkdir(join(sandbox.dir, sub), { recursive: true, mode: 0o755 });
      await chown(join(sandbox.dir, sub), SANDBOX_UID, SANDBOX_GID);
    }
    await mkdir(join(sandbox.dir, "run"), { recursive: true });
    await chmod(join(sandbox.dir, "run"), 0o755);
  }

  /** In memory, or on disk from an earlier process (then stopped until started). */
  private async find(sandboxId: string): Promise<LocalSandbox | null> {
    const known = this.sandboxes.get(sandboxId);
    if (known !== undefined) return known;
    const dir = join(this.options.root, sandboxId);
    const raw = await readFile(join(dir, SPEC_FILE), "utf8").catch(() => null);
    if (raw === null) return null;
    const sandbox: LocalSandbox = { spec: JSON.parse(raw) as SandboxSpec, dir, state: "stopped", bridge: null, processes: new Set() };
    this.sandboxes.set(sandboxId, sandbox);
    return sandbox;
  }

  private async get(sandboxId: string): Promise<LocalSandbox> {
    assertSandboxId(sandboxId);
    const sandbox = await this.find(sandboxId);
    if (sandbox === null) throw new SandboxError("SANDBOX_NOT_FOUND", "no such sandbox");
    return sandbox;
  }

  private async killAll(sandbox: LocalSandbox): Promise<void> {
    const exits = [...sandbox.processes].map((p) => new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(null) : p.once("close", resolve))));
    for (const p of sandbox.processes) p.kill("SIGKILL");
    if ((await this.limits()) === "cgroup-v1") {
      for (const pid of await cgroupPids(this.cgroupRoot, sandbox.spec.id)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
    await Promise.all(exits);
  }
}
