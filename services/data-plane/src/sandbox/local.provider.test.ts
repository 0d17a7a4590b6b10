import { spawn, spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { connect, createServer as createTcpServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalSandboxProvider } from "./local.provider.js";
import { SandboxError, type SandboxSpec } from "./sandbox.provider.js";

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf8");
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

function requireNamespaces(): void {
  if (process.getuid?.() !== 0) throw new Error("local sandbox tests need root (unshare of mount/pid/net namespaces); run as root");
  const probe = spawnSync("unshare", ["--fork", "--pid", "--mount-proc", "--net", "--mount", "true"]);
  if (probe.status !== 0) throw new Error(`local sandbox tests need a working unshare: ${String(probe.stderr)}`);
}

async function expectCode(promise: Promise<unknown>, code: SandboxError["code"]): Promise<void> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SandboxError);
  expect((err as SandboxError).code).toBe(code);
}

/** The pid the sandbox directory records for its running init (the `unshare` holding its namespaces). */
async function initPid(root: string, id: string): Promise<number> {
  return (JSON.parse(await readFile(join(root, id, "init.json"), "utf8")) as { pid: number }).pid;
}

/** Live (not a zombie) per /proc. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  return stat !== null && !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
}

async function childrenOf(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) found.push(Number(entry));
  }
  return found;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A node one-liner run inside the sandbox that prints "ok" or the error code of a TCP connect. */
const probeConnect = (host: string, port: number): string[] => [
  "node",
  "-e",
  `require("net").connect(${port}, "${host}").on("connect", () => { console.log("ok"); process.exit(0); }).on("error", (e) => { console.log(e.code); process.exit(0); })`,
];

describe("LocalSandboxProvider", () => {
  let root: string;
  let provider: LocalSandboxProvider;
  let gateway: Server;
  let gatewayPort: number;
  let hostOnly: ReturnType<typeof createTcpServer>;
  let hostOnlyPort: number;
  const seen: string[] = [];

  const spec = (id: string, over: Partial<SandboxSpec> = {}): SandboxSpec => ({
    id,
    tenantId: "ten_test",
    runtime: "reference",
    cpuMillis: 1000,
    memoryMb: 512,
    diskMb: 256,
    stateless: false,
    gateway: { modelUrl: `http://127.0.0.1:${gatewayPort}/v1`, egressProxyUrl: `http://127.0.0.1:${gatewayPort}` },
    ...over,
  });

  beforeAll(async () => {
    requireNamespaces();
    root = await mkdtemp(join(tmpdir(), "clawea-sbx-"));
    provider = new LocalSandboxProvider({ root, hidePaths: ["/work"] });
    gateway = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.end(`gateway saw ${req.url ?? ""}`);
    });
    await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
    gatewayPort = (gateway.address() as AddressInfo).port;
    hostOnly = createTcpServer((c) => c.on("error", () => undefined).end("host secret"));
    await new Promise<void>((resolve) => hostOnly.listen(0, "127.0.0.1", resolve));
    hostOnlyPort = (hostOnly.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const id of ["sbx-a", "sbx-b", "sbx-stateless", "sbx-misc", "sbx-crash", "sbx-restart"]) await provider?.destroy(id);
    await new Promise((resolve) => gateway?.close(resolve));
    await new Promise((resolve) => hostOnly?.close(resolve));
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it("creates idempotently and runs as nobody with a fresh HOME/TMPDIR and a read-only system", async () => {
    const first = await provider.create(spec("sbx-a"));
    const again = await provider.create(spec("sbx-a"));
    expect(again).toEqual(first);
    expect(first.state).toBe("running");
    const r = await provider.exec("sbx-a", ["sh", "-c", 'id -u; echo "$HOME $TMPDIR $PWD"; touch /etc/x 2>/dev/null || echo ro-etc; touch /usr/x 2>/dev/null || echo ro-usr; touch "$HOME/h" /tmp/t ./w && echo rw-ok; find /work /root -mindepth 1 | wc -l']);
    expect(r.exitCode).toBe(0);
    expect(text(r.stdout).split("\n")).toEqual(["65534", "/home/agent /tmp /home/workspace", "ro-etc", "ro-usr", "rw-ok", "0", ""]);
  });

  it("cannot reach host loopback services nor any other address", async () => {
    // Control: the host listener is reachable from the host itself.
    await new Promise<void>((resolve, reject) => connect(hostOnlyPort, "127.0.0.1").on("connect", function (this: ReturnType<typeof connect>) { this.destroy(); resolve(); }).on("error", reject));
    const local = await provider.exec("sbx-a", probeConnect("127.0.0.1", hostOnlyPort));
    expect(text(local.stdout).trim()).toBe("ECONNREFUSED");
    const pg = await provider.exec("sbx-a", probeConnect("127.0.0.1", 5432));
    expect(text(pg.stdout).trim()).toBe("ECONNREFUSED");
    const started = Date.now();
    const outside = await provider.exec("sbx-a", probeConnect("10.255.255.1", 80));
    expect(text(outside.stdout).trim()).toBe("ENETUNREACH");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("reaches the gateway through the bridged model URL and through HTTP_PROXY", async () => {
    await provider.writeFile("sbx-a", "probe.js", bytes(`
      const http = require("node:http");
      fetch(process.env.OPENAI_BASE_URL + "/models").then((r) => r.text()).then((body) => {
        console.log(body);
        const proxy = new URL(process.env.HTTP_PROXY);
        http.get({ host: proxy.hostname, port: proxy.port, path: "http://example.com/x", headers: { host: "example.com" } }, (res) => {
          let data = ""; res.on("data", (c) => (data += c)); res.on("end", () => console.log(data));
        });
      });
    `));
    const r = await provider.exec("sbx-a", ["node", "probe.js"]);
    expect(text(r.stderr)).toBe("");
    expect(text(r.stdout).trim().split("\n")).toEqual(["gateway saw /v1/models", "gateway saw http://example.com/x"]);
    const curl = await provider.exec("sbx-a", ["curl", "-sS", "http://example.org/y"]);
    expect(text(curl.stdout)).toBe("gateway saw http://example.org/y");
  });

  it("cannot see another sandbox's files or processes", async () => {
    await provider.create(spec("sbx-b"));
    await provider.writeFile("sbx-a", "secret.txt", bytes("a-only"));
    const sleeper = provider.exec("sbx-a", ["sh", "-c", "sleep 29.5"], { timeoutMs: 20_000 });
    const r = await provider.exec("sbx-b", ["sh", "-c", `ls /proc | grep -c '^[0-9]'; ps -e -o args= | grep -c '[s]leep 29.5'; cat ${join(root, "sbx-a", "workspace", "secret.txt")} 2>&1 | grep -c a-only; ls ${root} 2>/dev/null | wc -l`]);
    expect(text(r.stdout).split("\n").map(Number).slice(0, 4)).toEqual([expect.any(Number), 0, 0, 0]);
    expect(Number(text(r.stdout).split("\n")[0])).toBeLessThan(8);
    await provider.stop("sbx-a");
    expect((await sleeper).signal).toBe("SIGKILL");
    await provider.start("sbx-a");
  });

  it("keeps the workspace across stop/start, wipes it when stateless", async () => {
    await provider.writeFile("sbx-a", "dir/keep.txt", bytes("kept"));
    await provider.stop("sbx-a");
    await expectCode(provider.exec("sbx-a", ["true"]), "SANDBOX_UNAVAILABLE");
    await provider.start("sbx-a");
    expect(text(await provider.readFile("sbx-a", "dir/keep.txt"))).toBe("kept");
    const cat = await provider.exec("sbx-a", ["cat", "keep.txt"], { cwd: "dir" });
    expect(text(cat.stdout)).toBe("kept");

    await provider.create(spec("sbx-stateless", { stateless: true }));
    await provider.exec("sbx-stateless", ["sh", "-c", "echo gone > w.txt; echo gone > $HOME/h.txt"]);
    await provider.stop("sbx-stateless");
    await provider.start("sbx-stateless");
    await expectCode(provider.readFile("sbx-stateless", "w.txt"), "SANDBOX_PATH_INVALID");
    const ls = await provider.exec("sbx-stateless", ["sh", "-c", "ls -A . | wc -w; ls -A $HOME | wc -w"]);
    expect(text(ls.stdout)).toBe("0\n0\n");
  });

  it("rejects path escapes: .., absolute paths and symlinks planted by the sandbox", async () => {
    await expectCode(provider.readFile("sbx-a", "../spec.json"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.readFile("sbx-a", "/etc/passwd"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.writeFile("sbx-a", "a/../../x", bytes("x")), "SANDBOX_PATH_INVALID");
    await provider.exec("sbx-a", ["sh", "-c", "ln -s /etc/passwd link && ln -s /etc linkdir"]);
    await expectCode(provider.readFile("sbx-a", "link"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.readFile("sbx-a", "linkdir/passwd"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.writeFile("sbx-a", "linkdir/evil", bytes("x")), "SANDBOX_PATH_INVALID");
    await symlink(join(root, "sbx-b"), join(root, "sbx-a", "workspace", "hostlink"));
    await expectCode(provider.readFile("sbx-a", "hostlink/spec.json"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.exec("sbx-a", ["true"], { cwd: "../.." }), "SANDBOX_PATH_INVALID");
  });

  it("streams output, passes stdin, and kills the whole process tree on timeout", async () => {
    const chunks: string[] = [];
    const r = await provider.exec("sbx-a", ["sh", "-c", "cat; echo err >&2"], { stdin: "hello", onOutput: (s, c) => chunks.push(`${s}:${text(c)}`) });
    expect(text(r.stdout)).toBe("hello");
    expect(chunks).toContain("stdout:hello");
    expect(chunks).toContain("stderr:err\n");

    const started = Date.now();
    const killed = await provider.exec("sbx-a", ["sh", "-c", "sleep 31.25 & sleep 31.25"], { timeoutMs: 300 });
    expect(killed.signal).toBe("SIGKILL");
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const left = spawnSync("pgrep", ["-f", "sleep 31.25"]);
    expect(String(left.stdout).trim()).toBe("");
  });

  it("enforces limits with cgroups here and reports real usage", async () => {
    expect(await provider.limits()).toBe("cgroup-v1");
    await provider.create(spec("sbx-misc", { memoryMb: 64 }));
    const groups = await provider.exec("sbx-misc", ["cat", "/proc/self/cgroup"]);
    for (const controller of ["cpu", "cpuacct", "memory", "pids"]) expect(text(groups.stdout)).toMatch(new RegExp(`^\\d+:${controller}:/clawea-sbx-misc$`, "m"));
    // rlimits: no core dumps, 4096 descriptors, files up to diskMb (512-byte blocks).
    expect(text((await provider.exec("sbx-misc", ["sh", "-c", "ulimit -c; ulimit -n; ulimit -f"])).stdout)).toBe(`0\n4096\n${256 * 2048}\n`);
    const busy = provider.exec("sbx-misc", ["node", "-e", "const b = Buffer.alloc(16 << 20, 1); const t = Date.now(); while (Date.now() - t < 400); setTimeout(() => b.length, 800)"]);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const during = await provider.stats("sbx-misc");
    expect(during.cpuMillisUsed).toBeGreaterThan(100);
    expect(during.memoryBytes).toBeGreaterThan(16 << 20);
    expect((await busy).exitCode).toBe(0);
    const oom = await provider.exec("sbx-misc", ["node", "-e", "const a = []; for (;;) a.push(Buffer.alloc(8 << 20, 1));"], { timeoutMs: 20_000 });
    expect(oom.exitCode).not.toBe(0);
  });

  it("falls back to rlimits without writable cgroups and still reports usage from /proc", async () => {
    const fallback = new LocalSandboxProvider({ root, cgroupRoot: join(root, "no-cgroups") });
    expect(await fallback.limits()).toBe("rlimit");
    await fallback.create(spec("sbx-rlimit"));
    try {
      // RLIMIT_DATA (KiB) stands in for the memory limit.
      expect(text((await fallback.exec("sbx-rlimit", ["sh", "-c", "ulimit -d"])).stdout)).toBe(`${512 * 1024}\n`);
      const busy = fallback.exec("sbx-rlimit", ["node", "-e", "const t = Date.now(); while (Date.now() - t < 600);"]);
      await new Promise((resolve) => setTimeout(resolve, 450));
      const s = await fallback.stats("sbx-rlimit");
      expect(s.cpuMillisUsed).toBeGreaterThan(0);
      expect(s.memoryBytes).toBeGreaterThan(0);
      await busy;
    } finally {
      await fallback.destroy("sbx-rlimit");
    }
  });

  it("hands the caller's environment to the command only, byte for byte, never to the privileged processes before it", async () => {
    const value = `a "b" $c \`d\` \\e\nf'g`;
    const r = await provider.exec("sbx-a", ["sh", "-c", 'printf %s "$WEIRD"'], { env: { WEIRD: value, LD_PRELOAD: "/nonexistent/preload.so" } });
    expect(text(r.stdout)).toBe(value);
    // The loader complains once per process that got LD_PRELOAD: here only the command's own sh.
    expect(text(r.stderr).match(/LD_PRELOAD/g)).toHaveLength(1);
    await expectCode(provider.exec("sbx-a", ["true"], { env: { "BAD-NAME": "x" } }), "SANDBOX_EXEC_FAILED");
  });

  it("keeps one init per sandbox that execs join, each exec in a PID namespace of its own", async () => {
    const pid = await initPid(root, "sbx-a");
    const first = await provider.exec("sbx-a", ["sh", "-c", "echo $$; hostname; ls /proc | grep -c '^[0-9]'"]);
    // The command runs as the child of the exec's PID 1 (the prelude).
    expect(text(first.stdout).split("\n").slice(0, 2)).toEqual(["2", "sandbox"]);
    // The prelude (PID 1), sh, ls and grep: nothing of the init, the relay or other execs.
    expect(Number(text(first.stdout).split("\n")[2])).toBeLessThanOrEqual(4);
    await provider.exec("sbx-a", ["true"]);
    expect(await initPid(root, "sbx-a")).toBe(pid);
    expect(await running(pid)).toBe(true);
  });

  it("reports a crashed init as a retryable SANDBOX_NOT_FOUND until start brings up a new one", async () => {
    await provider.create(spec("sbx-crash"));
    await provider.writeFile("sbx-crash", "kept.txt", bytes("kept"));
    const pid = await initPid(root, "sbx-crash");
    // The gateway relay dies (the init's only child): the init ends with it, and so does the sandbox.
    const [pid1] = await childrenOf(pid);
    const [relay] = await childrenOf(pid1!);
    process.kill(relay!, "SIGKILL");
    await eventually(async () => !(await running(pid)), "the init is gone");
    const err = await provider.exec("sbx-crash", ["true"]).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(SandboxError);
    expect([(err as SandboxError).code, (err as SandboxError).retryable]).toEqual(["SANDBOX_NOT_FOUND", true]);
    await expectCode(provider.stats("sbx-crash"), "SANDBOX_NOT_FOUND");

    await provider.start("sbx-crash");
    expect(await initPid(root, "sbx-crash")).not.toBe(pid);
    expect(text((await provider.exec("sbx-crash", ["cat", "kept.txt"])).stdout)).toBe("kept");
    expect((await provider.stats("sbx-crash")).memoryBytes).toBeGreaterThan(0);
  });

  it("lets another data-plane process use a running init rather than start a second one", async () => {
    const pid = await initPid(root, "sbx-a");
    const other = new LocalSandboxProvider({ root, hidePaths: ["/work"] });
    const r = await other.exec("sbx-a", ["sh", "-c", 'echo "$CLAWEA_SANDBOX_ID"; cat secret.txt']);
    expect(text(r.stdout)).toBe("sbx-a\na-only");
    expect(await initPid(root, "sbx-a")).toBe(pid);
  });

  it("dies with its data plane, execs included, and the next data plane starts it again on first use", async () => {
    const mark = "37.75";
    // node with tsx's loader (not the tsx CLI, which would run the data plane in a grandchild the kill misses).
    const tsxLoader = new URL("../../../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;
    const dataPlane = spawn(process.execPath, ["--import", tsxLoader, fileURLToPath(new URL("./local.restart.test-support.ts", import.meta.url))], {
      env: { ...process.env, SANDBOX_ROOT: root, SANDBOX_SPEC: JSON.stringify(spec("sbx-restart")), EXEC_MARK: mark },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const exited = new Promise((resolve) => dataPlane.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      dataPlane.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
      dataPlane.once("exit", () => reject(new Error("the data-plane process exited before it was ready")));
    });
    const pid = await initPid(root, "sbx-restart");
    expect(await running(pid)).toBe(true);
    dataPlane.kill("SIGKILL");
    await exited;
    await eventually(async () => !(await running(pid)) && String(spawnSync("pgrep", ["-f", `sleep ${mark}`]).stdout).trim() === "", "the init and its exec are gone");

    const next = new LocalSandboxProvider({ root, hidePaths: ["/work"] });
    try {
      await next.writeFile("sbx-restart", "note.txt", bytes("still here"));
      const r = await next.exec("sbx-restart", ["sh", "-c", 'cat note.txt; curl -sS "$OPENAI_BASE_URL/after-restart"']);
      expect(text(r.stdout)).toBe("still heregateway saw /v1/after-restart");
      expect(await initPid(root, "sbx-restart")).not.toBe(pid);
    } finally {
      await next.destroy("sbx-restart");
    }
  });

  it("destroys idempotently and reports unknown sandboxes", async () => {
    await provider.destroy("sbx-b");
    await provider.destroy("sbx-b");
    await provider.destroy("never-created");
    await expectCode(provider.exec("sbx-b", ["true"]), "SANDBOX_NOT_FOUND");
    await expectCode(provider.create(spec("../escape")), "SANDBOX_PATH_INVALID");
  });
});
