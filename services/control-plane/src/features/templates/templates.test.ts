import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrap, type ClaweaClient } from "@clawea/sdk";
import { raw, reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";
import { ROLES } from "../../http/auth.js";
import { counts, insertPolicy, insertSecret, reportFromDataPlane } from "../agents/agents.test-support.js";
import { TEMPLATE_READERS, TEMPLATE_WRITERS } from "./templates.routes.js";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

const BUILTINS = ["tpl_openclaw_standard", "tpl_openclaw_stateless", "tpl_reference_small"];

function templateBody(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    runtime: "openclaw" as const,
    model: "anthropic/claude-sonnet-4.5",
    resources: { cpu_millis: 1000, memory_mb: 1024, disk_mb: 4096 },
    sleep_after_seconds: 900,
    stateless: false,
    ...extra,
  };
}

async function createTemplate(admin: ClaweaClient, name: string, extra: Record<string, unknown> = {}) {
  return unwrap(await admin.POST("/v1/templates", { body: templateBody(name, extra) }));
}

describe("reading templates", () => {
  it("lists the built-ins and the tenant's own, pages with a cursor", async () => {
    const { admin } = await platform.tenant();
    const own = [await createTemplate(admin, "one"), await createTemplate(admin, "two")];
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = unwrap(await admin.GET("/v1/templates", { params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } } }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen.sort()).toEqual([...BUILTINS, ...own.map((t) => t.id)].sort());
  });

  it("gets a built-in by its readable id and a tenant template by its id", async () => {
    const { admin } = await platform.tenant();
    const builtin = unwrap(await admin.GET("/v1/templates/{template_id}", { params: { path: { template_id: "tpl_reference_small" } } }));
    expect(builtin).toMatchObject({ id: "tpl_reference_small", builtin: true, runtime: "reference", default_policy_hash: null });
    const own = await createTemplate(admin, "mine");
    expect(unwrap(await admin.GET("/v1/templates/{template_id}", { params: { path: { template_id: own.id } } }))).toEqual(own);
    expect(await reason(admin.GET("/v1/templates/{template_id}", { params: { path: { template_id: "tpl_0123456789abcdef0123456789abcdef" } } }).then(unwrap))).toBe(
      "404 NOT_FOUND",
    );
  });
});

describe("creating templates", () => {
  it("stores every setting, with a policy and secrets of the tenant", async () => {
    const { admin, id } = await platform.tenant();
    const hash = await insertPolicy(platform, id);
    await insertSecret(platform, id, "anthropic-key");
    const created = await createTemplate(admin, "support bot", {
      description: "answers tickets",
      runtime: "reference",
      stateless: true,
      default_policy_hash: hash,
      secret_refs: ["anthropic-key"],
      config: { tools_profile: "minimal", limits: { turns: 10 } },
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^tpl_[0-9a-f]{32}$/),
      name: "support bot",
      description: "answers tickets",
      builtin: false,
      runtime: "reference",
      model: "anthropic/claude-sonnet-4.5",
      resources: { cpu_millis: 1000, memory_mb: 1024, disk_mb: 4096 },
      sleep_after_seconds: 900,
      stateless: true,
      default_policy_hash: hash,
      secret_refs: ["anthropic-key"],
      config: { tools_profile: "minimal", limits: { turns: 10 } },
    });
  });

  it("refuses a name the tenant or a built-in already has: 409 ALREADY_EXISTS, nothing written", async () => {
    const { admin, id } = await platform.tenant();
    await createTemplate(admin, "dup");
    expect(await reason(admin.POST("/v1/templates", { body: templateBody("dup") }).then(unwrap))).toBe("409 ALREADY_EXISTS");
    expect(await reason(admin.POST("/v1/templates", { body: templateBody("reference-small") }).then(unwrap))).toBe("409 ALREADY_EXISTS");
    expect((await counts(platform, id)).templates).toBe(1);
    // Another tenant may use the same name.
    const other = await platform.tenant("other");
    expect((await createTemplate(other.admin, "dup")).name).toBe("dup");
  });

  it("refuses a policy or secrets the tenant does not have: 422 REFERENCE_NOT_FOUND, nothing written", async () => {
    const a = await platform.tenant("a");
    const b = await platform.tenant("b");
    const bPolicy = await insertPolicy(platform, b.id);
    await insertSecret(platform, b.id, "b-secret");
    await insertSecret(platform, a.id, "a-secret");
    const cases = [
      { default_policy_hash: "A".repeat(43) },
      { default_policy_hash: bPolicy },
      { secret_refs: ["a-secret", "nope"] },
      { secret_refs: ["b-secret"] },
    ];
    for (const extra of cases) {
      expect(await reason(a.admin.POST("/v1/templates", { body: templateBody("t", extra) }).then(unwrap)), JSON.stringify(extra)).toBe("422 REFERENCE_NOT_FOUND");
    }
    expect((await counts(platform, a.id)).templates).toBe(0);
  });

  const good = templateBody("x");
  it.each([
    ["wrong type", { ...good, resources: { ...good.resources, cpu_millis: "1000" } }],
    ["wrong type (stateless)", { ...good, stateless: "no" }],
    ["unknown field", { ...good, image: "ubuntu" }],
    ["unknown resource", { ...good, resources: { ...good.resources, gpu: 1 } }],
    ["missing resource", { ...good, resources: { cpu_millis: 1000, memory_mb: 1024 } }],
    ["unknown runtime", { ...good, runtime: "docker" }],
    ["cpu below bounds", { ...good, resources: { ...good.resources, cpu_millis: 10 } }],
    ["memory above bounds", { ...good, resources: { ...good.resources, memory_mb: 1_000_000 } }],
    ["fractional sleep_after", { ...good, sleep_after_seconds: 90.5 }],
    ["sleep_after too short", { ...good, sleep_after_seconds: 1 }],
    ["empty name", { ...good, name: "" }],
    ["control characters in name", { ...good, name: "a\u0000b" }],
    ["model with spaces", { ...good, model: "gpt 4" }],
    ["malformed policy hash", { ...good, default_policy_hash: "sha256:abc" }],
    ["secret refs not unique", { ...good, secret_refs: ["a", "a"] }],
    ["config not an object", { ...good, config: ["a"] }],
    ["config too large", { ...good, config: { blob: "x".repeat(20 * 1024) } }],
  ])("%s is answered 400 VALIDATION_FAILED and writes nothing", async (_name, body) => {
    const { adminToken, id } = await platform.tenant();
    const response = await raw(platform.url, "POST", "/v1/templates", { token: adminToken, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ reason_code: "VALIDATION_FAILED" });
    expect((await counts(platform, id)).templates).toBe(0);
  });

  it("oversized bodies are 413, bad JSON 400, malformed ids 400", async () => {
    const { adminToken, id } = await platform.tenant();
    const huge = JSON.stringify({ ...good, description: "x".repeat(70 * 1024) });
    expect((await raw(platform.url, "POST", "/v1/templates", { token: adminToken, body: huge })).body).toMatchObject({ status: 413, reason_code: "BODY_TOO_LARGE" });
    expect((await raw(platform.url, "POST", "/v1/templates", { token: adminToken, body: "{ name" })).body).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
    for (const bad of ["not-a-template", "tpl_", "TPL_REFERENCE", "agt_0123456789abcdef0123456789abcdef", `tpl_${"a".repeat(65)}`]) {
      expect((await raw(platform.url, "GET", `/v1/templates/${bad}`, { token: adminToken })).body, bad).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
      expect((await raw(platform.url, "DELETE", `/v1/templates/${bad}`, { token: adminToken })).body, bad).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
    }
    expect((await raw(platform.url, "GET", "/v1/templates?limit=0", { token: adminToken })).body).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
    expect((await raw(platform.url, "GET", "/v1/templates?cursor=%25%25", { token: adminToken })).body).toMatchObject({ status: 400, reason_code: "VALIDATION_FAILED" });
    expect((await counts(platform, id)).templates).toBe(0);
  });
});

describe("deleting templates", () => {
  it("deletes an unused one: it is gone from reads, its name free again", async () => {
    const { admin, id } = await platform.tenant();
    const template = await createTemplate(admin, "short-lived");
    expect(unwrap(await admin.DELETE("/v1/templates/{template_id}", { params: { path: { template_id: template.id } } }))).toEqual(template);
    expect(await reason(admin.GET("/v1/templates/{template_id}", { params: { path: { template_id: template.id } } }).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(admin.DELETE("/v1/templates/{template_id}", { params: { path: { template_id: template.id } } }).then(unwrap))).toBe("404 NOT_FOUND");
    const listed = unwrap(await admin.GET("/v1/templates", { params: { query: { limit: 200 } } }));
    expect(listed.items.map((t) => t.id)).not.toContain(template.id);
    expect(await reason(admin.POST("/v1/agents", { body: { template_id: template.id, name: "late" } }).then(unwrap))).toBe("422 REFERENCE_NOT_FOUND");
    expect((await createTemplate(admin, "short-lived")).id).not.toBe(template.id);
    expect((await counts(platform, id)).agents).toBe(0);
  });

  it("refuses built-ins: 403 READ_ONLY_RESOURCE", async () => {
    const { admin } = await platform.tenant();
    for (const template_id of BUILTINS) {
      expect(await reason(admin.DELETE("/v1/templates/{template_id}", { params: { path: { template_id } } }).then(unwrap))).toBe("403 READ_ONLY_RESOURCE");
    }
    expect(unwrap(await admin.GET("/v1/templates", { params: { query: { limit: 200 } } })).items.filter((t) => t.builtin)).toHaveLength(BUILTINS.length);
  });

  it("refuses one an agent that is not destroyed uses: 409 RESOURCE_IN_USE; allows it once the agent is destroyed", async () => {
    const { admin } = await platform.tenant();
    const template = await createTemplate(admin, "in use");
    const agent = unwrap(await admin.POST("/v1/agents", { body: { template_id: template.id, name: "user" } }));
    const path = { params: { path: { template_id: template.id } } };
    for (const status of ["provisioning", "running", "sleeping", "failed"] as const) {
      await reportFromDataPlane(platform, agent.id, status);
      expect(await reason(admin.DELETE("/v1/templates/{template_id}", path).then(unwrap)), status).toBe("409 RESOURCE_IN_USE");
    }
    await reportFromDataPlane(platform, agent.id, "destroyed");
    expect(unwrap(await admin.DELETE("/v1/templates/{template_id}", path)).id).toBe(template.id);
    // The destroyed agent still names its template.
    expect(unwrap(await admin.GET("/v1/agents/{agent_id}", { params: { path: { agent_id: agent.id } } })).template_id).toBe(template.id);
  });

  it("never lets a concurrent deploy slip past a delete: either the delete is refused or the deploy is", async () => {
    const { admin, id } = await platform.tenant();
    for (let round = 0; round < 5; round++) {
      const template = await createTemplate(admin, `race-${round}`);
      const [deployed, deleted] = await Promise.all([
        reason(admin.POST("/v1/agents", { body: { template_id: template.id, name: "racer" } }).then(unwrap)),
        reason(admin.DELETE("/v1/templates/{template_id}", { params: { path: { template_id: template.id } } }).then(unwrap)),
      ]);
      expect([deployed, deleted].sort()).toEqual(deployed === "ok" ? ["409 RESOURCE_IN_USE", "ok"] : ["422 REFERENCE_NOT_FOUND", "ok"]);
      const { rows } = await platform.database.pool.query(
        "select count(*)::int as n from agents a join templates t on t.id = a.template_id where a.tenant_id = $1 and t.id = $2 and t.deleted_at is not null",
        [id, template.id],
      );
      expect(rows[0].n).toBe(0);
    }
  });
});

describe("roles", () => {
  it("admit readers to reads and admins alone to writes; others get 403 ROLE_NOT_PERMITTED", async () => {
    const { admin } = await platform.tenant();
    const template = await createTemplate(admin, "for roles");
    for (const role of ROLES) {
      const key = await platform.keyWith(admin, [role]);
      const read = TEMPLATE_READERS.includes(role) ? "ok" : "403 ROLE_NOT_PERMITTED";
      const write = TEMPLATE_WRITERS.includes(role);
      expect(await reason(key.GET("/v1/templates", { params: { query: { limit: 5 } } }).then(unwrap)), role).toBe(read);
      expect(await reason(key.GET("/v1/templates/{template_id}", { params: { path: { template_id: template.id } } }).then(unwrap)), role).toBe(read);
      expect(await reason(key.POST("/v1/templates", { body: templateBody(`by ${role}`) }).then(unwrap)), role).toBe(write ? "ok" : "403 ROLE_NOT_PERMITTED");
      expect(await reason(key.DELETE("/v1/templates/{template_id}", { params: { path: { template_id: "tpl_reference_small" } } }).then(unwrap)), role).toBe(
        write ? "403 READ_ONLY_RESOURCE" : "403 ROLE_NOT_PERMITTED",
      );
    }
    for (const [method, path] of [
      ["GET", "/v1/templates"],
      ["GET", `/v1/templates/${template.id}`],
      ["POST", "/v1/templates"],
      ["DELETE", `/v1/templates/${template.id}`],
    ] as const) {
      expect((await raw(platform.url, method, path)).body, `${method} ${path}`).toMatchObject({ status: 401, reason_code: "AUTH_REQUIRED" });
    }
  });
});

describe("tenant isolation", () => {
  it("another tenant's template is 404 on every route, absent from lists, and cannot be deployed from", async () => {
    const a = await platform.tenant("a");
    const b = await platform.tenant("b");
    const template = await createTemplate(a.admin, "private");
    const path = { params: { path: { template_id: template.id } } };
    expect(await reason(b.admin.GET("/v1/templates/{template_id}", path).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(b.admin.DELETE("/v1/templates/{template_id}", path).then(unwrap))).toBe("404 NOT_FOUND");
    expect(await reason(b.admin.POST("/v1/agents", { body: { template_id: template.id, name: "thief" } }).then(unwrap))).toBe("422 REFERENCE_NOT_FOUND");
    const listed = unwrap(await b.admin.GET("/v1/templates", { params: { query: { limit: 200 } } }));
    expect(listed.items.map((t) => t.id).sort()).toEqual(BUILTINS);
    expect(unwrap(await a.admin.GET("/v1/templates/{template_id}", path))).toEqual(template);
    expect((await counts(platform, b.id)).agents).toBe(0);
  });
});
