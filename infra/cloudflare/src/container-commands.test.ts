/** Runs the shell text the bridge sends into containers for real (dash and bash), against a temporary layout. */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  execEnv,
  execScript,
  gatewayEnv,
  killExecsScript,
  parseStatsOutput,
  PATH_ESCAPES,
  PATH_MISSING,
  pathCheckScript,
  setupScript,
  shellQuote,
  STATS_SCRIPT,
  type Layout,
} from "./container-commands.js";
import { parseSpec } from "./protocol.js";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(shell: string, script: string, cwd?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ["-c", script], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const SHELLS = ["dash", "bash"].filter((shell) => spawnSync(shell, ["-c", "true"]).status === 0);

describe.each(SHELLS)("container scripts under %s", (shell) => {
  let root: string;
  let layout: Layout;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "clawea-cf-"));
    layout = { workspace: join(root, "workspace"), runDir: join(root, "run") };
    expect((await sh(shell, setupScript(layout))).code).toBe(0);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("passes argv through quoting untouched, stdin from a file, and the exit status", async () => {
    const args = ["it's", "$HOME", "a b", "`id`", "\\n", "*", ""];
    const stdinPath = join(layout.runDir, "stdin-1");
    writeFileSync(stdinPath, "from stdin");
    const script = execScript(layout, ["sh", "-c", 'printf "%s|" "$@"; cat; exit 7', "argv0", ...args], { execId: "e1", timeoutMs: 5000, stdinPath });
    const run = await sh(shell, script, layout.workspace);
    expect(run).toEqual({ code: 7, stdout: `${args.join("|")}|from stdin`, stderr: "" });
    expect(existsSync(stdinPath)).toBe(false);
    expect(readdirSync(join(layout.runDir, "exec"))).toEqual([]);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it("reads /dev/null without stdin and kills the whole process group on timeout with 137", async () => {
    // A unique duration, so pgrep finds exactly this test's sleeps.
    const marker = `30.${shell === "dash" ? 1 : 2}${process.pid}`;
    const started = Date.now();
    const run = await sh(shell, execScript(layout, ["sh", "-c", `cat; sleep ${marker} & sleep ${marker}`], { execId: "e2", timeoutMs: 300, stdinPath: null }), layout.workspace);
    expect(run.code).toBe(137);
    expect(run.stderr).toBe("");
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(String(spawnSync("pgrep", ["-f", `sleep ${marker}`]).stdout).trim()).toBe("");
  });

  it("lets stop kill every running exec, however long its timeout", async () => {
    const marker = `30.${shell === "dash" ? 3 : 4}${process.pid}`;
    const running = sh(shell, execScript(layout, ["sh", "-c", `sleep ${marker}`], { execId: "e3", timeoutMs: null, stdinPath: null }), layout.workspace);
    const pidFile = join(layout.runDir, "exec", "e3");
    for (let i = 0; i < 50 && !existsSync(pidFile); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(existsSync(pidFile)).toBe(true);
    expect(String(spawnSync("pgrep", ["-f", `sleep ${marker}`]).stdout).trim()).not.toBe("");
    expect((await sh(shell, killExecsScript(layout))).code).toBe(0);
    expect((await running).code).toBe(137);
    expect(existsSync(pidFile)).toBe(false);
    expect(String(spawnSync("pgrep", ["-f", `sleep ${marker}`]).stdout).trim()).toBe("");
  });

  it("confines file paths: no symlink anywhere, files only, parents created on write", async () => {
    const ws = layout.workspace;
    mkdirSync(join(ws, "dir"), { recursive: true });
    writeFileSync(join(ws, "dir", "f.txt"), "x");
    writeFileSync(join(ws, "plain"), "x");
    symlinkSync("/etc/passwd", join(ws, "link"));
    symlinkSync("/etc", join(ws, "linkdir"));
    symlinkSync(join(ws, "dir"), join(ws, "innerlink"));
    const check = async (segments: string[], mode: "read" | "write") => (await sh(shell, pathCheckScript(layout, segments, mode))).code;
    expect(await check(["dir", "f.txt"], "read")).toBe(0);
    expect(await check(["dir", "missing"], "read")).toBe(PATH_MISSING);
    expect(await check(["dir"], "read")).toBe(PATH_MISSING);
    expect(await check(["link"], "read")).toBe(PATH_ESCAPES);
    expect(await check(["linkdir", "passwd"], "read")).toBe(PATH_ESCAPES);
    expect(await check(["innerlink", "f.txt"], "read")).toBe(PATH_ESCAPES);
    expect(await check(["plain", "x"], "write")).toBe(PATH_ESCAPES);
    expect(await check(["linkdir", "evil"], "write")).toBe(PATH_ESCAPES);
    expect(await check(["dir"], "write")).toBe(PATH_MISSING);
    expect(await check(["new", "deep", "file; rm -rf $HOME"], "write")).toBe(0);
    expect(existsSync(join(ws, "new", "deep"))).toBe(true);
    expect(existsSync(join(ws, "new", "deep", "file; rm -rf $HOME"))).toBe(false);
  });

  it("reports usage as JSON the backend can parse", async () => {
    const run = await sh(shell, STATS_SCRIPT);
    expect(run.code).toBe(0);
    const usage = parseStatsOutput(run.stdout);
    expect(usage?.cpuMillisUsed).toBeGreaterThan(0);
    expect(usage?.memoryBytes).toBeGreaterThan(0);
  });
});

describe("exec environment", () => {
  const spec = parseSpec({
    tenant_id: "ten_1",
    runtime: "reference",
    resources: { cpu_millis: 500, memory_mb: 512, disk_mb: 1024 },
    stateless: false,
    gateway: { model_url: "https://gw.example/v1", egress_proxy_url: "http://proxy.gw.example:8082/" },
    env: { FROM_SPEC: "1", OPENAI_BASE_URL: "https://evil.example" },
  });

  it("points every client at the gateway and keeps the caller from overriding it", () => {
    const env = execEnv({ workspace: "/workspace", runDir: "/run/clawea" }, "agt_1", spec, { FROM_CALL: "2", HTTPS_PROXY: "http://evil.example" });
    expect(env).toMatchObject({
      FROM_SPEC: "1",
      FROM_CALL: "2",
      OPENAI_BASE_URL: "https://gw.example/v1",
      CLAWEA_GATEWAY_URL: "https://gw.example/v1",
      HTTP_PROXY: "http://proxy.gw.example:8082",
      HTTPS_PROXY: "http://proxy.gw.example:8082",
      NO_PROXY: "gw.example",
      CLAWEA_WORKSPACE: "/workspace",
      CLAWEA_SANDBOX_ID: "agt_1",
    });
    expect(env.NODE_EXTRA_CA_CERTS).toBe("/etc/cloudflare/certs/cloudflare-containers-ca.crt");
    const plain = gatewayEnv({ model_url: "http://gw:8081/", egress_proxy_url: "http://gw:8082" });
    expect(plain.OPENAI_BASE_URL).toBe("http://gw:8081");
    expect(plain.NODE_EXTRA_CA_CERTS).toBeUndefined();
  });
});
