import { Redis } from "ioredis";
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyringFrom, openSecret, SealError } from "@clawea/db";
import { unwrap, type ClaweaClient } from "@clawea/sdk";
import { buildApp } from "../../app.js";
import { raw, reason, startTestPlatform, type RawResponse, type TestPlatform } from "../../app.test-support.js";

let platform: TestPlatform;
let clock = new Date("2025-04-01T12:00:00.000Z");
beforeAll(async () => {
  platform = await startTestPlatform({ now: () => clock });
});
afterAll(() => platform.close());


async function secretCount(tenantId: string): Promise<number> {
  const result = await platform.database.pool.query<{ n: number }>("select count(*)::int as n from secrets where tenant_id = $1", [tenantId]);
  return result.rows[0]!.n;
}

function put(client: ClaweaClient, name: string, value: string, kind: "provider_key" | "gateway_token" | "integration_token" = "provider_key") {
  return client.PUT("/v1/secrets/{name}", { params: { path: { name } }, body: { value, kind } });
}

describe("secrets", () => {
  it("are created (201) and replaced (200), answering metadata only, and open to exactly their value", async () => {
    const { admin, id } = await platform.tenant();
    const created = await put(admin, "openai.prod", "sk-live-first-value");
    expect(created.response.status).toBe(201);
    expect(unwrap(created)).toEqual({
      name: "openai.prod",
      kind: "provider_key",
      created_at: clock.toISOString(),
      updated_at: clock.toISOString(),
      updated_by_key_id: expect.stringMatching(/^key_/),
    });

    const createdAt = clock.toISOString();
    clock = new Date(clock.getTime() + 60_000);
    const replaced = await put(admin, "openai.prod", "sk-live-second-value", "gateway_token");
    expect(replaced.response.status).toBe(200);
    expect(unwrap(replaced)).toMatchObject({ kind: "gateway_token", created_at: createdAt, updated_at: clock.toISOString() });

    const stored = await platform.database.pool.query("select sealed from secrets where tenant_id = $1", [id]);
    expect(stored.rows[0].sealed).toMatch(/^v1\.1\./);
    expect(stored.rows[0].sealed).not.toContain("sk-live");
    expect(await openSecret(platform.database.db, platform.keyring, id, "openai.prod")).toEqual({ name: "openai.prod", kind: "gateway_token", value: "sk-live-second-value" });
    expect(await openSecret(platform.database.db, platform.keyring, id, "missing")).toBeNull();

    const deleted = unwrap(await admin.DELETE("/v1/secrets/{name}", { params: { path: { name: "openai.prod" } } }));
    expect(deleted).toMatchObject({ name: "openai.prod", kind: "gateway_token" });
    expect(await reason(admin.DELETE("/v1/secrets/{name}", { params: { path: { name: "openai.prod" } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await openSecret(platform.database.db, platform.keyring, id, "openai.prod")).toBeNull();
    expect(await secretCount(id)).toBe(0);
  });

  it("open only under their own tenant, name and key: a sealed value copied elsewhere does not open", async () => {
    const { admin, id } = await platform.tenant();
    unwrap(await put(admin, "anthropic", "sk-ant-value"));
    unwrap(await put(admin, "github", "ghp-value", "integration_token"));
    const pool = platform.database.pool;
    await pool.query("update secrets set sealed = (select sealed from secrets where tenant_id = $1 and name = 'anthropic') where tenant_id = $1 and name = 'github'", [id]);
    await expect(openSecret(platform.database.db, platform.keyring, id, "github")).rejects.toBeInstanceOf(SealError);
    expect((await openSecret(platform.database.db, platform.keyring, id, "anthropic"))?.value).toBe("sk-ant-value");
    const otherKeyring = keyringFrom(Buffer.alloc(32, 7).toString("base64url"));
    await expect(openSecret(platform.database.db, otherKeyring, id, "anthropic")).rejects.toBeInstanceOf(SealError);
  });

  it("list metadata by name with a cursor, never a value", async () => {
    const { admin, adminToken } = await platform.tenant();
    const names = ["a-key", "b.key", "c_key", "d0", "zz"];
    for (const name of [...names].reverse()) unwrap(await put(admin, name, `value-of-${name}`));
    const first = unwrap(await admin.GET("/v1/secrets", { params: { query: { limit: 2 } } }));
    const second = unwrap(await admin.GET("/v1/secrets", { params: { query: { limit: 2, cursor: first.next_cursor! } } }));
    const third = unwrap(await admin.GET("/v1/secrets", { params: { query: { limit: 2, cursor: second.next_cursor! } } }));
    expect([...first.items, ...second.items, ...third.items].map((s) => s.name)).toEqual(names);
    expect(third.next_cursor).toBeNull();
    expect(Object.keys(first.items[0]!).sort()).toEqual(["created_at", "kind", "name", "updated_at", "updated_by_key_id"]);
    const listed = await raw(platform.url, "GET", "/v1/secrets?limit=200", { token: adminToken });
    expect(JSON.stringify(listed.body)).not.toContain("value-of-");
  });

  it("never show their value in any response or log line", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    const app = await buildApp({
      db: platform.database.db,
      keyring: platform.keyring,
      bootstrapKeyHash: createHash("sha256").update(platform.bootstrapKey).digest(),
      signer: platform.signer,
      redis: new Redis("redis://127.0.0.1:1", { lazyConnect: true }),
      jobsWritten: () => undefined,
      readiness: async () => ({}),
      logger: pino({ level: "trace" }, sink),
      bodyLimitBytes: 64 * 1024,
      now: () => clock,
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      const { adminToken, id } = await platform.tenant();
      const plaintext = "sk-PLAINTEXT-must-never-leak-4f1c9a";
      const responses: RawResponse[] = [];
      const call = async (method: string, path: string, body?: unknown, token = adminToken) => {
        const response = await raw(url, method, path, { token, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });
        responses.push(response);
        return response;
      };
      expect((await call("PUT", "/v1/secrets/leak-test", { value: plaintext, kind: "provider_key" })).status).toBe(201);
      expect((await call("PUT", "/v1/secrets/leak-test", { value: plaintext, kind: "integration_token" })).status).toBe(200);
      expect((await call("PUT", "/v1/secrets/leak-test", { value: plaintext, kind: "password" })).status).toBe(400);
      expect((await call("PUT", "/v1/secrets/leak-test", { value: plaintext, kind: "provider_key", extra: plaintext })).status).toBe(400);
      expect((await call("PUT", "/v1/secrets/Leak Test", { value: plaintext, kind: "provider_key" })).status).toBe(400);
      expect((await call("PUT", "/v1/secrets/leak-test", `{"value": "${plaintext}", "kind": `)).status).toBe(400);
      expect((await call("PUT", "/v1/secrets/leak-test", { value: plaintext.repeat(3000), kind: "provider_key" })).status).toBe(413);
      expect((await call("PUT", "/v1/secrets/leak-test", { value: plaintext, kind: "provider_key" }, "garbage")).status).toBe(401);
      expect((await call("GET", "/v1/secrets?limit=10")).status).toBe(200);
      expect((await call("DELETE", "/v1/secrets/leak-test")).status).toBe(200);
      expect(lines.length).toBeGreaterThan(10);
      expect(lines.join("\n")).toContain("/v1/secrets/leak-test");
      for (const response of responses) {
        expect(JSON.stringify(response.body)).not.toContain("PLAINTEXT");
        expect([...response.headers.values()].join("\n")).not.toContain("PLAINTEXT");
      }
      expect(lines.filter((line) => line.includes("PLAINTEXT"))).toEqual([]);
      expect(await secretCount(id)).toBe(0);
    } finally {
      await app.close();
    }
  });
});

describe("bad input", () => {
  it.each([
    ["an upper-case name", "OpenAI", 400],
    ["a name starting with a dot", ".hidden", 400],
    ["a name starting with a dash", "-x", 400],
    ["a 65-character name", "a".repeat(65), 400],
    ["a name with a space", "open%20ai", 400],
    ["a name with a slash", "a%2Fb", 400],
  ])("%s is refused and writes nothing", async (_name, name, status) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "PUT", `/v1/secrets/${name}`, { token: adminToken, body: JSON.stringify({ value: "v", kind: "provider_key" }) });
    expect(response).toMatchObject({ status, body: { reason_code: "VALIDATION_FAILED" } });
    expect(await secretCount(id)).toBe(0);
  });

  it("accepts the longest and the shortest names the pattern allows", async () => {
    const { admin } = await platform.tenant();
    for (const name of ["a", `a${"b".repeat(63)}`, "0.x_y-z"]) expect((await put(admin, name, "v")).response.status, name).toBe(201);
  });

  it.each([
    ["a number as value", { value: 5, kind: "provider_key" }],
    ["an empty value", { value: "", kind: "provider_key" }],
    ["no kind", { value: "v" }],
    ["an unknown kind", { value: "v", kind: "password" }],
    ["an unknown field", { value: "v", kind: "provider_key", expires_at: "2030-01-01T00:00:00Z" }],
    ["an array body", [{ value: "v", kind: "provider_key" }]],
  ])("%s is 400 VALIDATION_FAILED and writes nothing", async (_name, body) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "PUT", "/v1/secrets/github", { token: adminToken, body: JSON.stringify(body) });
    expect(response).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    expect(await secretCount(id)).toBe(0);
  });

  it("oversized bodies are 413, other media types 415, and delete of a malformed name 400", async () => {
    const { adminToken, id } = await platform.tenant();
    const huge = JSON.stringify({ value: "x".repeat(70 * 1024), kind: "provider_key" });
    expect(await raw(platform.url, "PUT", "/v1/secrets/big", { token: adminToken, body: huge })).toMatchObject({ status: 413, body: { reason_code: "BODY_TOO_LARGE" } });
    expect(await raw(platform.url, "PUT", "/v1/secrets/plain", { token: adminToken, body: "v", headers: { "content-type": "text/plain" } })).toMatchObject({
      status: 415,
      body: { reason_code: "UNSUPPORTED_MEDIA_TYPE" },
    });
    expect(await raw(platform.url, "DELETE", "/v1/secrets/NOPE", { token: adminToken })).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
    expect(await secretCount(id)).toBe(0);
  });
});

describe("roles", () => {
  it("admit only admin and security to write, and operator too to list", async () => {
    const { admin, id } = await platform.tenant();
    unwrap(await put(admin, "existing", "v"));
    const calls: Record<string, (client: ClaweaClient) => Promise<unknown>> = {
      putSecret: (c) => put(c, "written", "v").then(unwrap),
      listSecrets: (c) => c.GET("/v1/secrets", { params: { query: { limit: 10 } } }).then(unwrap),
      deleteSecret: (c) => c.DELETE("/v1/secrets/{name}", { params: { path: { name: "existing" } } }).then(unwrap),
    };
    const admitted: Record<string, string[]> = { putSecret: ["security"], listSecrets: ["security", "operator"], deleteSecret: ["security"] };
    for (const role of ["operator", "auditor", "finance", "developer", "security"]) {
      const client = await platform.keyWith(admin, [role]);
      for (const [operation, call] of Object.entries(calls)) {
        const outcome = await reason(call(client));
        const expected = admitted[operation]!.includes(role) ? "ok" : "403 ROLE_NOT_PERMITTED";
        expect(`${operation} as ${role}: ${outcome}`).toBe(`${operation} as ${role}: ${expected}`);
      }
    }
    // Security goes last: only its write and its delete landed.
    const names = (await platform.database.pool.query("select name from secrets where tenant_id = $1 order by name", [id])).rows.map((r) => r.name);
    expect(names).toEqual(["written"]);
  });
});

describe("tenant isolation", () => {
  it("keeps each tenant's secrets its own: 404, never the other's metadata or value", async () => {
    const a = await platform.tenant("a");
    const b = await platform.tenant("b");
    unwrap(await put(a.admin, "shared-name", "a-secret-value"));
    expect(await reason(b.admin.DELETE("/v1/secrets/{name}", { params: { path: { name: "shared-name" } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(unwrap(await b.admin.GET("/v1/secrets", { params: { query: { limit: 200 } } })).items).toEqual([]);
    expect((await put(b.admin, "shared-name", "b-secret-value")).response.status).toBe(201);
    expect((await openSecret(platform.database.db, platform.keyring, a.id, "shared-name"))?.value).toBe("a-secret-value");
    expect((await openSecret(platform.database.db, platform.keyring, b.id, "shared-name"))?.value).toBe("b-secret-value");
    unwrap(await b.admin.DELETE("/v1/secrets/{name}", { params: { path: { name: "shared-name" } } }));
    expect(unwrap(await a.admin.GET("/v1/secrets", { params: { query: { limit: 200 } } })).items.map((s) => s.name)).toEqual(["shared-name"]);
  });
});
