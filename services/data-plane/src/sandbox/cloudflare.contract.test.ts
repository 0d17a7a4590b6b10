/**
 * The SandboxProvider contract, run against both real adapters: `local` (namespaces on this host,
 * needs root) and `cloudflare` (over HTTP, against the local stand-in for the bridge Worker). The
 * expectations are the ones the workers and runs rely on, nothing adapter-specific.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridgeServer } from "./cloudflare.bridge-server.test-support.js";
import { CloudflareSandboxProvider } from "./cloudflare.provider.js";
import { LocalSandboxProvider } from "./local.provider.js";
import { SandboxError, type SandboxProvider, type SandboxSpec } from "./sandbox.provider.js";

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString("utf8");
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

async function expectCode(promise: Promise<unknown>, code: SandboxError["code"]): Promise<void> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(SandboxError);
  expect((err as SandboxError).code).toBe(code);
}

interface Harness {
  provider: SandboxProvider;
  close(): Promise<void>;
}

const ADAPTERS: Array<[string, (root: string) => Promise<Harness>]> = [
  [
    "local",
    async (root) => {
      if (process.getuid?.() !== 0) throw new Error("the local adapter's contract run needs root (unshare of mount/pid/net namespaces)");
      if (spawnSync("unshare", ["--fork", "--pid", "--mount-proc", "--net", "--mount", "true"]).status !== 0) throw new Error("the local adapter needs a working unshare");
      return { provider: new LocalSandboxProvider({ root, hidePaths: ["/work"] }), close: async () => undefined };
    },
  ],
  [
    "cloudflare",
    async (root) => {
      const bridge = await startBridgeServer({ token: "contract-token", root });
      return { provider: new CloudflareSandboxProvider({ bridgeUrl: bridge.url, token: "contract-token" }), close: () => bridge.close() };
    },
  ],
];

describe.each(ADAPTERS)("SandboxProvider contract: %s", (_name, start) => {
  let root: string;
  let harness: Harness;
  let provider: SandboxProvider;
  const ids = ["ct-a", "ct-stateless", "ct-gone"];

  const spec = (id: string, over: Partial<SandboxSpec> = {}): SandboxSpec => ({
    id,
    tenantId: "ten_contract",
    runtime: "reference",
    cpuMillis: 500,
    memoryMb: 512,
    diskMb: 512,
    stateless: false,
    gateway: { modelUrl: "http://127.0.0.1:9/v1", egressProxyUrl: "http://127.0.0.1:9" },
    ...over,
  });

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "clawea-contract-"));
    harness = await start(root);
    provider = harness.provider;
  });

  afterAll(async () => {
    for (const id of ids) await provider?.destroy(id).catch(() => undefined);
    await harness?.close();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  });

  it("creates by id, idempotently, running", async () => {
    const first = await provider.create(spec("ct-a"));
    expect(first).toMatchObject({ id: "ct-a", state: "running", provider: provider.name });
    expect(await provider.create(spec("ct-a"))).toEqual(first);
  });

  it("runs argv with stdin, streams both outputs, returns the exit code", async () => {
    const seen: string[] = [];
    const r = await provider.exec("ct-a", ["sh", "-c", "cat; echo err >&2; exit 4"], { stdin: "in put", onOutput: (s, c) => seen.push(`${s}:${text(c)}`) });
    expect([r.exitCode, r.signal, text(r.stdout), text(r.stderr)]).toEqual([4, null, "in put", "err\n"]);
    expect(seen).toContain("stderr:err\n");
    expect(seen.filter((s) => s.startsWith("stdout:")).join("")).toBe("stdout:in put");
  });

  it("offers the gateway as the only egress, whatever the caller's env says", async () => {
    const r = await provider.exec("ct-a", ["sh", "-c", 'echo "$OPENAI_BASE_URL|$HTTP_PROXY|$MINE"'], { env: { OPENAI_BASE_URL: "http://evil.test", MINE: "kept" } });
    const [model, proxy, mine] = text(r.stdout).trim().split("|");
    expect(model).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(proxy).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mine).toBe("kept");
  });

  it("runs in a workspace subdirectory and moves bytes in and out unchanged", async () => {
    const data = new Uint8Array([0, 255, 10, 1]);
    await provider.writeFile("ct-a", "d/e/blob.bin", data);
    expect(await provider.readFile("ct-a", "d/e/blob.bin")).toEqual(data);
    const r = await provider.exec("ct-a", ["sh", "-c", "wc -c < blob.bin"], { cwd: "d/e" });
    expect(text(r.stdout).trim()).toBe("4");
  });

  it("refuses paths outside the workspace and symlinks the sandbox planted", async () => {
    await expectCode(provider.readFile("ct-a", "../x"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.writeFile("ct-a", "/etc/x", bytes("x")), "SANDBOX_PATH_INVALID");
    await expectCode(provider.readFile("ct-a", "nothing-here"), "SANDBOX_PATH_INVALID");
    await provider.exec("ct-a", ["ln", "-s", "/etc/passwd", "pw"]);
    await expectCode(provider.readFile("ct-a", "pw"), "SANDBOX_PATH_INVALID");
    await expectCode(provider.exec("ct-a", ["true"], { cwd: "../.." }), "SANDBOX_PATH_INVALID");
  });

  it("kills a command at its timeout and says SIGKILL", async () => {
    const started = Date.now();
    const r = await provider.exec("ct-a", ["sh", "-c", "sleep 30"], { timeoutMs: 300 });
    expect(r.signal).toBe("SIGKILL");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("sleeps and wakes keeping the workspace; a stopped sandbox runs nothing", async () => {
    await provider.writeFile("ct-a", "keep.txt", bytes("kept"));
    await provider.stop("ct-a");
    await expectCode(provider.exec("ct-a", ["true"]), "SANDBOX_UNAVAILABLE");
    await provider.start("ct-a");
    expect(text(await provider.readFile("ct-a", "keep.txt"))).toBe("kept");
  });

  it("keeps nothing of a stateless workspace across a sleep", async () => {
    await provider.create(spec("ct-stateless", { stateless: true }));
    await provider.writeFile("ct-stateless", "w.txt", bytes("gone"));
    await provider.stop("ct-stateless");
    await provider.start("ct-stateless");
    await expectCode(provider.readFile("ct-stateless", "w.txt"), "SANDBOX_PATH_INVALID");
  });

  it("reports usage", async () => {
    const stats = await provider.stats("ct-a");
    expect(stats.cpuMillisUsed).toBeGreaterThanOrEqual(0);
    expect(stats.memoryBytes).toBeGreaterThanOrEqual(0);
    expect(Number.isNaN(Date.parse(stats.at))).toBe(false);
  });

  it("destroys idempotently; then the sandbox is not found", async () => {
    await provider.create(spec("ct-gone"));
    await provider.destroy("ct-gone");
    await provider.destroy("ct-gone");
    await expectCode(provider.exec("ct-gone", ["true"]), "SANDBOX_NOT_FOUND");
  });
});
