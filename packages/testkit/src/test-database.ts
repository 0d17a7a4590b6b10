/**
 * A fresh PostgreSQL database per test file: migrate once into a template named after the
 * migrations' content hash, then `CREATE DATABASE … TEMPLATE` (a file copy, milliseconds).
 * Uses DATABASE_URL's server (default: the local one, trust auth).
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { createDatabase, MIGRATIONS_FOLDER, migrateDatabase } from "@clawea/db";

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/postgres";

function serverUrl(database: string): string {
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

function migrationsHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return hash.digest("hex").slice(0, 16);
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl("postgres") });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

let templateReady: Promise<string> | null = null;

async function ensureTemplate(): Promise<string> {
  const name = `clawea_tpl_${migrationsHash()}`;
  await withAdmin(async (admin) => {
    // Test files in other workers and packages race for the same template: one lock for all.
    await admin.query("select pg_advisory_lock(7304212)");
    try {
      const exists = await admin.query("select 1 from pg_database where datname = $1", [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building_${randomBytes(4).toString("hex")}`;
        await admin.query(`create database "${building}"`);
        const database = createDatabase(serverUrl(building), { max: 1 });
        try {
          await migrateDatabase(database.pool);
        } finally {
          await database.close();
        }
        await admin.query(`alter database "${building}" rename to "${name}"`);
      }
    } finally {
      await admin.query("select pg_advisory_unlock(7304212)");
    }
  });
  return name;
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  templateReady ??= ensureTemplate();
  const template = await templateReady;
  const name = `clawea_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(async (admin) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database "${name}" template "${template}"`);
        return;
      } catch (error) {
        // Another file copying the template at this instant holds it; copies are quick, so wait.
        if (attempt > 50 || !String((error as Error).message).includes("is being accessed by other users")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  return {
    url: serverUrl(name),
    name,
    drop: () => withAdmin(async (admin) => void (await admin.query(`drop database if exists "${name}" with (force)`))),
  };
}
