/**
 * Test doubles of the SandboxProvider contract for the worker tests: one in memory (with scripted
 * faults) and one whose state lives in files, so a worker process killed mid-job and its successor
 * see the same sandboxes.
 */
import { HOST_PROGRAMS } from "../sandbox/local.provider.js";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SandboxError, type ExecResult, type SandboxInfo, type SandboxProvider, type SandboxSpec, type SandboxStats } from "../sandbox/sandbox.provider.js";

type Op = "create" | "stop" | "start" | "destroy" | "stats";

function notImplemented(): never {
  throw new SandboxError("SANDBOX_EXEC_FAILED", "the worker tests do not exec", false);
}

export class MemorySandboxProvider implements SandboxProvider {
  readonly name = "memory";
  readonly programs = HOST_PROGRAMS;
  readonly sandboxes = new Map<string, { spec: SandboxSpec; state: SandboxInfo["state"] }>();
  readonly calls: Array<{ op: Op; id: string }> = [];
  /** What `stats` reports per sandbox (cumulative CPU, like a cgroup counter); 1234 ms and 64 MiB when unset. */
  readonly usage = new Map<string, { cpuMillisUsed: number; memoryBytes: number }>();
  private readonly faults: Array<{ op: Op; error: Error }> = [];
  private readonly hooks: Array<{ op: Op; run: () => Promise<void> }> = [];

  /** The next call of `op` throws `error` (queued: several faults fire in order). */
  failNext(op: Op, error: Error): void {
    this.faults.push({ op, error });
  }

  /** Runs `run` when the next call of `op` starts, before it acts: a request landing mid-job. */
  beforeNext(op: Op, run: () => Promise<void>): void {
    this.hooks.push({ op, run });
  }

  private async enter(op: Op, id: string): Promise<void> {
    this.calls.push({ op, id });
    const hook = this.hooks.findIndex((entry) => entry.op === op);
    if (hook >= 0) await this.hooks.splice(hook, 1)[0]!.run();
    const index = this.faults.findIndex((fault) => fault.op === op);
    if (index >= 0) throw this.faults.splice(index, 1)[0]!.error;
  }

  private get(id: string) {
    const sandbox = this.sandboxes.get(id);
    if (!sandbox || sandbox.state === "destroyed") throw new SandboxError("SANDBOX_NOT_FOUND", `no sandbox ${id}`);
    return sandbox;
  }

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    await this.enter("create", spec.id);
    const existing = this.sandboxes.get(spec.id);
    if (!existing || existing.state === "destroyed") this.sandboxes.set(spec.id, { spec, state: "running" });
    return { id: spec.id, provider: this.name, state: this.get(spec.id).state };
  }
  exec(): Promise<ExecResult> {
    notImplemented();
  }
  writeFile(): Promise<void> {
    notImplemented();
  }
  readFile(): Promise<Uint8Array> {
    notImplemented();
  }
  async stop(id: string): Promise<void> {
    await this.enter("stop", id);
    this.get(id).state = "stopped";
  }
  async start(id: string): Promise<void> {
    await this.enter("start", id);
    this.get(id).state = "running";
  }
  async destroy(id: string): Promise<void> {
    await this.enter("destroy", id);
    const sandbox = this.sandboxes.get(id);
    if (sandbox) sandbox.state = "destroyed";
  }
  async stats(id: string): Promise<SandboxStats> {
    await this.enter("stats", id);
    this.get(id);
    return { ...(this.usage.get(id) ?? { cpuMillisUsed: 1234, memoryBytes: 64 * 1024 * 1024 }), at: "2026-11-25T10:00:00.000Z" };
  }
}

/**
 * Sandboxes as files under `dir` (one JSON file per id). With `holdAfterCreate`, `create` records the
 * sandbox and then never returns: the state of a worker killed right after provisioning.
 */
export class FileSandboxProvider implements SandboxProvider {
  readonly name = "file";
  readonly programs = HOST_PROGRAMS;
  constructor(
    private readonly dir: string,
    private readonly options: { holdAfterCreate?: boolean } = {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private path(id: string): string {
    return join(this.dir, `${id}.json`);
  }

  /** Every create call appends a line here, so a test can count them across processes. */
  get createLog(): string[] {
    const log = join(this.dir, "creates.log");
    return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  }

  sandboxIds(): string[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith(".json"))
      .map((name) => name.slice(0, -".json".length));
  }

  async create(spec: SandboxSpec): Promise<SandboxInfo> {
    writeFileSync(join(this.dir, "creates.log"), `${spec.id} pid=${process.pid}\n`, { flag: "a" });
    // `wx`: a second create of the same id keeps the first sandbox.
    if (!existsSync(this.path(spec.id))) writeFileSync(this.path(spec.id), JSON.stringify({ spec, state: "running" }), { flag: "wx" });
    if (this.options.holdAfterCreate) await new Promise<never>(() => undefined);
    return { id: spec.id, provider: this.name, state: "running" };
  }
  exec(): Promise<ExecResult> {
    notImplemented();
  }
  writeFile(): Promise<void> {
    notImplemented();
  }
  readFile(): Promise<Uint8Array> {
    notImplemented();
  }
  async stop(): Promise<void> {}
  async start(): Promise<void> {}
  async destroy(id: string): Promise<void> {
    rmSync(this.path(id), { force: true });
  }
  async stats(): Promise<SandboxStats> {
    return { cpuMillisUsed: 0, memoryBytes: 0, at: new Date(0).toISOString() };
  }
}
