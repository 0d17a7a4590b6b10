/**
 * `local` SandboxProvider: Linux namespaces on this host (no Docker). Each sandbox is a directory (workspace/, home/, tmp/,
 * run/) under `root` and, while it runs, one init (`sandbox-init.ts`) that holds its mount/network/IPC/UTS namespaces,
 * its mounts and its gateway relay. An exec joins those namespaces in a PID namespace of its own, in the sandbox's
 * cgroups, as nobody, with the gateway as the only reachable endpoint.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmod, chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { constants as osConstants } from "node:os";
import { join } from "node:path";
import { gatewayEnv, openGatewayBridge, RELAY_SOURCE, relayArgs, type GatewayBridge } from "./gateway-bridge.js";
import { cgroupPids, cgroupUsage, closeFds, createCgroups, detectLimitsMode, openCgroupProcs, procTreeUsage, removeCgroups, ulimitSettings, type LimitsMode } from "./resource-limits.js";
import { findInit, forgetInit, startInit, type SandboxInit } from "./sandbox-init.js";
import { dropThenExecPrelude, ENV_CARRIER_PREFIX, PRELUDE_FAILED_EXIT, PRELUDE_FAILED_MARK } from "./sandbox-prelude.js";
import { assertSandboxId, IN_SANDBOX, readConfined, SANDBOX_GID, SANDBOX_UID, workspaceSegments, writeConfined } from "./sandbox-paths.js";
import { NODE24_BIN, OPENCLAW_ENTRY, OPENCLAW_LAUNCHER } from "@clawea/openclaw-runtime";
import { AGENT_ENTRY } from "@clawea/reference-agent";
import { SandboxError, type ExecOptions, type ExecResult, type SandboxInfo, type SandboxPrograms, type SandboxProvider, type SandboxSpec, type SandboxStats } from "./sandbox.provider.js";

export interface LocalSandboxProviderOptions {
  /** Parent of every sandbox directory, e.g. /var/lib/clawea/sandboxes. Hidden inside sandboxes. */
  root: string;
  /** cgroup v1 mount point; limits fall back to rlimits when its controllers are not writable. */
  cgroupRoot?: string;
  /** Extra host directories to hide inside sandboxes (e.g. the checkout the data plane runs from). */
  hidePaths?: readonly string[];
  /** Node binary used for the in-sandbox gateway relay. */
  nodePath?: string;
  /** How long a sandbox's init may take to get ready (mounts, relay) on start. */
  initTimeoutMs?: number;
}

const SANDBOX_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** The only environment of the privileged processes around a sandbox (the caller's crosses them under a carrier prefix). */
const HOST_ENV: Readonly<Record<string, string>> = { PATH: SANDBOX_PATH, LANG: "C.UTF-8" };
const SPEC_FILE = "spec.json";
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An exec's own PID namespace (so a kill takes its whole tree) with its own /proc, inside the sandbox's mounts. */
const EXEC_NAMESPACES = ["--fork", "--kill-child=SIGKILL", "--pid", "--mount-proc", "--propagation", "unchanged"];

interface LocalSandbox {
  spec: SandboxSpec;
  dir: string;
  state: "running" | "stopped";
  /**
   * The init while running. Null when stopped, and when running but not started by this process yet (the previous data
   * plane's init died with it): the first use starts it. Non-null but no longer running: it crashed; execs fail
   * retryably until `start` (or a restart by the health check) starts a new one.
   */
  init: SandboxInit | null;
  starting: Promise<SandboxInit> | null;
  bridge: GatewayBridge | null;
  processes: Set<ChildProcess>;
}

function concat(chunks: readonly Buffer[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

function gone(): SandboxError {
  return new SandboxError("SANDBOX_NOT_FOUND", "the sandbox's init process is gone; start the sandbox again", true);
}

/** A local sandbox sees this host's files read-only: the data plane's own Node and packages. */
export const HOST_PROGRAMS: SandboxPrograms = {
  node: process.execPath,
  referenceAgent: AGENT_ENTRY,
  openclaw: OPENCLAW_ENTRY === "" ? null : { node24: NODE24_BIN, launcher: OPENCLAW_LAUNCHER, entry: OPENCLAW_ENTRY },
};

export class LocalSandboxProvider implements SandboxProvider {
  readonly name = "local";
  readonly programs = HOST_PROGRAMS;
  private readonly sandboxes = new Map<string, LocalSandbox>();
  private readonly loading = new Map<string, Promise<LocalSandbox | null>>();
  private readonly cgroupRoot: string;
  private readonly hidePaths: readonly string[];
  private readonly nodePath: string;
  private readonly initTimeoutMs: number;
  private limitsMode: Promise<LimitsMode> | null = null;

  constructor(private readonly options: LocalSandboxProviderOptions) {
    this.cgroupRoot = options.cgroupRoot ?? "/sys/fs/cgroup";
    this.hidePaths = options.hidePaths ?? [];
    this.nodePath = options.nodePath ?? process.execPath;
    this.initTimeoutMs = options.initTimeoutMs ?? 30_000;
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
      await this.start(spec.id);
      return this.info(existing);
    }
    const dir = join(this.options.root, spec.id);
    const sandbox: LocalSandbox = { spec, dir, state: "stopped", init: null, starting: null, bridge: null, processes: new Set() };
    try {
      await mkdir(this.options.root, { recursive: true, mode: 0o700 });
      await mkdir(dir, { mode: 0o700 });
      await this.ensureDirs(sandbox);
      this.sandboxes.set(spec.id, sandbox);
      await this.start(spec.id);
    } catch (err) {
      this.sandboxes.delete(spec.id);
      await this.halt(sandbox);
      if ((await this.limits()) === "cgroup-v1") await removeCgroups(this.cgroupRoot, spec.id).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      if (err instanceof SandboxError) throw err;
      throw new SandboxError("SANDBOX_CREATE_FAILED", `create failed: ${(err as Error).message}`, true);
    }
    return this.info(sandbox);
  }

  /** Wake; also starts a new init in place of one that crashed. */
  async start(sandboxId: string): Promise<void> {
    const sandbox = await this.get(sandboxId);
    if (sandbox.starting !== null) {
      await sandbox.starting;
      return;
    }
    if (sandbox.state === "running" && sandbox.init !== null && (await sandbox.init.alive())) return;
    await this.bringUp(sandbox);
  }

  async stop(sandboxId: string): Promise<void> {
    const sandbox = await this.get(sandboxId);
    await this.halt(sandbox);
    if (sandbox.spec.stateless) {
      for (const sub of ["workspace", "home", "tmp"]) await rm(join(sandbox.dir, sub), { recursive: true, force: true });
      await this.ensureDirs(sandbox);
    }
  }

  async destroy(sandboxId: string): Promise<void> {
    assertSandboxId(sandboxId);
    const sandbox = await this.find(sandboxId);
    if (sandbox !== null) {
      await this.halt(sandbox);
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
        : await procTreeUsage([sandbox.init, ...sandbox.processes].flatMap((p) => (p?.pid === undefined ? [] : [p.pid])));
    // A running sandbox answers only with a live init: started here on first use, a crashed one reported as gone.
    if (sandbox.state === "running") await this.runningInit(sandbox);
    return { ...usage, at: new Date().toISOString() };
  }

  async exec(sandboxId: string, command: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const sandbox = await this.get(sandboxId);
    if (sandbox.state !== "running") throw new SandboxError("SANDBOX_UNAVAILABLE", "sandbox is stopped");
    if (command.length === 0) throw new SandboxError("SANDBOX_EXEC_FAILED", "empty command");
    const cwd = options.cwd === undefined || options.cwd === "." ? IN_SANDBOX.workspace : `${IN_SANDBOX.workspace}/${workspaceSegments(options.cwd).join("/")}`;
    const sandboxEnv: Record<string, string> = {
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
    const keys = Object.keys(sandboxEnv);
    const env: Record<string, string> = { ...HOST_ENV };
    for (const key of keys) {
      if (!ENV_NAME.test(key) || key.startsWith(ENV_CARRIER_PREFIX)) throw new SandboxError("SANDBOX_EXEC_FAILED", `environment name not allowed: ${key}`);
      env[`${ENV_CARRIER_PREFIX}${key}`] = sandboxEnv[key]!;
    }
    const mode = await this.limits();
    const init = await this.runningInit(sandbox);
    const started = performance.now();
    let child: ChildProcess;
    let cgroupFds: number[] = [];
    try {
      if (mode === "cgroup-v1") cgroupFds = openCgroupProcs(this.cgroupRoot, sandboxId);
      const prelude = dropThenExecPrelude({ nonce: init.nonce, cwd, cgroupFds: cgroupFds.length, limits: ulimitSettings(sandbox.spec, mode), envKeys: keys, command });
      // setpriv (dies with the data plane) -> nsenter (the sandbox's mount, UTS, IPC and network namespaces) -> unshare (a
      // PID namespace for this exec: killing it kills the namespace's PID 1 and so every process in it) -> setpriv
      // (nobody, no capabilities) -> EXEC_PRELUDE (PID 1: joins the cgroups, rlimits, cwd, env) -> command.
      const argv = ["--pdeathsig", "SIGKILL", "--", "nsenter", `--target=${init.pid}`, "--mount", "--uts", "--ipc", "--net", "--", "unshare", ...EXEC_NAMESPACES, "--", ...prelude];
      child = spawn("setpriv", argv, { cwd: "/", env, stdio: ["pipe", "pipe", "pipe", ...cgroupFds] });
    } catch (err) {
      throw new SandboxError("SANDBOX_EXEC_FAILED", `spawn failed: ${(err as Error).message}`, true);
    } finally {
      closeFds(cgroupFds);
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
    // A failure while the init died under the exec (not stopped by us) is the sandbox's, not the command's.
    if ((exitCode !== 0 || signal !== null) && !timedOut && sandbox.init === init && !(await init.alive())) throw gone();
    const stderrBytes = concat(stderr);
    if (exitCode === PRELUDE_FAILED_EXIT && Buffer.from(stderrBytes).toString("utf8").includes(PRELUDE_FAILED_MARK)) {
      throw new SandboxError("SANDBOX_EXEC_FAILED", Buffer.from(stderrBytes).toString("utf8").trim(), true);
    }
    return { exitCode, signal, stdout: concat(stdout), stderr: stderrBytes, durationMs: performance.now() - started };
  }

  private info(sandbox: LocalSandbox): SandboxInfo {
    return { id: sandbox.spec.id, provider: this.name, state: sandbox.state };
  }

  /** The running sandbox's live init: a crashed one is reported, a missing one (first use after a restart) started. */
  private async runningInit(sandbox: LocalSandbox): Promise<SandboxInit> {
    if (sandbox.starting !== null) return sandbox.starting;
    if (sandbox.init === null) return this.bringUp(sandbox);
    if (!sandbox.init.running) throw gone();
    return sandbox.init;
  }

  /** Starts a new init (once, however many callers ask at the same time), after clearing what is left of an earlier one. */
  private bringUp(sandbox: LocalSandbox): Promise<SandboxInit> {
    sandbox.starting ??= (async () => {
      await this.clear(sandbox);
      await this.ensureDirs(sandbox);
      const mode = await this.limits();
      if (mode === "cgroup-v1") await createCgroups(this.cgroupRoot, sandbox.spec);
      sandbox.bridge = await openGatewayBridge(join(sandbox.dir, "run"), sandbox.spec.gateway);
      const cgroupFds = mode === "cgroup-v1" ? openCgroupProcs(this.cgroupRoot, sandbox.spec.id) : [];
      let init: SandboxInit;
      try {
        init = await startInit({
          dir: sandbox.dir,
          sandboxesRoot: this.options.root,
          hidePaths: this.hidePaths,
          nodePath: this.nodePath,
          relaySource: RELAY_SOURCE,
          relayArgs: relayArgs(),
          cgroupFds,
          limits: ulimitSettings(sandbox.spec, mode),
          env: { ...HOST_ENV },
          readyTimeoutMs: this.initTimeoutMs,
        });
      } finally {
        closeFds(cgroupFds);
      }
      sandbox.init = init;
      sandbox.state = "running";
      return init;
    })().finally(() => {
      sandbox.starting = null;
    });
    return sandbox.starting;
  }

  /** Stopped, with nothing of it left running. */
  private async halt(sandbox: LocalSandbox): Promise<void> {
    await sandbox.starting?.catch(() => undefined);
    sandbox.state = "stopped";
    await this.clear(sandbox);
  }

  /** Ends what is left of the sandbox's processes: its execs, its init (ours or another process's), its bridge. */
  private async clear(sandbox: LocalSandbox): Promise<void> {
    const init = sandbox.init;
    sandbox.init = null;
    await forgetInit(sandbox.dir);
    const exits = [...sandbox.processes].map((p) => new Promise((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve(null) : p.once("close", resolve))));
    for (const p of sandbox.processes) p.kill("SIGKILL");
    await init?.kill();
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
    await sandbox.bridge?.close();
    sandbox.bridge = null;
  }

  private async ensureDirs(sandbox: LocalSandbox): Promise<void> {
    await mkdir(sandbox.dir, { recursive: true, mode: 0o700 });
    await writeFile(join(sandbox.dir, SPEC_FILE), JSON.stringify(sandbox.spec), { mode: 0o600 });
    for (const sub of ["workspace", "home", "tmp"]) {
      await mkdir(join(sandbox.dir, sub), { recursive: true, mode: 0o755 });
      await chown(join(sandbox.dir, sub), SANDBOX_UID, SANDBOX_GID);
    }
    await mkdir(join(sandbox.dir, "run"), { recursive: true });
    await chmod(join(sandbox.dir, "run"), 0o755);
  }

  /**
   * In memory, or on disk from an earlier process: stopped, or running when it has an init record (its init still
   * running when another live process started it, else started again on first use).
   */
  private async find(sandboxId: string): Promise<LocalSandbox | null> {
    const known = this.sandboxes.get(sandboxId);
    if (known !== undefined) return known;
    let loading = this.loading.get(sandboxId);
    if (loading === undefined) {
      loading = this.load(sandboxId).finally(() => this.loading.delete(sandboxId));
      this.loading.set(sandboxId, loading);
    }
    return loading;
  }

  private async load(sandboxId: string): Promise<LocalSandbox | null> {
    const dir = join(this.options.root, sandboxId);
    const raw = await readFile(join(dir, SPEC_FILE), "utf8").catch(() => null);
    if (raw === null) return null;
    const { recorded, init } = await findInit(dir);
    const sandbox: LocalSandbox = { spec: JSON.parse(raw) as SandboxSpec, dir, state: recorded ? "running" : "stopped", init, starting: null, bridge: null, processes: new Set() };
    this.sandboxes.set(sandboxId, sandbox);
    return sandbox;
  }

  private async get(sandboxId: string): Promise<LocalSandbox> {
    assertSandboxId(sandboxId);
    const sandbox = await this.find(sandboxId);
    if (sandbox === null) throw new SandboxError("SANDBOX_NOT_FOUND", "no such sandbox");
    return sandbox;
  }
}
