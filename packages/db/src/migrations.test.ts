// Migrations applied in order to a database that already holds data, as an upgrade meets them.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "./migrate.js";

const server = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
const name = `clawea_mig_${randomBytes(6).toString("hex")}`;
let admin: pg.Client;
let db: pg.Client;

/** Each statement of a migration file, as drizzle's migrator splits it. */
function statements(file: string): string[] {
  return readFileSync(join(MIGRATIONS_FOLDER, file), "utf8")
    .split("--> statement-breakpoint")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

async function apply(files: string[]): Promise<void> {
  for (const file of files) for (const statement of statements(file)) await db.query(statement);
}

beforeAll(async () => {
  admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  db = new pg.Client({ connectionString: url.toString() });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await admin?.query(`drop database if exists ${name}`);
  await admin?.end();
});

describe("migrations on a database with rows", () => {
  it("0007 renders the API and health JSON of agents that existed before it, and of every later write", async () => {
    const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).sort();
    const at = files.findIndex((f) => f.startsWith("0007_"));
    await apply(files.slice(0, at));
    await db.query(`insert into tenants (id, name) values ('ten_x', 'x')`);
    await db.query(`insert into templates (id, name, runtime, model, cpu_millis, memory_mb, disk_mb, sleep_after_seconds, stateless)
      values ('tpl_x', 'x', 'reference', 'm', 1, 1, 1, 1, true)`);
    await db.query(`insert into agents (id, tenant_id, template_id, name, status, did, signing_key_sealed, runtime, model,
        cpu_millis, memory_mb, disk_mb, sleep_after_seconds, stateless, created_at, updated_at)
      values ('agt_1', 'ten_x', 'tpl_x', 'before "0007"', 'running', 'did:key:z1', 's', 'reference', 'm', 1, 2, 3, 4, false,
        '2026-12-01T00:00:00.1234Z', '2026-12-02T00:00:00Z')`);
    await apply(files.slice(at));
    const read = async () => (await db.query<{ api_json: string; health_json: string }>("select api_json, health_json from agents where id = 'agt_1'")).rows[0]!;
    const before = await read();
    expect(JSON.parse(before.api_json)).toEqual({
      id: "agt_1",
      name: 'before "0007"',
      template_id: "tpl_x",
      status: "running",
      pending_action: null,
      did: "did:key:z1",
      policy_hash: null,
      runtime: "reference",
      model: "m",
      resources: { cpu_millis: 1, memory_mb: 2, disk_mb: 3 },
      sleep_after_seconds: 4,
      stateless: false,
      secret_refs: [],
      config: {},
      created_at: "2026-12-01T00:00:00.123Z",
      updated_at: "2026-12-02T00:00:00.000Z",
    });
    expect(JSON.parse(before.health_json)).toMatchObject({ agent_id: "agt_1", status: "running", restart_count: 0, last_active_at: null });
    // A write by any plane re-renders; a value written into the columns themselves is replaced.
    await db.query(`update agents set status = 'sleeping', cpu_usage_millis = 2.5, api_json = 'forged' where id = 'agt_1'`);
    const after = await read();
    expect(JSON.parse(after.api_json)).toMatchObject({ status: "sleeping" });
    expect(JSON.parse(after.health_json)).toMatchObject({ status: "sleeping", cpu_usage_millis: 2.5 });
  });
});
