// GATEWAY_WORKERS=2: the real gateway program as a supervising primary with two server processes on
// one port; a worker that dies is replaced, and SIGTERM stops them all.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "@clawea/protocol";
import { createTestDatabase, type TestDatabase } from "@clawea/testkit";

let testDb: TestDatabase;
let primary: ChildProcess;
let port: number;
/** The gateway's own output (its JSON logs), shown if it never comes up. */
let output = "";

/** Two distinct free ports (both held until both are known, so they cannot be the same one twice). */
async function freePorts(): Promise<[number, number]> {
  const servers = [createServer(), createServer()];
  await Promise.all(servers.map((server) => new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve))));
  const ports = servers.map((server) => (server.address() as { port: number }).port) as [number, number];
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** The primary's workers: its child processes running the gateway (tsx also keeps an esbuild child), read from /proc. */
function workersOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid && readFileSync(`/proc/${entry}/cmdline`, "utf8").includes("main.ts");
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until<T>(read: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const healthy = async () => {
  try {
    // A fresh connection each time: one kept alive to a killed worker would only tell of that worker.
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { headers: { connection: "close" }, signal: AbortSignal.timeout(2_000) });
    return res.ok ? true : undefined;
  } catch {
    return undefined;
  }
};

beforeAll(async () => {
  testDb = await createTestDatabase();
  const [modelPort, egressPort] = await freePorts();
  port = modelPort;
  primary = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../main.ts", import.meta.url))], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      DATABASE_URL: testDb.url,
      CLAWEA_GATEWAY_SIGNING_KEY: randomBytes(32).toString("base64url"),
      CLAWEA_CST_ISSUERS: generateKeyPair().did,
      CLAWEA_KEK: randomBytes(32).toString("base64url"),
      // Not port 0: cluster workers share one handle per address and port, so two listeners on port 0 would share one port.
      GATEWAY_PORT: String(port),
      GATEWAY_EGRESS_PORT: String(egressPort),
      GATEWAY_WORKERS: "2",
      LOG_LEVEL: "info",
    },
  });
  for (const stream of [primary.stdout!, primary.stderr!]) {
    stream.on("data", (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-4_000);
    });
  }
  // Three processes load the TypeScript sources through tsx: slow on a machine busy with other suites.
  await until(async () => ((await healthy()) && workersOf(primary.pid!).length === 2 ? true : undefined), 80_000).catch((error: unknown) => {
    throw new Error(`the gateway did not come up with two workers (port ${port}, exit ${primary.exitCode}, workers ${workersOf(primary.pid!).join(", ")}):\n${output}`, { cause: error });
  });
}, 90_000);

afterAll(async () => {
  if (primary.exitCode === null) primary.kill("SIGKILL");
  await testDb.drop();
});

describe("gateway workers", () => {
  it("replaces a worker that dies while the other goes on answering", async () => {
    const [victim, survivor] = workersOf(primary.pid!);
    process.kill(victim!, "SIGKILL");
    // A connection handed to the dying worker may be reset; the survivor answers the retry.
    expect(await until(healthy, 20_000)).toBe(true);
    const replaced = await until(() => {
      const workers = workersOf(primary.pid!);
      return workers.length === 2 && !workers.includes(victim!) ? workers : undefined;
    });
    expect(replaced).toContain(survivor);
    await until(healthy);
  }, 60_000);

  it("stops every worker and exits 0 on SIGTERM", async () => {
    const workers = workersOf(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  }, 30_000);
});
