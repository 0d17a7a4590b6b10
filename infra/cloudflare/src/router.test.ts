import { describe, expect, it } from "vitest";
import { BridgeError, type ExecRequestWire, type SandboxSpecWire, type SandboxState } from "./protocol.js";
import { createBridge, type BridgeBackend, type ExecEvent } from "./router.js";

const TOKEN = "t0ken";
const encoder = new TextEncoder();

/** Records calls; exec replays scripted events (a `null` entry pauses until released). */
class FakeBackend implements BridgeBackend {
  readonly calls: string[] = [];
  readonly sandboxes = new Map<string, { spec: SandboxSpecWire; state: SandboxState }>();
  readonly files = new Map<string, Uint8Array>();
  script: Array<ExecEvent | Error | "pause"> = [];
  lastExec: ExecRequestWire | null = null;
  release: () => void = () => undefined;

  private get(id: string) {
    const sandbox = this.sandboxes.get(id);
    if (sandbox === undefined) throw new BridgeError("SANDBOX_NOT_FOUND", 404, "no such sandbox");
    return sandbox;
  }
  async create(id: string, spec: SandboxSpecWire) {
    this.calls.push(`create ${id}`);
    const created = !this.sandboxes.has(id);
    if (created) this.sandboxes.set(id, { spec, state: "running" });
    return { state: "running" as const, created };
  }
  async exec(id: string, request: ExecRequestWire): Promise<AsyncIterable<ExecEvent>> {
    this.calls.push(`exec ${id}`);
    if (this.get(id).state !== "running") throw new BridgeError("SANDBOX_UNAVAILABLE", 409, "stopped");
    this.lastExec = request;
    const script = this.script;
    const paused = new Promise<void>((resolve) => (this.release = resolve));
    return (async function* () {
      for (const step of script) {
        if (step === "pause") await paused;
        else if (step instanceof Error) throw step;
        else yield step;
      }
    })();
  }
  async writeFile(id: string, segments: readonly string[], data: Uint8Array) {
    this.get(id);
    this.files.set(`${id}:${segments.join("/")}`, data);
  }
  async readFile(id: string, segments: readonly string[]) {
    this.get(id);
    const data = this.files.get(`${id}:${segments.join("/")}`);
    if (data === undefined) throw new BridgeError("SANDBOX_PATH_INVALID", 404, "no such file");
    return data;
  }
  async stop(id: string) {
    this.get(id).state = "stopped";
  }
  async start(id: string) {
    this.get(id).state = "running";
  }
  async destroy(id: string) {
    this.calls.push(`destroy ${id}`);
    this.sandboxes.delete(id);
  }
  async stats(id: string) {
    this.get(id);
    return { cpu_millis_used: 12, memory_bytes: 34, at: "2026-01-01T00:00:00.000Z" };
  }
}

const spec = {
  tenant_id: "ten_1",
  runtime: "reference",
  resources: { cpu_millis: 500, memory_mb: 512, disk_mb: 1024 },
  stateless: false,
  gateway: { model_url: "https://gw.example/v1", egress_proxy_url: "https://gw.example:8443" },
};

function setup(token = TOKEN, keepaliveMs = 10_000) {
  const backend = new FakeBackend();
  const bridge = createBridge({ backend, token, keepaliveMs });
  const call = (method: string, path: string, body?: unknown, auth = `Bearer ${TOKEN}`): Promise<Response> => {
    const init: RequestInit = { method, headers: { authorization: auth } };
    if (body instanceof Uint8Array) init.body = body;
    else if (body !== undefined) init.body = JSON.stringify(body);
    return bridge(new Request(`https://bridge.example${path}`, init));
  };
  return { backend, call };
}

async function reason(response: Response): Promise<string> {
  return ((await response.json()) as { reason_code: string }).reason_code;
}

async function lines(response: Response): Promise<unknown[]> {
  return (await response.text()).split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as unknown);
}

describe("bridge authentication", () => {
  it("answers 401 SANDBOX_UNAVAILABLE to a missing or wrong token and never reaches the backend", async () => {
    const { backend, call } = setup();
    for (const auth of ["", "Bearer wrong", `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const response = await call("PUT", "/v1/sandboxes/agt_1", spec, auth);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ reason_code: "SANDBOX_UNAVAILABLE" });
    }
    expect(backend.calls).toEqual([]);
  });

  it("refuses everyone when BRIDGE_TOKEN is not set", async () => {
    for (const token of [undefined, ""]) {
      const bridge = createBridge({ backend: new FakeBackend(), token });
      for (const auth of ["Bearer ", "Bearer undefined"]) {
        const response = await bridge(new Request("https://bridge.example/v1/sandboxes/agt_1/stats", { headers: { authorization: auth } }));
        expect(response.status).toBe(401);
      }
    }
  });
});

describe("bridge routes", () => {
  it("creates idempotently: 201 then 200 with the same body", async () => {
    const { call } = setup();
    const first = await call("PUT", "/v1/sandboxes/agt_1", spec);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ id: "agt_1", provider: "cloudflare", state: "running" });
    const again = await call("PUT", "/v1/sandboxes/agt_1", spec);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: "agt_1", provider: "cloudflare", state: "running" });
  });

  it("validates before touching the backend: bad id, bad JSON, bad spec", async () => {
    const { backend, call } = setup();
    const badId = await call("PUT", "/v1/sandboxes/..%2Fx", spec);
    expect([badId.status, await reason(badId)]).toEqual([400, "SANDBOX_PATH_INVALID"]);
    const badJson = await call("PUT", "/v1/sandboxes/agt_1", encoder.encode("{"));
    expect([badJson.status, await reason(badJson)]).toEqual([400, "SANDBOX_CREATE_FAILED"]);
    const badSpec = await call("PUT", "/v1/sandboxes/agt_1", { ...spec, stateless: 1 });
    expect([badSpec.status, await reason(badSpec)]).toEqual([400, "SANDBOX_CREATE_FAILED"]);
    const badExec = await call("POST", "/v1/sandboxes/agt_1/exec", { command: [] });
    expect([badExec.status, await reason(badExec)]).toEqual([400, "SANDBOX_EXEC_FAILED"]);
    expect(backend.calls).toEqual([]);
  });

  it("streams exec output as NDJSON and ends with the exit status", async () => {
    const { backend, call } = setup();
    await call("PUT", "/v1/sandboxes/agt_1", spec);
    backend.script = [
      { type: "output", stream: "stdout", data: encoder.encode("hello") },
      { type: "output", stream: "stderr", data: new Uint8Array([0, 255]) },
      { type: "exit", exitCode: 3, signal: null, durationMs: 12.6 },
    ];
    const response = await call("POST", "/v1/sandboxes/agt_1/exec", { command: ["sh", "-c", "x"], cwd: "sub", timeout_ms: 1000, stdin_b64: btoa("in") });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-ndjson");
    expect(await lines(response)).toEqual([
      { stream: "stdout", data_b64: btoa("hello") },
      { stream: "stderr", data_b64: "AP8=" },
      { exit_code: 3, signal: null, duration_ms: 13 },
    ]);
    expect(backend.lastExec).toMatchObject({ cwd: ["sub"], timeout_ms: 1000, stdin: encoder.encode("in") });
  });

  it("sends keepalive lines while a command is quiet", async () => {
    const { backend, call } = setup(TOKEN, 20);
    await call("PUT", "/v1/sandboxes/agt_1", spec);
    backend.script = ["pause", { type: "exit", exitCode: 0, signal: null, durationMs: 1 }];
    const response = await call("POST", "/v1/sandboxes/agt_1/exec", { command: ["sleep", "1"] });
    setTimeout(() => backend.release(), 120);
    const got = await lines(response);
    expect(got.filter((l) => JSON.stringify(l) === '{"keepalive":true}').length).toBeGreaterThanOrEqual(2);
    expect(got.at(-1)).toEqual({ exit_code: 0, signal: null, duration_ms: 1 });
  });

  it("reports a failure after the stream started as a final error line with retryability", async () => {
    const { backend, call } = setup();
    await call("PUT", "/v1/sandboxes/agt_1", spec);
    backend.script = [{ type: "output", stream: "stdout", data: encoder.encode("x") }, new BridgeError("SANDBOX_EXEC_FAILED", 502, "container went away")];
    expect((await lines(await call("POST", "/v1/sandboxes/agt_1/exec", { command: ["true"] }))).at(-1)).toEqual({
      reason_code: "SANDBOX_EXEC_FAILED",
      detail: "container went away",
      retryable: true,
    });
    backend.script = [];
    expect((await lines(await call("POST", "/v1/sandboxes/agt_1/exec", { command: ["true"] }))).at(-1)).toMatchObject({ reason_code: "SANDBOX_EXEC_FAILED", retryable: true });
  });

  it("answers backend errors before the stream as JSON with their status", async () => {
    const { call } = setup();
    const missing = await call("POST", "/v1/sandboxes/agt_none/exec", { command: ["true"] });
    expect([missing.status, await reason(missing)]).toEqual([404, "SANDBOX_NOT_FOUND"]);
    await call("PUT", "/v1/sandboxes/agt_1", spec);
    expect((await call("POST", "/v1/sandboxes/agt_1/stop")).status).toBe(204);
    const stopped = await call("POST", "/v1/sandboxes/agt_1/exec", { command: ["true"] });
    expect([stopped.status, await reason(stopped)]).toEqual([409, "SANDBOX_UNAVAILABLE"]);
    expect((await call("POST", "/v1/sandboxes/agt_1/start")).status).toBe(204);
  });

  it("moves file bytes both ways and decodes the percent-encoded path once", async () => {
    const { backend, call } = setup();
    await call("PUT", "/v1/sandboxes/agt_1", spec);
    const bytes = new Uint8Array([0, 1, 2, 250]);
    expect((await call("PUT", `/v1/sandboxes/agt_1/files/${encodeURIComponent("dir/a b.bin")}`, bytes)).status).toBe(204);
    expect(backend.files.has("agt_1:dir/a b.bin")).toBe(true);
    const read = await call("GET", "/v1/sandboxes/agt_1/files/dir/a%20b.bin");
    expect(read.status).toBe(200);
    expect(new Uint8Array(await read.arrayBuffer())).toEqual(bytes);
    for (const path of [encodeURIComponent("../x"), encodeURIComponent("/etc/passwd"), "", "%E0%A4%A"]) {
      const response = await call("GET", `/v1/sandboxes/agt_1/files/${path}`);
      expect([response.status, await reason(response)]).toEqual([400, "SANDBOX_PATH_INVALID"]);
    }
  });

  it("serves stats and destroys idempotently", async () => {
    const { call } = setup();
    await call("PUT", "/v1/sandboxes/agt_1", spec);
    expect(await (await call("GET", "/v1/sandboxes/agt_1/stats")).json()).toEqual({ cpu_millis_used: 12, memory_bytes: 34, at: "2026-01-01T00:00:00.000Z" });
    expect((await call("DELETE", "/v1/sandboxes/agt_1")).status).toBe(204);
    expect((await call("DELETE", "/v1/sandboxes/agt_1")).status).toBe(204);
  });

  it("answers unknown routes and methods without a sandbox reason", async () => {
    const { call } = setup();
    expect((await call("GET", "/v2/anything")).status).toBe(404);
    expect((await call("GET", "/v1/sandboxes/agt_1/exec")).status).toBe(405);
    expect((await call("POST", "/v1/sandboxes/agt_1")).status).toBe(405);
    expect((await call("GET", "/v1/sandboxes/agt_1/stats/extra")).status).toBe(404);
  });
});
