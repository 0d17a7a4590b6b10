/** Applies the committed SQL migrations, then brings the built-in templates up to date. */
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import type pg from "pg";
import { BUILTIN_TEMPLATES } from "./builtin-templates.js";
import * as schema from "./schema/index.js";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../migrations", import.meta.url));

// Several services may start at once and each migrates in dev: one session-level lock serialises them.
const MIGRATION_LOCK = 7_304_211;

export async function migrateDatabase(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    for (const template of BUILTIN_TEMPLATES) {
      const { id: _id, createdAt: _createdAt, ...changes } = template;
      await db.insert(schema.templates).values(template).onConflictDoUpdate({ target: schema.templates.id, set: changes });
    }
  } finally {
    await client.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
