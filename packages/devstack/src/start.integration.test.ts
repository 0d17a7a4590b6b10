/** Runs `pnpm start`'s script against the real local PostgreSQL and Redis, on free ports, with a temp keys dir. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, statSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const MAIN = join(ROOT, "packages/devstack/src/main.ts");
const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}

function start(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // Only this test's variables on top of a clean PATH/HOME: no inherited service config or keys.
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (output += c));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (output += c));
  const exited = new Promise<number | null>((done) => child.on("close", (code) => done(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, ms: number, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("pnpm start", () => {
  const dirs: string[] = [];
  const database = `clawea_devstack_test_${process.pid}_${Date.now()}`;
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    const admin = new pg.Client(ADMIN_URL);
    await admin.connect();
    await admin.query(`drop database if exists "${database}"`);
    await admin.end();
  });

  it("says what is missing, without a stack trace, when Redis is not reachable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawea-devstack-"));
    dirs.push(dir);
    const run = start({ CLAWEA_DEV_DIR: dir, REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("Redis at redis://127.0.0.1:");
    expect(run.output()).toContain("is not reachable");
    expect(run.output()).toContain("docker compose up -d postgres redis");
    expect(run.output()).toContain("redis-server");
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it("creates the database and keys, starts all three, answers /readyz, and stops every child on SIGINT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "clawea-devstack-"));
    dirs.push(dir);
    const port = await freePort();
    const run = start({
      CLAWEA_DEV_DIR: dir,
      // The services and @clawea/db are built by turbo before this test (devDependencies, ^build).
      CLAWEA_START_SKIP_BUILD: "1",
      DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
      REDIS_URL: "redis://127.0.0.1:6379/9",
      QUEUE_PREFIX: database,
      SCRIPTED_MODEL_PORT: String(await freePort()),
      PORT: String(port),
      GATEWAY_PORT: String(await freePort()),
      GATEWAY_EGRESS_PORT: String(await freePort()),
    });
    try {
      await waitFor(() => run.output().includes("clawea is up") || run.child.exitCode !== null, 90_000, "clawea is up", run.output);
      expect(run.output()).toContain("clawea is up");
      expect(run.output()).toContain(`created database "${database}"`);
      const keysPath = join(dir, "dev-keys.json");
      expect(statSync(keysPath).mode & 0o777).toBe(0o600);
      const keys = JSON.parse(readFileSync(keysPath, "utf8")) as Record<string, string>;
      expect(Object.keys(keys).sort()).toEqual(["bootstrapKey", "controlPlaneSigningKey", "dataPlaneSigningKey", "gatewaySigningKey", "kek", "logSigningKey"]);
      expect(run.output()).not.toContain(keys.bootstrapKey);

      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);

      const pids = [...run.output().matchAll(/started (control-plane|gateway|data-plane) \(pid (\d+)\)/g)].map((m) => Number(m[2]));
      expect(pids).toHaveLength(3);
      run.child.kill("SIGINT");
      expect(await run.exited).toBe(0);
      expect(pids.filter(alive)).toEqual([]);
      expect(run.output()).toContain("all services stopped");
    } finally {
      if (run.child.exitCode === null) run.child.kill("SIGKILL");
    }
  }, 120_000);
});
