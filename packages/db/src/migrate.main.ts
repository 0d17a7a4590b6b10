#!/usr/bin/env node
/** `pnpm db:migrate`: apply migrations to DATABASE_URL and exit. */
import { createDatabase } from "./client.js";
import { migrateDatabase } from "./migrate.js";

const url = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/clawea";
const database = createDatabase(url, { max: 1, applicationName: "clawea-migrate" });
try {
  await migrateDatabase(database.pool);
  process.stdout.write(`migrations applied to ${new URL(url).pathname.slice(1)}\n`);
} catch (error) {
  process.stderr.write(`migration failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
