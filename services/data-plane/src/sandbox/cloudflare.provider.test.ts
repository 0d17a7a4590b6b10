import { spawnSync } from "node:child_process";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridgeServer, type BridgeServer } from "./cloudflare.bridge-server.test-support.js";
import { CloudflareSandboxProvider } from "./cloudflare.provider.js";
import { SandboxError, type SandboxSpec } from "./sandbox.provider.js";

const TOKEN = "bridge-token-for-tests";
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf8");
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SandboxError);
  return err as SandboxError;
}

async function expectCode(promise: Promise<unknown>, code: SandboxError["code"], retryable = false): Promise<void> {
  const err = await failure(promise);
  expect([err.code, err.retryable]).toEqual([code, retryable]);
}

const spec = (id: string, over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  id,
  tenantId: "ten_test",
  runtime: "reference",
  cpuMillis: 500,
  memoryMb: 512,
  diskMb: 1024,
  stateless: false,
  gateway: { modelUrl: "http://gateway.test:8081/v1", egressProxyUrl: "http://gateway.test:8082" },
  env: { FROM_SPEC: "spec" },
  ...over,
});

describe("CloudflareSandboxProvider against a local bridge", () => {
  let root: string;
  let bridge: BridgeServer;
  let provider: CloudflareSandboxProvider;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "clawea-cf-bridge-"));
    bridge = await startBridgeServer({ token: TOKEN, root, keepaliveMs: 50 });
    provider = new CloudflareSandboxProvider({ bridgeUrl: `${bridge.url}/`, token: TOKEN, requestTimeoutMs: 2_000, idleTimeoutMs: 1_000 });
  });

  afterAll(async () => {
    await bridge?.close();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it("creates idempotently by id", async () => {
    const first = await provider.create(spec("agt_a"));
    expect(first).toEqual({ id: "agt_a", provider: "cloudflare", state: "running" });
    await provider.writeFile("agt_a", "kept.txt", bytes("first"));
    expect(await provider.create(spec("agt_a", { env: { OTHER: "1" } }))).toEqual(first);
    expect(text(await provider.readFile("agt_a", "kept.txt"))).toBe("first");
    expect(bridge.requests.filter((r) => r === "PUT /v1/sandboxes/agt_a")).toHaveLength(2);
  });

  it("runs argv in the workspace with the gateway env the caller cannot override, and returns exit codes", async () => {
    const r = await provider.exec("agt_a", ["sh", "-c", 'printf "%s|%s|%s|%s|%s" "$1" "$FROM_SPEC" "$FROM_CALL" "$OPENAI_BASE_URL" "$HTTPS_PROXY"; ls; exit 3', "x", "it's $HOME"], {
      env: { FROM_CALL: "call", OPENAI_BASE_URL: "http://evil.test" },
    });
    expect(r.exitCode).toBe(3);
    expect(r.signal).toBeNull();
    expect(text(r.stdout)).toBe("it's $HOME|spec|call|http://gateway.test:8081/v1|http://gateway.test:8082kept.txt\n");
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    const sub = await provider.writeFile("agt_a", "dir/in-sub.txt", bytes("sub")).then(() => provider.exec("agt_a", ["cat", "in-sub.txt"], { cwd: "dir" }));
    expect(text(sub.stdout)).toBe("sub");
  });

  it("streams output as it arrives, passes stdin, and keeps binary bytes intact", async () => {
    const chunks: Array<[string, string]> = [];
    const r = await provider.exec("agt_a", ["sh", "-c", "cat; echo err >&2; printf '\\377\\000'"], {
      stdin: "hello stdin",
      onOutput: (stream, chunk) => chunks.push([stream, Buffer.from(chunk).toString("latin1")]),
    });
    expect(text(r.stdout.subarray(0, 11))).toBe("hello stdin");
    expect([...r.stdout.subarray(11)]).toEqual([255, 0]);
    expect(text(r.stderr)).toBe("err\n");
    expect(chunks).toContainEqual(["stderr", "err\n"]);
    expect(chunks.filter(([s]) => s === "stdout").map(([, c]) => c).join("")).toBe("hello stdin\xff\x00");

    // Output arrives before the command ends: the first chunk is seen while the command still sleeps.
    let firstAt = 0;
    const started = Date.now();
    await provider.exec("agt_a", ["sh", "-c", "echo early; sleep 1.5; echo late"], { onOutput: () => (firstAt ||= Date.now() - started) });
    expect(firstAt).toBeLessThan(1200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it("kills the command's whole process group on timeout and says SIGKILL", async () => {
    const started = Date.now();
    const r = await provider.exec("agt_a", ["sh", "-c", "sleep 31.75 & sleep 31.75"], { timeoutMs: 300 });
    expect(r.signal).toBe("SIGKILL");
    expect(r.exitCode).toBe(137);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(String(spawnSync("pgrep", ["-f", "sleep 31.75"]).stdout).trim()).toBe("");
  });

  it("keeps a quiet long command alive through keepalives (idle timeout 1 s, command 1.5 s)", async () => {
    const r = await provider.exec("agt_a", ["sh", "-c", "sleep 1.5; echo done"], { timeoutMs: 10_000 });
    expect(text(r.stdout)).toBe("done\n");
  });

  it("round-trips files and refuses paths outside the workspace", async () => {
    const data = new Uint8Array([0, 1, 2, 255, 10, 13]);
    await provider.writeFile("agt_a", "deep/er/file name.bin", data);
    expect(await provider.readFile("agt_a", "deep/er/file name.bin")).toEqual(data);
    await provider.writeFile("agt_a", "deep/er/file name.bin", bytes("shorter"));
    expect(text(await provider.readFile("agt_a", "deep/er/file name.bin"))).toBe("shorter");

    for (const path of ["../escape", "/etc/passwd", "a/../../x", "..", ""]) {
      await expectCode(provider.readFile("agt_a", path), "SANDBOX_PATH_INVALID");
      await expectCode(provider.writeFile("agt_a", path, bytes("x")), "SANDBOX_PATH_INVALID");
    }
    await expectCode(provider.readFile("agt_a", "missing.txt"), "SANDBOX_PATH_INVALID");
    await provider.exec("agt_a", ["sh", "-c", "ln -s /etc/passwd link && ln -s /etc linkdir"]);
    await expectCode(provider.readFile("agt_a", "link"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.readFile("agt_a", "linkdir/passwd"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.writeFile("agt_a", "linkdir/evil", bytes("x")), "SANDBOX_PATH_INVALID");
    await symlink("/", join(root, "agt_a", "workspace", "rootlink"));
    await expectCode(provider.readFile("agt_a", "rootlink/etc/hostname"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.exec("agt_a", ["true"], { cwd: "../.." }), "SANDBOX_PATH_INVALID");
  });

  it("stop kills running commands and keeps the workspace; start wakes; exec on a stopped sandbox is refused", async () => {
    const sleeper = provider.exec("agt_a", ["sh", "-c", "sleep 29.5"], { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await provider.stop("agt_a");
    const killed = await sleeper;
    expect(killed.exitCode).not.toBe(0);
    await expectCode(provider.exec("agt_a", ["true"]), "SANDBOX_UNAVAILABLE");
    await provider.start("agt_a");
    expect(text(await provider.readFile("agt_a", "kept.txt"))).toBe("first");
  });

  it("wipes a stateless sandbox's workspace on stop", async () => {
    await provider.create(spec("agt_stateless", { stateless: true }));
    await provider.exec("agt_stateless", ["sh", "-c", "echo gone > w.txt; mkdir d; echo gone > d/x"]);
    await provider.stop("agt_stateless");
    await provider.start("agt_stateless");
    await expectCode(provider.readFile("agt_stateless", "w.txt"), "SANDBOX_PATH_INVALID");
    const ls = await provider.exec("agt_stateless", ["sh", "-c", "ls -A | wc -w"]);
    expect(text(ls.stdout).trim()).toBe("0");
  });

  it("reports real usage while a command runs", async () => {
    const busy = provider.exec("agt_a", ["node", "-e", "const b = Buffer.alloc(16 << 20, 1); const t = Date.now(); while (Date.now() - t < 800); setTimeout(() => b.length, 600)"]);
    await new Promise((resolve) => setTimeout(resolve, 900));
    const stats = await provider.stats("agt_a");
    expect(stats.cpuMillisUsed).toBeGreaterThan(100);
    expect(stats.memoryBytes).toBeGreaterThan(16 << 20);
    expect(Number.isNaN(Date.parse(stats.at))).toBe(false);
    expect((await busy).exitCode).toBe(0);
  });

  it("destroys idempotently; an unknown sandbox is SANDBOX_NOT_FOUND", async () => {
    await provider.create(spec("agt_gone"));
    await provider.destroy("agt_gone");
    await provider.destroy("agt_gone");
    await provider.destroy("agt_never");
    await expectCode(provider.exec("agt_gone", ["true"]), "SANDBOX_NOT_FOUND");
    await expectCode(provider.stats("agt_gone"), "SANDBOX_NOT_FOUND");
    await expectCode(provider.create(spec("../escape")), "SANDBOX_PATH_INVALID");
  });

  it("a wrong token is a non-retryable failure", async () => {
    const wrong = new CloudflareSandboxProvider({ bridgeUrl: bridge.url, token: "not-the-token" });
    const err = await failure(wrong.create(spec("agt_auth")));
    expect([err.code, err.retryable]).toEqual(["SANDBOX_UNAVAILABLE", false]);
    await expectCode(wrong.exec("agt_a", ["true"]), "SANDBOX_UNAVAILABLE", false);
  });

  it("maps the bridge's answers: 5xx and 429 retryable with their reason code, other 4xx not", async () => {
    bridge.inject({ kind: "status", status: 503, code: "SANDBOX_CREATE_FAILED" });
    await expectCode(provider.create(spec("agt_faults")), "SANDBOX_CREATE_FAILED", true);
    bridge.inject({ kind: "status", status: 500 });
    await expectCode(provider.stats("agt_a"), "SANDBOX_UNAVAILABLE", true);
    bridge.inject({ kind: "status", status: 429 });
    await expectCode(provider.readFile("agt_a", "kept.txt"), "SANDBOX_UNAVAILABLE", true);
    bridge.inject({ kind: "status", status: 502, code: "SANDBOX_EXEC_FAILED" });
    await expectCode(provider.exec("agt_a", ["true"]), "SANDBOX_EXEC_FAILED", true);
    bridge.inject({ kind: "status", status: 422, code: "SANDBOX_CREATE_FAILED" });
    await expectCode(provider.create(spec("agt_faults")), "SANDBOX_CREATE_FAILED", false);
    // After the faults, the same calls go through.
    expect((await provider.create(spec("agt_faults"))).state).toBe("running");
  });

  it("a stalled bridge times out, a cut exec stream and an unreachable bridge are retryable", async () => {
    bridge.inject({ kind: "stall" });
    const started = Date.now();
    await expectCode(provider.stop("agt_a"), "SANDBOX_UNAVAILABLE", true);
    expect(Date.now() - started).toBeLessThan(4_000);

    bridge.inject({ kind: "cut-exec" });
    const seen: string[] = [];
    await expectCode(provider.exec("agt_a", ["sh", "-c", "echo partial; sleep 5"], { onOutput: (_s, c) => seen.push(text(c)) }), "SANDBOX_UNAVAILABLE", true);
    expect(seen).toEqual(["partial\n"]);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = new CloudflareSandboxProvider({ bridgeUrl: `http://127.0.0.1:${port}`, token: TOKEN });
    await expectCode(unreachable.start("agt_a"), "SANDBOX_UNAVAILABLE", true);
  });

  it("a stream that goes silent past the idle timeout is retryable", async () => {
    // A bridge that answers 200 and then never sends a line (no keepalives).
    const silent: Server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/x-ndjson" }).write(""));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const quiet = new CloudflareSandboxProvider({ bridgeUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, token: TOKEN, idleTimeoutMs: 300 });
      const started = Date.now();
      await expectCode(quiet.exec("agt_a", ["true"]), "SANDBOX_UNAVAILABLE", true);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
