import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { agents, createDatabase, type Database } from "@clawea/db";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";
import { LocalSandboxProvider } from "../sandbox/local.provider.js";
import { SandboxError } from "../sandbox/sandbox.provider.js";
import { createAgentLifecycleHandlers, type AgentJobHandlers } from "../workers/agent-lifecycle.handlers.js";
import { GATEWAY, actionId, insertAgent, insertTenant, payloadFor, silentLogger } from "../workers/fixtures.test-support.js";

const ctx = { jobId: "job", attempt: 1, finalAttempt: true };
const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text));

let testDb: TestDatabase;
let database: Database;
let root: string;
let provider: LocalSandboxProvider;
let handlers: AgentJobHandlers;
const deployed: string[] = [];

async function row(agentId: string) {
  const [found] = await database.db.select().from(agents).where(eq(agents.id, agentId));
  return found!;
}

async function deploy(stateless: boolean): Promise<string> {
  const { agentId, actionId: deployAction } = await insertAgent(database.db, { stateless });
  deployed.push(agentId);
  expect(await handlers["agent.deploy"](payloadFor("agent.deploy", agentId, deployAction), ctx)).toEqual({ outcome: "done", status: "running" });
  return agentId;
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error("local sandbox tests need root (unshare of mount/pid/net namespaces); run as root");
  const probe = spawnSync("unshare", ["--fork", "--pid", "--mount-proc", "--net", "--mount", "true"]);
  if (probe.status !== 0) throw new Error(`local sandbox tests need a working unshare: ${String(probe.stderr)}`);
  testDb = await createTestDatabase();
  database = createDatabase(testDb.url, { max: 4 });
  await insertTenant(database.db);
  root = await mkdtemp(join(tmpdir(), "clawea-health-"));
  provider = new LocalSandboxProvider({ root, hidePaths: ["/work"] });
  handlers = createAgentLifecycleHandlers({ db: database.db, provider, now: () => new Date(), gateway: GATEWAY, logger: silentLogger });
});

afterAll(async () => {
  for (const id of deployed) await provider?.destroy(id);
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  await database?.close();
  await testDb?.drop();
});

describe("health on the local provider", () => {
  it("restarts a sandbox destroyed behind the worker's back, and the agent runs commands again", async () => {
    const agentId = await deploy(false);
    expect((await provider.exec(agentId, ["true"])).exitCode).toBe(0);

    // Another process (here: another provider on the same root) tears the sandbox down: directory and cgroups gone.
    await new LocalSandboxProvider({ root }).destroy(agentId);
    expect(await handlers["agent.health"](payloadFor("agent.health", agentId, "hlt_local_1"), ctx)).toEqual({ outcome: "done", status: "running", health: "restarted" });

    expect((await provider.exec(agentId, ["true"])).exitCode).toBe(0);
    // The local provider still held the sandbox in memory; its stats failed reading the vanished cgroup.
    expect(await row(agentId)).toMatchObject({ status: "running", restartCount: 1, failureCount: 1, consecutiveRestartFailures: 0, lastFailureCode: "DATA_PLANE_INTERNAL" });
    expect(await handlers["agent.health"](payloadFor("agent.health", agentId, "hlt_local_2"), ctx)).toEqual({ outcome: "done", status: "running", health: "sampled" });
  });

  it.each([
    { stateless: false, kept: true },
    { stateless: true, kept: false },
  ])("sleeps an idle agent (stateless: $stateless) like agent.sleep: stopped, workspace kept: $kept", async ({ stateless, kept }) => {
    const agentId = await deploy(stateless);
    await provider.writeFile(agentId, "notes.txt", bytes("remember me"));
    await database.db.update(agents).set({ lastActiveAt: new Date(Date.now() - 601_000), sleepAfterSeconds: 600 }).where(eq(agents.id, agentId));

    expect(await handlers["agent.health"](payloadFor("agent.health", agentId, `hlt_idle_${stateless}`), ctx)).toEqual({ outcome: "done", status: "sleeping", health: "slept" });
    const refused = await provider.exec(agentId, ["true"]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SandboxError);
    expect((refused as SandboxError).code).toBe("SANDBOX_UNAVAILABLE");

    // The control plane's wake, carried out by the worker.
    const wake = actionId();
    await database.db.update(agents).set({ pendingAction: "wake", pendingActionId: wake, pendingActionAt: new Date() }).where(eq(agents.id, agentId));
    expect(await handlers["agent.wake"](payloadFor("agent.wake", agentId, wake), ctx)).toEqual({ outcome: "done", status: "running" });
    const read = await provider.readFile(agentId, "notes.txt").then((data) => Buffer.from(data).toString("utf8"), () => null);
    expect(read).toBe(kept ? "remember me" : null);
  });
});
