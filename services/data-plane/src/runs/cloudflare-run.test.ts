// The steps of a run that happen inside a sandbox (scratch copy, the reference agent, the diff, apply),
// on the `cloudflare` provider over the bridge protocol, with commands written for the sandbox image:
// the stand-in bridge runs this host's Node and agent where the image has its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_ENTRY, startScriptedModel, type ScriptedModel } from "@clawea/reference-agent";
import { startBridgeServer, type BridgeServer } from "../sandbox/cloudflare.bridge-server.test-support.js";
import { CLOUDFLARE_IMAGE_PROGRAMS, CloudflareSandboxProvider } from "../sandbox/cloudflare.provider.js";
import { runAgent, type AgentRunInput } from "./agent-runner.js";
import { OPENCLAW_DRIVER_CODES } from "./openclaw.driver.js";
import { diffManifests, scratchDir, workspace } from "./workspace-tool.js";

const TOKEN = "bridge-token-for-tests";
const SANDBOX = "agt_cloudflare_run";
const root = mkdtempSync(join(tmpdir(), "cf-run-"));
let bridge: BridgeServer;
let model: ScriptedModel;
let provider: CloudflareSandboxProvider;

beforeAll(async () => {
  model = await startScriptedModel();
  bridge = await startBridgeServer({
    token: TOKEN,
    root,
    image: { [CLOUDFLARE_IMAGE_PROGRAMS.node]: process.execPath, [CLOUDFLARE_IMAGE_PROGRAMS.referenceAgent]: AGENT_ENTRY },
  });
  provider = new CloudflareSandboxProvider({ bridgeUrl: bridge.url, token: TOKEN });
  await provider.create({
    id: SANDBOX,
    tenantId: "ten_cf",
    runtime: "reference",
    cpuMillis: 500,
    memoryMb: 512,
    diskMb: 1024,
    stateless: false,
    // The scripted model stands where the gateway's model API would be.
    gateway: { modelUrl: model.url, egressProxyUrl: "http://127.0.0.1:9" },
  });
});

afterAll(async () => {
  await provider.destroy(SANDBOX);
  await bridge.close();
  await model.close();
  rmSync(root, { recursive: true, force: true });
});

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");
const agentInput = (scratch: string, over: Partial<AgentRunInput> = {}): AgentRunInput => ({
  sandboxId: SANDBOX,
  runtime: "reference",
  scratch,
  task: "write notes.txt:from the agent\nfinish: done",
  model: "openai/scripted",
  phase: "plan",
  cst: "cst-for-tests",
  timeoutMs: 30_000,
  ...over,
});

describe("a run's sandbox steps on the cloudflare provider", () => {
  it("runs the image's agent on a scratch copy; only the diff, then apply, brings its change to the workspace", async () => {
    expect(provider.programs).toEqual(CLOUDFLARE_IMAGE_PROGRAMS);
    await provider.writeFile(SANDBOX, "README.md", Buffer.from("hello"));
    const scratch = scratchDir("run_cf_1", "plan");
    await workspace.prepare(provider, SANDBOX, scratch);

    const result = await runAgent(provider, agentInput(scratch));
    expect(result.result).toMatchObject({ status: "completed" });

    const [before, after] = await Promise.all([workspace.manifest(provider, SANDBOX, "."), workspace.manifest(provider, SANDBOX, scratch)]);
    const changes = diffManifests(before, after);
    expect(changes).toEqual([expect.objectContaining({ path: "notes.txt", change: "added" })]);
    await expect(provider.readFile(SANDBOX, "notes.txt")).rejects.toThrow();

    await workspace.apply(provider, SANDBOX, scratch, changes);
    await workspace.cleanup(provider, SANDBOX, scratch);
    expect(text(await provider.readFile(SANDBOX, "notes.txt"))).toBe("from the agent");
    expect((await workspace.manifest(provider, SANDBOX, ".")).map((file) => file.path)).toEqual(["README.md", "notes.txt"]);
  });

  it("refuses an OpenClaw agent: this image has no OpenClaw", async () => {
    const result = await runAgent(provider, agentInput(scratchDir("run_cf_2", "plan"), { runtime: "openclaw" }));
    expect(result.result).toMatchObject({ status: "failed", reason_code: OPENCLAW_DRIVER_CODES.unavailable });
    expect(result.result?.summary).toMatch(/cloudflare provider's sandboxes have no OpenClaw/);
  });
});
