import { describe, expect, it } from "vitest";
import pg from "pg";
import { createTestDatabase } from "./test-database.js";

describe("createTestDatabase", () => {
  it("gives each caller its own migrated database, and drops it", async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    expect(a.name).not.toBe(b.name);
    const client = new pg.Client({ connectionString: a.url });
    await client.connect();
    const templates = await client.query("select count(*)::int as n from templates where tenant_id is null");
    expect(templates.rows[0].n).toBeGreaterThan(0);
    await client.query("insert into tenants (id, name) values ('ten_x', 'x')");
    await client.end();
    const other = new pg.Client({ connectionString: b.url });
    await other.connect();
    expect((await other.query("select count(*)::int as n from tenants")).rows[0].n).toBe(0);
    await other.end();
    await a.drop();
    await b.drop();
    const admin = new pg.Client({ connectionString: a.url.replace(a.name, "postgres") });
    await admin.connect();
    expect((await admin.query("select 1 from pg_database where datname = $1", [a.name])).rowCount).toBe(0);
    await admin.end();
  });
});
