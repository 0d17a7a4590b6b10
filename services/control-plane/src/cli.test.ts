// The `clawea` CLI's platform commands, against the real control plane through the SDK.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliIo } from "@clawea/cli";
import { startTestPlatform, type TestPlatform } from "./app.test-support.js";

let platform: TestPlatform;
let env: Record<string, string>;
beforeAll(async () => {
  platform = await startTestPlatform();
  const tenant = await platform.tenant();
  env = { CLAWEA_URL: platform.url, CLAWEA_TOKEN: tenant.adminToken };
});
afterAll(() => platform.close());

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: () => Promise.reject(new Error("unused")),
    writeFile: () => Promise.reject(new Error("unused")),
    now: () => new Date().toISOString(),
    env: (name) => env[name],
  };
  const status = await runCli(argv, io);
  return { status, out: out.join(""), err: err.join("") };
}

describe("clawea agents / fleet", () => {
  it("deploys, lists, reads health and the fleet", async () => {
    const deployed = await cli("agents", "deploy", "--template", "tpl_reference_small", "--name", "from-cli", "--json");
    expect(deployed.status).toBe(0);
    const agent = JSON.parse(deployed.out) as { id: string; status: string };
    expect(agent.status).toBe("provisioning");
    expect((await cli("agents", "list")).out).toContain(agent.id);
    expect((await cli("agents", "health", agent.id)).out).toContain("pending deploy");
    expect((await cli("fleet")).out).toMatch(/^1 agents: 1 provisioning/);
  });

  it("prints the API's reason code and exits 1 when refused", async () => {
    const deployed = JSON.parse((await cli("agents", "deploy", "--template", "tpl_reference_small", "--name", "x", "--json")).out) as { id: string };
    const refused = await cli("agents", "wake", deployed.id);
    expect(refused.status).toBe(1);
    expect(refused.err).toContain("409 ILLEGAL_TRANSITION");
    const missing = await cli("agents", "get", "agt_00000000000000000000000000000000");
    expect(missing.status).toBe(1);
    expect(missing.err).toContain("404 NOT_FOUND");
  });

  it("exits 2 without a URL or key, or when the API is unreachable", async () => {
    const saved = env;
    env = {};
    expect((await cli("fleet")).status).toBe(2);
    env = { CLAWEA_URL: "http://127.0.0.1:1", CLAWEA_TOKEN: "key_x.y" };
    const unreachable = await cli("fleet");
    expect(unreachable.status).toBe(2);
    expect(unreachable.err).toContain("unreachable");
    env = saved;
  });
});
