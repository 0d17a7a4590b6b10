import { describe, expect, it } from "vitest";
import { assertFits, assertSandboxId, BridgeError, parseExecRequest, parseInstanceLimits, parseSpec, workspaceSegments } from "./protocol.js";

function codeOf(fn: () => unknown): { code: string; status: number } | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (!(error instanceof BridgeError)) throw error;
    return { code: error.code, status: error.status };
  }
}

const spec = {
  tenant_id: "ten_1",
  runtime: "reference",
  resources: { cpu_millis: 500, memory_mb: 512, disk_mb: 1024 },
  stateless: true,
  gateway: { model_url: "https://gw.example/v1", egress_proxy_url: "http://gw.example:8082" },
  env: { FOO: "bar" },
};

describe("sandbox ids", () => {
  it("accepts agent ids and refuses what the SDK or a path would not take", () => {
    expect(codeOf(() => assertSandboxId("agt_01HZX3K9"))).toBeNull();
    expect(codeOf(() => assertSandboxId("a".repeat(63)))).toBeNull();
    for (const bad of ["", "a".repeat(64), "-x", "x-", "../x", "a/b", "a.b", "www", "Cloudflare"]) {
      expect(codeOf(() => assertSandboxId(bad))).toEqual({ code: "SANDBOX_PATH_INVALID", status: 400 });
    }
  });
});

describe("workspace paths", () => {
  it("splits relative paths and refuses escapes", () => {
    expect(workspaceSegments("a/./b//c.txt")).toEqual(["a", "b", "c.txt"]);
    expect(workspaceSegments(".", true)).toEqual([]);
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "\\\\host", "a\0b", "", "."]) {
      expect(codeOf(() => workspaceSegments(bad))?.code).toBe("SANDBOX_PATH_INVALID");
    }
  });
});

describe("create spec", () => {
  it("parses a full spec and defaults env", () => {
    expect(parseSpec(spec).gateway.model_url).toBe("https://gw.example/v1");
    expect(parseSpec({ ...spec, env: undefined }).env).toEqual({});
  });

  it("refuses malformed specs with SANDBOX_CREATE_FAILED / 400", () => {
    const bad: unknown[] = [
      null,
      [],
      { ...spec, tenant_id: "" },
      { ...spec, runtime: "docker" },
      { ...spec, stateless: "yes" },
      { ...spec, resources: { ...spec.resources, cpu_millis: 0 } },
      { ...spec, resources: { ...spec.resources, memory_mb: 1.5 } },
      { ...spec, gateway: { ...spec.gateway, model_url: "ftp://gw" } },
      { ...spec, gateway: { model_url: "https://gw" } },
      { ...spec, env: { "BAD-NAME": "x" } },
      { ...spec, env: { OK: 1 } },
    ];
    for (const body of bad) expect(codeOf(() => parseSpec(body))).toEqual({ code: "SANDBOX_CREATE_FAILED", status: 400 });
  });

  it("refuses a spec larger than the container instance type, with a non-retryable status", () => {
    const limits = parseInstanceLimits({ INSTANCE_CPU_MILLIS: "2000", INSTANCE_MEMORY_MB: "8192", INSTANCE_DISK_MB: "16000" });
    expect(codeOf(() => assertFits(parseSpec(spec), limits))).toBeNull();
    const big = parseSpec({ ...spec, resources: { cpu_millis: 4000, memory_mb: 512, disk_mb: 1024 } });
    expect(codeOf(() => assertFits(big, limits))).toEqual({ code: "SANDBOX_CREATE_FAILED", status: 422 });
    expect(codeOf(() => parseInstanceLimits({ INSTANCE_CPU_MILLIS: "2000", INSTANCE_MEMORY_MB: "lots" }))).toEqual({ code: "SANDBOX_UNAVAILABLE", status: 500 });
  });
});

describe("exec request", () => {
  it("parses argv, cwd, env, timeout and base64 stdin", () => {
    const parsed = parseExecRequest({ command: ["sh", "-c", "cat"], cwd: "dir/sub", env: { A: "1" }, timeout_ms: 500, stdin_b64: btoa("hi") });
    expect(parsed).toEqual({ command: ["sh", "-c", "cat"], cwd: ["dir", "sub"], env: { A: "1" }, timeout_ms: 500, stdin: new Uint8Array([104, 105]) });
    expect(parseExecRequest({ command: ["true"] })).toEqual({ command: ["true"], cwd: [], env: {}, timeout_ms: null, stdin: null });
  });

  it("refuses empty or non-string commands, bad timeouts and bad stdin", () => {
    for (const body of [{}, { command: [] }, { command: ["a", 1] }, { command: ["a\0"] }, { command: ["a"], timeout_ms: -1 }, { command: ["a"], timeout_ms: 1e12 }, { command: ["a"], stdin_b64: "%%%" }]) {
      expect(codeOf(() => parseExecRequest(body))).toEqual({ code: "SANDBOX_EXEC_FAILED", status: 400 });
    }
    expect(codeOf(() => parseExecRequest({ command: ["a"], cwd: "../.." }))?.code).toBe("SANDBOX_PATH_INVALID");
  });
});
