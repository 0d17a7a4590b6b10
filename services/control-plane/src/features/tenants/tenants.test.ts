import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrap } from "@clawea/sdk";
import { raw, reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";

let platform: TestPlatform;
let clock = new Date();
beforeAll(async () => {
  platform = await startTestPlatform({ now: () => clock });
});
afterAll(() => platform.close());


describe("tenants", () => {
  it("the bootstrap key creates a tenant with a working admin key, shown once", async () => {
    const created = unwrap(await platform.platform.POST("/v1/tenants", { body: { name: "Acme" } }));
    expect(created.tenant.id).toMatch(/^ten_[0-9a-f]{32}$/);
    expect(created.admin_key.api_key.roles).toEqual(["admin"]);
    const admin = platform.client(created.admin_key.token);
    expect(unwrap(await admin.GET("/v1/tenant")).name).toBe("Acme");
    const listed = unwrap(await admin.GET("/v1/api-keys", { params: { query: { limit: 50 } } }));
    expect(JSON.stringify(listed)).not.toContain(created.admin_key.token.split(".")[1]);
    const stored = await platform.database.pool.query("select secret_hash from api_keys where id = $1", [created.admin_key.api_key.id]);
    expect(stored.rows[0].secret_hash).not.toContain(created.admin_key.token.split(".")[1]);
  });

  it("only the bootstrap key creates tenants", async () => {
    const { adminToken } = await platform.tenant();
    expect(await reason(platform.client(adminToken).POST("/v1/tenants", { body: { name: "x" } }).then(unwrap))).toBe("401 API_KEY_INVALID");
    expect((await raw(platform.url, "POST", "/v1/tenants", { body: JSON.stringify({ name: "x" }) })).body).toMatchObject({ reason_code: "AUTH_REQUIRED", status: 401 });
  });
});

describe("API keys", () => {
  it("carry roles that routes check", async () => {
    const { admin } = await platform.tenant();
    const auditor = await platform.keyWith(admin, ["auditor"]);
    expect(unwrap(await auditor.GET("/v1/tenant")).id).toMatch(/^ten_/);
    expect(await reason(auditor.POST("/v1/api-keys", { body: { name: "x", roles: ["admin"] } }).then(unwrap))).toBe("403 ROLE_NOT_PERMITTED");
    expect(await reason(auditor.GET("/v1/api-keys", { params: { query: { limit: 10 } } }).then(unwrap))).toBe("403 ROLE_NOT_PERMITTED");
    const security = await platform.keyWith(admin, ["security"]);
    expect(unwrap(await security.GET("/v1/api-keys", { params: { query: { limit: 10 } } })).items.length).toBeGreaterThan(1);
  });

  it("stop working when revoked or expired", async () => {
    const { admin } = await platform.tenant();
    const created = unwrap(await admin.POST("/v1/api-keys", { body: { name: "short", roles: ["operator"], expires_at: new Date(clock.getTime() + 60_000).toISOString() } }));
    const key = platform.client(created.token);
    expect(unwrap(await key.GET("/v1/tenant")).id).toMatch(/^ten_/);
    clock = new Date(clock.getTime() + 120_000);
    expect(await reason(key.GET("/v1/tenant").then(unwrap))).toBe("401 API_KEY_EXPIRED");
    const other = unwrap(await admin.POST("/v1/api-keys", { body: { name: "soon revoked", roles: ["operator"] } }));
    const revoked = unwrap(await admin.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: other.api_key.id } } }));
    expect(revoked.revoked_at).not.toBeNull();
    expect(await reason(platform.client(other.token).GET("/v1/tenant").then(unwrap))).toBe("401 API_KEY_REVOKED");
    expect(await reason(platform.client(`${other.api_key.id}.wrong-secret`).GET("/v1/tenant").then(unwrap))).toBe("401 API_KEY_INVALID");
    expect(await reason(platform.client("garbage").GET("/v1/tenant").then(unwrap))).toBe("401 API_KEY_INVALID");
  });

  it("page with a cursor", async () => {
    const { admin } = await platform.tenant();
    for (let i = 0; i < 4; i++) unwrap(await admin.POST("/v1/api-keys", { body: { name: `k${i}`, roles: ["developer"] } }));
    const first = unwrap(await admin.GET("/v1/api-keys", { params: { query: { limit: 2 } } }));
    expect(first.items).toHaveLength(2);
    const second = unwrap(await admin.GET("/v1/api-keys", { params: { query: { limit: 2, cursor: first.next_cursor! } } }));
    const third = unwrap(await admin.GET("/v1/api-keys", { params: { query: { limit: 2, cursor: second.next_cursor! } } }));
    const ids = [...first.items, ...second.items, ...third.items].map((k) => k.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.next_cursor).toBeNull();
  });

  it("are invisible across tenants: 404, never the other tenant's data", async () => {
    const a = await platform.tenant("a");
    const b = await platform.tenant("b");
    const aKey = unwrap(await a.admin.POST("/v1/api-keys", { body: { name: "mine", roles: ["developer"] } }));
    expect(await reason(b.admin.GET("/v1/api-keys/{key_id}", { params: { path: { key_id: aKey.api_key.id } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(b.admin.DELETE("/v1/api-keys/{key_id}", { params: { path: { key_id: aKey.api_key.id } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(unwrap(await platform.client(aKey.token).GET("/v1/tenant")).id).toBe(a.id);
    const bList = unwrap(await b.admin.GET("/v1/api-keys", { params: { query: { limit: 200 } } }));
    expect(bList.items.map((k) => k.id)).not.toContain(aKey.api_key.id);
  });
});

describe("bad input", () => {
  it.each([
    ["wrong type", JSON.stringify({ name: 5, roles: ["admin"] })],
    ["unknown field", JSON.stringify({ name: "x", roles: ["admin"], superuser: true })],
    ["unknown role", JSON.stringify({ name: "x", roles: ["root"] })],
    ["no roles", JSON.stringify({ name: "x", roles: [] })],
    ["bad JSON", "{ name: "],
    ["expiry in the past", JSON.stringify({ name: "x", roles: ["admin"], expires_at: "2000-01-01T00:00:00Z" })],
  ])("%s is answered 400 VALIDATION_FAILED and writes nothing", async (_name, body) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "POST", "/v1/api-keys", { token: adminToken, body });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ reason_code: "VALIDATION_FAILED" });
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const count = await platform.database.pool.query("select count(*)::int as n from api_keys where tenant_id = $1", [id]);
    expect(count.rows[0].n).toBe(1);
  });

  it("oversized bodies are 413, malformed ids 400, unknown routes 404", async () => {
    const { adminToken } = await platform.tenant();
    const huge = JSON.stringify({ name: "x".repeat(70 * 1024), roles: ["admin"] });
    expect((await raw(platform.url, "POST", "/v1/api-keys", { token: adminToken, body: huge })).body).toMatchObject({ reason_code: "BODY_TOO_LARGE" });
    expect((await raw(platform.url, "GET", "/v1/api-keys/not-an-id", { token: adminToken })).body).toMatchObject({ reason_code: "VALIDATION_FAILED" });
    expect((await raw(platform.url, "GET", "/v1/nothing-here", { token: adminToken })).body).toMatchObject({ reason_code: "NOT_FOUND" });
    expect((await raw(platform.url, "POST", "/v1/api-keys", { token: adminToken, body: "x", headers: { "content-type": "text/plain" } })).body).toMatchObject({
      reason_code: "UNSUPPORTED_MEDIA_TYPE",
    });
  });
});

describe("Idempotency-Key", () => {
  it("replays the first answer, refuses another body, and creates once", async () => {
    const { admin, adminToken, id } = await platform.tenant();
    const headers = { "idempotency-key": "create-ops-key-0001" };
    const body = JSON.stringify({ name: "ops", roles: ["operator"] });
    const first = await raw(platform.url, "POST", "/v1/api-keys", { token: adminToken, body, headers });
    const again = await raw(platform.url, "POST", "/v1/api-keys", { token: adminToken, body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotency-replayed")).toBe("true");
    const other = await raw(platform.url, "POST", "/v1/api-keys", { token: adminToken, body: JSON.stringify({ name: "other", roles: ["operator"] }), headers });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ reason_code: "IDEMPOTENCY_KEY_REUSED" });
    const count = await platform.database.pool.query("select count(*)::int as n from api_keys where tenant_id = $1 and name = 'ops'", [id]);
    expect(count.rows[0].n).toBe(1);
    expect(admin).toBeDefined();
  });
});

describe("service endpoints", () => {
  it("healthz, readyz and the OpenAPI document answer without a key", async () => {
    expect((await raw(platform.url, "GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await raw(platform.url, "GET", "/readyz")).body).toMatchObject({ status: "ready", checks: { database: true, redis: true } });
    const doc = await raw(platform.url, "GET", "/openapi.json");
    expect(doc.body).toMatchObject({ openapi: "3.1.0" });
    expect(Object.keys((doc.body as { paths: object }).paths)).toContain("/v1/api-keys");
  });
});
