// Test-only: the real platform (`pnpm start`'s devstack: control plane, gateway, data plane, scripted
// model) on a fresh database, free ports and a temporary dev folder, for one test file.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ensurePlatform, type Platform } from "./platform.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export interface TestPlatform extends Platform {
  devDir: string;
  /** The platform's own database, for what no API shows (e.g. per-run usage rows). */
  databaseUrl: string;
  sandboxRoot: string;
  close(): Promise<void>;
}

export async function startTestPlatform(): Promise<TestPlatform> {
  const devDir = mkdtempSync(join(tmpdir(), "clawea-e2e-"));
  const database = `clawea_e2e_${process.pid}_${Date.now()}`;
  const server = (process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres").replace(/\/[^/]*$/, "");
  const [port, gatewayPort, egressPort, modelPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const platform = await ensurePlatform({
    root: ROOT,
    url: `http://127.0.0.1:${port}`,
    devDir,
    env: {
      DATABASE_URL: `${server}/${database}`,
      PORT: String(port),
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_EGRESS_PORT: String(egressPort),
      SCRIPTED_MODEL_PORT: String(modelPort),
      // turbo built every service before this package's tests (they are its devDependencies).
      CLAWEA_START_SKIP_BUILD: "1",
      // Platforms started side by side (turbo runs test files of several packages at once) share one
      // Redis: their queues must not, or one platform's data plane would take the other's jobs.
      QUEUE_PREFIX: database,
      LOG_LEVEL: "warn",
    },
  });
  return {
    ...platform,
    devDir,
    databaseUrl: `${server}/${database}`,
    sandboxRoot: join(devDir, "sandboxes"),
    async close() {
      await platform.stop();
      const admin = new pg.Client({ connectionString: `${server}/postgres` });
      await admin.connect();
      await admin.query(`drop database if exists "${database}" with (force)`);
      await admin.end();
      rmSync(devDir, { recursive: true, force: true });
    },
  };
}
