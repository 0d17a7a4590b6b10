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

/** Two distinct free ports (both held until both are known, so they cannot be the same one twice). */
async function freePorts(): Promise<[number, number]> {
  const servers = [createServer(), createServer()];
  await Promise.all(servers.map((server) => new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve))));
  const ports = servers.map((server) => (server.address() as { port: number }).port) as [number, number];
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** The primary's child processes, read from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid;
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
  let egressPort: number;
  [port, egressPort] = await freePorts();
  primary = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("../main.ts", import.meta.url))], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: testDb.url,
      CLAWEA_GATEWAY_SIGNING_KEY: randomBytes(32).toString("base64url"),
      CLAWEA_CST_ISSUERS: generateKeyPair().did,
      CLAWEA_KEK: randomBytes(32).toString("base64url"),
      GATEWAY_PORT: String(port),
      GATEWAY_EGRESS_PORT: String(egressPort),
      GATEWAY_WORKERS: "2",
      LOG_LEVEL: "warn",
    },
  });
  // Three processes load the TypeScript sources through tsx: slow on a machine busy with other suites.
  await until(async () => ((await healthy()) && childrenOf(primary.pid!).length === 2 ? true : undefined), 80_000);
}, 90_000);

afterAll(async () => {
  if (primary.exitCode === null) primary.kill("SIGKILL");
  await testDb.drop();
});

describe("gateway workers", () => {
  it("replaces a worker that dies while the other goes on answering", async () => {
    const [victim, survivor] = childrenOf(primary.pid!);
    process.kill(victim!, "SIGKILL");
    // A connection handed to the dying worker may be reset; the survivor answers the retry.
    expect(await until(healthy, 5_000)).toBe(true);
    const replaced = await until(() => {
      const children = childrenOf(primary.pid!);
      return children.length === 2 && !children.includes(victim!) ? children : undefined;
    });
    expect(replaced).toContain(survivor);
    await until(healthy);
  }, 30_000);

  it("stops every worker and exits 0 on SIGTERM", async () => {
    const workers = childrenOf(primary.pid!);
    const exited = new Promise<number | null>((resolve) => primary.once("exit", (code) => resolve(code)));
    primary.kill("SIGTERM");
    expect(await exited).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  }, 30_000);
});
