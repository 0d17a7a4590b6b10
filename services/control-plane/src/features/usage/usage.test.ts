import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageEvents, type UsageKind } from "@clawea/db";
import { unwrap, type ClaweaClient } from "@clawea/sdk";
import { raw, reason, startTestPlatform, type TestPlatform } from "../../app.test-support.js";
import { usageCsv, wantsCsv } from "./usage.domain.js";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());


const AGENT_1 = "agt_00000000000000000000000000000001";
const AGENT_2 = "agt_00000000000000000000000000000002";

interface Event {
  agent: string | null;
  template: string | null;
  kind: UsageKind;
  model: string | null;
  quantity: number;
  at: string;
}

async function record(tenantId: string, events: Event[]): Promise<void> {
  await platform.database.db.insert(usageEvents).values(
    events.map((e) => ({ tenantId, agentId: e.agent, templateId: e.template, kind: e.kind, model: e.model, quantity: e.quantity, occurredAt: new Date(e.at) })),
  );
}

/** A tenant with two agents on two templates over two days, plus events just outside the range. */
async function meteredTenant() {
  const tenant = await platform.tenant("metered");
  await record(tenant.id, [
    { agent: AGENT_1, template: "tpl_reference_small", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 1000, at: "2025-05-01T00:00:00Z" },
    { agent: AGENT_1, template: "tpl_reference_small", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 500, at: "2025-05-01T23:59:59.999Z" },
    { agent: AGENT_1, template: "tpl_reference_small", kind: "tokens_out", model: "openai/gpt-4.1-mini", quantity: 200, at: "2025-05-01T10:00:00Z" },
    { agent: AGENT_1, template: "tpl_reference_small", kind: "compute_seconds", model: null, quantity: 12.5, at: "2025-05-01T10:00:00Z" },
    { agent: AGENT_2, template: "tpl_openclaw_standard", kind: "tokens_in", model: "anthropic/claude-sonnet-4.5", quantity: 3000, at: "2025-05-02T08:00:00Z" },
    { agent: AGENT_2, template: "tpl_openclaw_standard", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 7, at: "2025-05-02T08:00:00Z" },
    { agent: AGENT_2, template: "tpl_openclaw_standard", kind: "compute_seconds", model: null, quantity: 30, at: "2025-05-02T09:00:00Z" },
    { agent: null, template: null, kind: "verifications", model: null, quantity: 2, at: "2025-05-02T12:00:00Z" },
    // Outside [from, to): one just before, one exactly at `to`.
    { agent: AGENT_1, template: "tpl_reference_small", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 99999, at: "2025-04-30T23:59:59.999Z" },
    { agent: AGENT_1, template: "tpl_reference_small", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 99999, at: "2025-05-03T00:00:00Z" },
  ]);
  return tenant;
}

const RANGE = { from: "2025-05-01T00:00:00Z", to: "2025-05-03T00:00:00Z" };

async function usage(client: ClaweaClient, groupBy: "agent" | "template" | "day", range = RANGE, page: { limit?: number; cursor?: string } = {}) {
  const report = unwrap(await client.GET("/v1/usage", { params: { query: { ...range, group_by: groupBy, ...(page.limit ? { limit: page.limit } : {}), ...(page.cursor ? { cursor: page.cursor } : {}) } } }));
  if (typeof report === "string") throw new Error("asked for JSON, got CSV");
  return report;
}

describe("usage", () => {
  it("sums events in [from, to) by day, kind and model", async () => {
    const { admin } = await meteredTenant();
    const report = await usage(admin, "day");
    expect(report).toMatchObject({ from: "2025-05-01T00:00:00.000Z", to: "2025-05-03T00:00:00.000Z", group_by: "day" });
    expect(report.rows).toEqual([
      { group: "2025-05-01", kind: "compute_seconds", model: null, quantity: 12.5 },
      { group: "2025-05-01", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 1500 },
      { group: "2025-05-01", kind: "tokens_out", model: "openai/gpt-4.1-mini", quantity: 200 },
      { group: "2025-05-02", kind: "compute_seconds", model: null, quantity: 30 },
      { group: "2025-05-02", kind: "tokens_in", model: "anthropic/claude-sonnet-4.5", quantity: 3000 },
      { group: "2025-05-02", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 7 },
      { group: "2025-05-02", kind: "verifications", model: null, quantity: 2 },
    ]);
  });

  it("groups by agent and by template, events without one under null", async () => {
    const { admin } = await meteredTenant();
    const finance = await platform.keyWith(admin, ["finance"]);
    const byAgent = await usage(finance, "agent");
    expect(byAgent.rows.filter((r) => r.kind === "tokens_in")).toEqual([
      { group: AGENT_1, kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 1500 },
      { group: AGENT_2, kind: "tokens_in", model: "anthropic/claude-sonnet-4.5", quantity: 3000 },
      { group: AGENT_2, kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 7 },
    ]);
    expect(byAgent.rows.at(-1)).toEqual({ group: null, kind: "verifications", model: null, quantity: 2 });
    const byTemplate = await usage(finance, "template");
    expect(byTemplate.rows.filter((r) => r.kind === "compute_seconds")).toEqual([
      { group: "tpl_openclaw_standard", kind: "compute_seconds", model: null, quantity: 30 },
      { group: "tpl_reference_small", kind: "compute_seconds", model: null, quantity: 12.5 },
    ]);
    expect((await usage(finance, "day", { from: "2024-01-01T00:00:00Z", to: "2024-02-01T00:00:00Z" })).rows).toEqual([]);
  });

  it("answers CSV with a header row for Accept: text/csv or format=csv, quoted per RFC 4180", async () => {
    const { id, admin, adminToken } = await meteredTenant();
    await record(id, [
      { agent: AGENT_1, template: null, kind: "tokens_in", model: 'vendor/model, "quoted"', quantity: 3, at: "2025-05-01T01:00:00Z" },
      { agent: AGENT_1, template: null, kind: "tokens_in", model: "=HYPERLINK(\"http://evil\")", quantity: 4, at: "2025-05-01T01:00:00Z" },
    ]);
    const query = `from=${RANGE.from}&to=${RANGE.to}&group_by=day`;
    const byAccept = await fetch(`${platform.url}/v1/usage?${query}`, { headers: { authorization: `Bearer ${adminToken}`, accept: "text/csv" } });
    const byFormat = unwrap(await admin.GET("/v1/usage", { params: { query: { ...RANGE, group_by: "day", format: "csv" } }, parseAs: "text" }));
    expect(byAccept.status).toBe(200);
    expect(byAccept.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(byAccept.headers.get("content-disposition")).toBe('attachment; filename="usage-day-2025-05-01-2025-05-03.csv"');
    const csv = await byAccept.text();
    expect(byFormat).toBe(csv);
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("day,kind,model,quantity");
    expect(lines).toContain("2025-05-01,tokens_in,openai/gpt-4.1-mini,1500");
    expect(lines).toContain("2025-05-01,compute_seconds,,12.5");
    expect(lines).toContain('2025-05-01,tokens_in,"vendor/model, ""quoted""",3');
    expect(lines).toContain(`2025-05-01,tokens_in,"'=HYPERLINK(""http://evil"")",4`);
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(1 + 9 + 1);

    const json = await fetch(`${platform.url}/v1/usage?${query}&format=json`, { headers: { authorization: `Bearer ${adminToken}`, accept: "text/csv" } });
    expect(json.headers.get("content-type")).toContain("application/json");
    const preferred = await fetch(`${platform.url}/v1/usage?${query}`, { headers: { authorization: `Bearer ${adminToken}`, accept: "application/json, text/csv;q=0.5" } });
    expect(preferred.headers.get("content-type")).toContain("application/json");
  });

  it.each([
    ["from after to", `from=2025-05-03T00:00:00Z&to=2025-05-01T00:00:00Z&group_by=day`],
    ["an empty range", `from=2025-05-01T00:00:00Z&to=2025-05-01T00:00:00Z&group_by=day`],
    ["more than 366 days", `from=2024-01-01T00:00:00Z&to=2025-01-02T00:00:01Z&group_by=day`],
    ["no from", `to=2025-05-01T00:00:00Z&group_by=day`],
    ["a date, not a date-time", `from=2025-05-01&to=2025-05-03&group_by=day`],
    ["a date-time that is not one", `from=yesterday&to=2025-05-03T00:00:00Z&group_by=day`],
    ["an unknown grouping", `from=2025-05-01T00:00:00Z&to=2025-05-03T00:00:00Z&group_by=model`],
    ["an unknown format", `from=2025-05-01T00:00:00Z&to=2025-05-03T00:00:00Z&group_by=day&format=xlsx`],
    ["an unknown parameter", `from=2025-05-01T00:00:00Z&to=2025-05-03T00:00:00Z&group_by=day&tenant_id=ten_x`],
  ])("refuses %s with 400 VALIDATION_FAILED", async (_name, query) => {
    const { adminToken } = await platform.tenant();
    expect(await raw(platform.url, "GET", `/v1/usage?${query}`, { token: adminToken })).toMatchObject({ status: 400, body: { reason_code: "VALIDATION_FAILED" } });
  });

  it("pages the report with a cursor bound to its query", async () => {
    const { admin } = await meteredTenant();
    const whole = await usage(admin, "agent");
    expect(whole.next_cursor).toBeNull();
    const rows = [];
    let cursor: string | undefined;
    do {
      const page = await usage(admin, "agent", RANGE, { limit: 2, ...(cursor ? { cursor } : {}) });
      expect(page.rows.length).toBeLessThanOrEqual(2);
      rows.push(...page.rows);
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(rows).toEqual(whole.rows);
    const first = await usage(admin, "agent", RANGE, { limit: 2 });
    expect(await reason(usage(admin, "day", RANGE, { limit: 2, cursor: first.next_cursor! }))).toBe("400 VALIDATION_FAILED");
  });

  it("accepts exactly 366 days, and defaults to grouping by day", async () => {
    const { adminToken } = await platform.tenant();
    const response = await raw(platform.url, "GET", "/v1/usage?from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z", { token: adminToken });
    expect(response).toMatchObject({ status: 200, body: { group_by: "day", rows: [] } });
  });

  it("admits admin, finance and auditor only", async () => {
    const { admin } = await platform.tenant();
    for (const role of ["admin", "finance", "auditor", "security", "operator", "developer"]) {
      const client = role === "admin" ? admin : await platform.keyWith(admin, [role]);
      const expected = ["admin", "finance", "auditor"].includes(role) ? "ok" : "403 ROLE_NOT_PERMITTED";
      expect(`${role}: ${await reason(usage(client, "day"))}`).toBe(`${role}: ${expected}`);
    }
    expect(await reason(usage(platform.client("garbage"), "day"))).toBe("401 API_KEY_INVALID");
  });

  it("never counts another tenant's events", async () => {
    const a = await meteredTenant();
    const b = await platform.tenant("b");
    await record(b.id, [{ agent: AGENT_1, template: "tpl_reference_small", kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 1, at: "2025-05-01T05:00:00Z" }]);
    expect((await usage(b.admin, "agent")).rows).toEqual([{ group: AGENT_1, kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 1 }]);
    const aRows = (await usage(a.admin, "agent")).rows.filter((r) => r.group === AGENT_1 && r.kind === "tokens_in");
    expect(aRows).toEqual([{ group: AGENT_1, kind: "tokens_in", model: "openai/gpt-4.1-mini", quantity: 1500 }]);
  });
});

describe("usage CSV and content negotiation", () => {
  it("quotes fields holding a comma, quote or line break, and defuses spreadsheet formulas", () => {
    const csv = usageCsv("agent", [
      { group: "a\nb", kind: "tokens_in", model: "m,1", quantity: 1.5 },
      { group: null, kind: "verifications", model: "+cmd", quantity: 0 },
      { group: "@x", kind: "tokens_out", model: "-1", quantity: -2 },
    ]);
    expect(csv).toBe('agent,kind,model,quantity\r\n"a\nb",tokens_in,"m,1",1.5\r\n,verifications,\'+cmd,0\r\n\'@x,tokens_out,\'-1,-2\r\n');
  });

  it.each([
    [undefined, undefined, false],
    [undefined, "text/csv", true],
    [undefined, "text/csv;q=0.9, application/json", false],
    [undefined, "application/json;q=0.1, text/csv", true],
    [undefined, "*/*", false],
    [undefined, "text/csv, */*;q=0.1", true],
    ["json", "text/csv", false],
    ["csv", "application/json", true],
  ] as const)("format %s with Accept %s wants CSV: %s", (format, accept, expected) => {
    expect(wantsCsv(format, accept)).toBe(expected);
  });
});
