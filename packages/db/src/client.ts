/** One pg pool per process, wrapped by Drizzle; repositories take an `Executor` (the db or a transaction). */
import { drizzle, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import * as schema from "./schema/index.js";

export type Db = NodePgDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Executor = Db | Tx;

export interface Database {
  db: Db;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(connectionString: string, options: { max?: number; applicationName?: string } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10, application_name: options.applicationName ?? "clawea" });
  // An idle client's socket error must not crash the process; the pool replaces the client.
  pool.on("error", () => undefined);
  const db = drizzle(pool, { schema });
  return { db, pool, close: () => pool.end() };
}

/**
 * The pool under a Db, for the few hot statements run outside Drizzle's builder: named prepared
 * statements (parsed and planned once per connection) with array parameters, rows read as arrays.
 */
export function poolOf(db: Db): pg.Pool {
  return (db as Db & { $client: pg.Pool }).$client;
}
