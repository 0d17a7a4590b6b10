/**
 * The long-lived init of a running local sandbox: one process tree per start that holds the sandbox's namespaces, its
 * mounts and its gateway relay until the sandbox stops. Starting it, knowing whether it still runs, finding it again
 * from the record in the sandbox directory, ending it.
 *
 * The process the data plane spawns becomes `unshare` (after `setpriv --pdeathsig`), which has entered the new
 * mount/network/IPC/UTS namespaces itself and waits on its child, PID 1 of the new PID namespace (INIT_PRELUDE), which
 * joins the sandbox's cgroups before anything else runs. Execs enter the namespaces of that `unshare` (its pid is the
 * one recorded), and killing it kills PID 1 (`--kill-child`), which takes every process of the PID namespace with it.
 * `--pdeathsig` ties it to the data plane: when the data plane dies, so does the init (and with it the sandbox's relay);
 * the next data plane starts it again on first use.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { open, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { INIT_READY, initPrelude, PRELUDE_FAILED_MARK } from "./sandbox-prelude.js";
import { SandboxError } from "./sandbox.provider.js";

const RECORD_FILE = "init.json";
const LOG_FILE = "init.log";
const INIT_NAMESPACES = ["--fork", "--kill-child=SIGKILL", "--pid", "--mount-proc", "--mount", "--net", "--ipc", "--uts", "--propagation", "private"];

/** What the sandbox directory remembers of a running init: enough to find it again and never mistake a recycled pid for it. */
export interface InitRecord {
  pid: number;
  /** Start time in clock ticks since boot (/proc/<pid>/stat field 22): pid plus start time names one process. */
  startTicks: number;
  /** Also written inside the sandbox (INIT_MARK_FILE); every exec checks it. */
  nonce: string;
}

/** A running init: started by this process, or found running from another process's record. */
export interface SandboxInit extends InitRecord {
  /** Cheap: false once this process saw it end. */
  readonly running: boolean;
  /** Thorough: asks /proc. */
  alive(): Promise<boolean>;
  /** SIGKILLs the tree and waits until it is gone. */
  kill(): Promise<void>;
}

export interface InitOptions {
  dir: string;
  /** Hidden inside the sandbox. */
  sandboxesRoot: string;
  hidePaths: readonly string[];
  nodePath: string;
  relaySource: string;
  relayArgs: readonly string[];
  /** The sandbox's cgroup.procs files, open for writing (none without cgroups); the caller closes them. */
  cgroupFds: readonly number[];
  /** `ulimit` settings (resource-limits.ts). */
  limits: readonly string[];
  env: Record<string, string>;
  readyTimeoutMs: number;
}

/** pid's start time, or null when it is gone or a zombie. */
async function startTicksOf(pid: number): Promise<number | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  // Fields after the parenthesised command name: state(3) ... starttime(22).
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  if (fields[0] === "Z" || fields[0] === "X") return null;
  return Number(fields[19]);
}

async function isSameProcess(record: InitRecord): Promise<boolean> {
  return (await startTicksOf(record.pid)) === record.startTicks;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class OwnedInit implements SandboxInit {
  private exited = false;
  private readonly exit: Promise<void>;

  constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
    readonly startTicks: number,
    readonly nonce: string,
  ) {
    this.exit = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    }).then(() => {
      this.exited = true;
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  async alive(): Promise<boolean> {
    return !this.exited && (await isSameProcess(this));
  }

  async kill(): Promise<void> {
    this.child.kill("SIGKILL");
    await this.exit;
  }
}

class AdoptedInit implements SandboxInit {
  private gone = false;

  constructor(
    readonly pid: number,
    readonly startTicks: number,
    readonly nonce: string,
  ) {}

  get running(): boolean {
    return !this.gone;
  }

  async alive(): Promise<boolean> {
    if (!this.gone && !(await isSameProcess(this))) this.gone = true;
    return !this.gone;
  }

  async kill(): Promise<void> {
    for (let attempt = 0; attempt < 200 && (await this.alive()); attempt++) {
      try {
        process.kill(this.pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
      await sleep(10);
    }
  }
}

function failure(message: string): SandboxError {
  return new SandboxError("SANDBOX_CREATE_FAILED", `sandbox init: ${message}`, true);
}

/** Starts the init and resolves once the sandbox is ready for execs (mounts made, relay listening). */
export async function startInit(options: InitOptions): Promise<SandboxInit> {
  const nonce = randomBytes(16).toString("hex");
  const log = await open(join(options.dir, LOG_FILE), "w", 0o600);
  let child: ChildProcess;
  try {
    const prelude = initPrelude({
      dir: options.dir,
      sandboxesRoot: options.sandboxesRoot,
      nodePath: options.nodePath,
      relaySource: options.relaySource,
      hidePaths: options.hidePaths,
      relayArgs: options.relayArgs,
      nonce,
      cgroupFds: options.cgroupFds.length,
      limits: options.limits,
    });
    child = spawn("setpriv", ["--pdeathsig", "SIGKILL", "--", "unshare", ...INIT_NAMESPACES, ...prelude], {
      cwd: "/",
      env: options.env,
      stdio: ["ignore", "pipe", log.fd, ...options.cgroupFds],
    });
  } finally {
    await log.close();
  }
  const pid = child.pid;
  const ready = await new Promise<boolean>((resolve) => {
    let out = "";
    const timer = setTimeout(() => resolve(false), options.readyTimeoutMs);
    const settle = (ok: boolean): void => {
      clearTimeout(timer);
      resolve(ok);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.split("\n").includes(INIT_READY)) settle(true);
    });
    child.once("error", () => settle(false));
    child.once("exit", () => settle(false));
  });
  child.stdout?.destroy();
  const startTicks = pid === undefined ? null : await startTicksOf(pid);
  if (!ready || pid === undefined || startTicks === null) {
    child.kill("SIGKILL");
    const logged = await readFile(join(options.dir, LOG_FILE), "utf8").catch(() => "");
    const reason = logged.split("\n").find((l) => l.startsWith(PRELUDE_FAILED_MARK)) ?? logged.trim().split("\n").pop() ?? "";
    throw failure(reason !== "" ? reason : "did not become ready");
  }
  // The init lives until stop; it must not keep the data plane's event loop alive.
  child.unref();
  const init = new OwnedInit(child, pid, startTicks, nonce);
  const record: InitRecord = { pid, startTicks, nonce };
  await writeFile(join(options.dir, RECORD_FILE), JSON.stringify(record), { mode: 0o600 });
  return init;
}

/** The init recorded in `dir`, if that very process still runs (started by this or another data-plane process). */
export async function findInit(dir: string): Promise<{ recorded: boolean; init: SandboxInit | null }> {
  const raw = await readFile(join(dir, RECORD_FILE), "utf8").catch(() => null);
  if (raw === null) return { recorded: false, init: null };
  const record = JSON.parse(raw) as InitRecord;
  if (!(await isSameProcess(record))) return { recorded: true, init: null };
  return { recorded: true, init: new AdoptedInit(record.pid, record.startTicks, record.nonce) };
}

/** Stopped: nothing to find or restart. */
export async function forgetInit(dir: string): Promise<void> {
  await rm(join(dir, RECORD_FILE), { force: true });
}
