/**
 * The real OpenClaw (the installed `openclaw` package on the installed Node 24), run by the launcher
 * against the scripted model behind a stand-in gateway that checks the CST header. No sandbox here:
 * the data plane's driver test and the journey's e2e run it in one.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedModel, type ScriptedModel } from "@clawea/reference-agent";
import type { LaunchReport } from "./launch-protocol.js";
import { argsHash } from "./launcher.js";
import { renderOpenclawConfig, toolRulesFor, type SideEffectPermissions } from "./openclaw-config.js";
import { NODE24_BIN, OPENCLAW_ENTRY, runtimeProblem, runtimeVersions } from "./runtime-paths.js";

const LAUNCHER_SOURCE = fileURLToPath(new URL("./launcher.ts", import.meta.url));
const CST = "cst.for-this-run.only";
const WRITE = { path: "notes/openclaw.md", content: "Hello from OpenClaw." };
const DENIED_MODEL = "scripted/denied-1";

interface Seen {
  headers: Record<string, string | string[] | undefined>;
  body: { model?: string; stream?: boolean; stream_options?: { include_usage?: boolean }; tools?: { function?: { name?: string } }[] };
}

/** The gateway's part: X-CST must be the run's token, then the call goes to the scripted model. */
async function startGateway(upstream: string): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      seen.push({ headers: req.headers, body: JSON.parse(raw.toString("utf8") || "{}") as Seen["body"] });
      if (req.headers["x-cst"] !== CST) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { code: "CST_MALFORMED", message: "no CST" } }));
        return;
      }
      const body = JSON.parse(raw.toString("utf8") || "{}") as Seen["body"];
      if (body.model === DENIED_MODEL) {
        // The gateway's denial, as its errorBody shapes it (never a 401/403, which would put the key on cooldown).
        const denial = { type: "error", error: { type: "clawea_error", code: "POLICY_MODEL_DENIED", message: `POLICY_MODEL_DENIED: model ${DENIED_MODEL} is not allowed` }, reason_code: "POLICY_MODEL_DENIED", retryable: false };
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify(denial));
        return;
      }
      const path = `${target.pathname.replace(/\/v1$/, "")}${req.url ?? ""}`;
      const up = httpRequest({ host: target.hostname, port: target.port, path, method: req.method, headers: { "content-type": "application/json" } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      up.end(raw);
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function launch(workspace: string, permissions: SideEffectPermissions, gatewayUrl: string, model = "scripted/scripted-1"): Promise<{ report: LaunchReport; status: number | null; stderr: string }> {
  const rules = toolRulesFor(permissions);
  const config = renderOpenclawConfig({ gatewayBaseUrl: "${CLAWEA_GATEWAY_URL}", cst: "${CLAWEA_CST}", model, toolsProfile: "coding", denyTools: rules.denyTools, execMode: rules.execMode, maxOutputTokens: 4096 });
  const child = spawn(NODE24_BIN, [LAUNCHER_SOURCE, "--entry", OPENCLAW_ENTRY], {
    cwd: workspace,
    env: { PATH: process.env.PATH ?? "", CLAWEA_GATEWAY_URL: gatewayUrl, CLAWEA_CST: CST },
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(JSON.stringify({ config, task: "Write the note, then say what you did.", timeout_seconds: 90, dir: "../run.openclaw" }));
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((done) =>
    child.on("close", (status) => done({ report: JSON.parse(stdout.trim().split("\n").pop() ?? "null") as LaunchReport, status, stderr })),
  );
}

const toolNames = (seen: Seen): string[] => (seen.body.tools ?? []).map((t) => t.function?.name ?? "?").sort();

describe("OpenClaw behind a gateway, run by the launcher", () => {
  let model: ScriptedModel;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let root: string;

  beforeAll(async () => {
    const problem = runtimeProblem();
    if (problem !== null && !problem.includes("not built")) throw new Error(`the OpenClaw runtime is not usable here: ${problem}`);
    model = await startScriptedModel({ script: [{ tool_calls: [{ name: "write", arguments: WRITE }] }, { content: "Wrote notes/openclaw.md." }] });
    gateway = await startGateway(model.url);
    root = mkdtempSync(join(tmpdir(), "openclaw-it-"));
  });

  afterAll(async () => {
    await gateway?.close();
    await model?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("is the pinned OpenClaw on a Node 24 that can run it", () => {
    expect(runtimeVersions().openclaw).toBe("2026.9.6");
    expect(runtimeVersions().node).toMatch(/^24\./);
  });

  it("does one task: streamed model calls carrying only the CST, a file tool call in its workspace, the final answer, fresh state removed", async () => {
    const workspace = join(root, "a", "scratch");
    mkdirSync(workspace, { recursive: true });
    const before = gateway.seen.length;
    const { report, status, stderr } = await launch(workspace, { networkEgress: false, filesystemWrite: true }, gateway.url);
    expect(status, stderr.slice(-3000)).toBe(0);
    expect(report.result).toMatchObject({ ok: true, status: "ok", final: "Wrote notes/openclaw.md.", provider: "clawea", model: "scripted/scripted-1" });
    expect(report.steps).toHaveLength(2);
    expect(report.steps[0]?.tool_calls).toEqual([{ id: "call_1_1", name: "write", args_sha256_b64u: argsHash(WRITE) }]);
    expect(report.steps.every((s) => (s.usage?.input ?? 0) > 0)).toBe(true);
    expect(report.tool_results).toMatchObject([{ tool_call_id: "call_1_1", is_error: false }]);
    expect(readFileSync(join(workspace, "notes/openclaw.md"), "utf8")).toBe(WRITE.content);
    // Nothing but the task's file in the workspace, and the run's private directory is gone.
    expect(readdirSync(workspace)).toEqual(["notes"]);
    expect(existsSync(join(root, "a", "run.openclaw"))).toBe(false);

    const calls = gateway.seen.slice(before);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.headers["x-cst"]).toBe(CST);
      expect(call.headers["authorization"]).toBeUndefined();
      expect(call.body).toMatchObject({ model: "scripted/scripted-1", stream: true, stream_options: { include_usage: true } });
    }
    const tools = toolNames(calls[0]!);
    expect(tools).toEqual(expect.arrayContaining(["read", "write", "edit", "apply_patch"]));
    for (const absent of ["exec", "process", "web_fetch", "web_search", "browser", "message", "sessions_spawn", "image_generate"]) expect(tools).not.toContain(absent);
  });

  it("without filesystem writes in the WPC, the write tools are not offered, and a write the model asks for anyway does not run", async () => {
    const workspace = join(root, "b", "scratch");
    mkdirSync(workspace, { recursive: true });
    const before = gateway.seen.length;
    const { report, status, stderr } = await launch(workspace, { networkEgress: false, filesystemWrite: false }, gateway.url);
    expect(status, stderr.slice(-3000)).toBe(0);
    const tools = toolNames(gateway.seen[before]!);
    expect(tools).toContain("read");
    for (const absent of ["write", "edit", "apply_patch", "exec"]) expect(tools).not.toContain(absent);
    expect(report.tool_results).toMatchObject([{ tool_call_id: "call_1_1", is_error: true }]);
    expect(report.tool_results[0]?.text).toMatch(/not found/i);
    expect(existsSync(join(workspace, "notes"))).toBe(false);
  });

  it("a gateway denial ends the run with exit 1, one request (no retries), and the gateway's reason code in the transcript", async () => {
    const workspace = join(root, "c", "scratch");
    mkdirSync(workspace, { recursive: true });
    const before = gateway.seen.length;
    const { report, status } = await launch(workspace, { networkEgress: false, filesystemWrite: true }, gateway.url, DENIED_MODEL);
    expect(status).toBe(1);
    expect(report.result).toMatchObject({ ok: false, status: "error" });
    expect(report.steps.at(-1)?.error).toMatchObject({ code: "POLICY_MODEL_DENIED", message: expect.stringContaining("POLICY_MODEL_DENIED") });
    expect(gateway.seen.length - before).toBe(1);
  });
});
