/** Reachability of PostgreSQL (creating the database when only it is missing) and Redis. */
import pg from "pg";
import { Redis } from "ioredis";
import { classify, type Failure } from "./diagnose.js";

const TIMEOUT_MS = 3_000;

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Returns the database it created, if any. */
export async function checkPostgres(url: string): Promise<{ failure: Failure | null; created: string | null }> {
  const fail = (error: unknown) => ({ failure: { dependency: "postgres" as const, url, ...classify(error) }, created: null });
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: TIMEOUT_MS });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return { failure: null, created: null };
  } catch (error) {
    // 3D000 invalid_catalog_name: the server is there, the database is not; create it.
    if ((error as { code?: string }).code !== "3D000") return fail(error);
  } finally {
    await client.end().catch(() => undefined);
  }
  const target = new URL(url);
  const database = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const adminClient = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: TIMEOUT_MS });
  adminClient.on("error", () => undefined);
  try {
    await adminClient.connect();
    await adminClient.query(`create database ${quoteIdent(database)}`);
    return { failure: null, created: database };
  } catch (error) {
    // 42P04 duplicate_database: someone else created it meanwhile.
    if ((error as { code?: string }).code === "42P04") return { failure: null, created: null };
    const { kind, detail } = classify(error);
    return { failure: { dependency: "postgres", url, kind, detail: `database "${database}" is missing and could not be created: ${detail}` }, created: null };
  } finally {
    await adminClient.end().catch(() => undefined);
  }
}

export async function checkRedis(url: string): Promise<Failure | null> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: TIMEOUT_MS, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return { dependency: "redis", url, ...classify(error) };
  } finally {
    redis.disconnect();
  }
}
