// The health and list bodies PostgreSQL writes (agents.repo.ts) against what the JS path wrote for
// the same rows: renderAgent / the health mapping, serialised in schema key order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unwrap } from "@clawea/sdk";
import { startTestPlatform, type TestPlatform } from "../../app.test-support.js";
import { toPage } from "../../http/pagination.js";
import { agentsRepo, type AgentRow } from "./agents.repo.js";
import { renderAgent } from "./agents.service.js";

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(() => platform.close());

/** What the health route answered before PostgreSQL wrote it (the same mapping, field for field). */
function renderHealth(row: AgentRow) {
  const pending =
    row.pendingAction && row.pendingActionId && row.pendingActionAt
      ? { action: row.pendingAction, action_id: row.pendingActionId, requested_at: row.pendingActionAt.toISOString() }
      : null;
  return {
    agent_id: row.id,
    status: row.status,
    pending_action: pending,
    last_active_at: row.lastActiveAt?.toISOString() ?? null,
    cpu_usage_millis: row.cpuUsageMillis,
    memory_usage_mb: row.memoryUsageMb,
    sandbox_id: row.sandboxId,
    last_error_code: row.lastErrorCode,
    restart_count: row.restartCount,
    failure_count: row.failureCount,
    last_restart_at: row.lastRestartAt?.toISOString() ?? null,
    last_failure_at: row.lastFailureAt?.toISOString() ?? null,
    last_failure_code: row.lastFailureCode,
    updated_at: row.updatedAt.toISOString(),
  };
}

async function body(token: string, path: string): Promise<{ text: string; contentType: string | null }> {
  const response = await fetch(`${platform.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return { text: await response.text(), contentType: response.headers.get("content-type") };
}

const row = async (tenantId: string, agentId: string) => (await agentsRepo.get(platform.database.db, tenantId, agentId))!;

describe("JSON written by PostgreSQL", () => {
  it("equals the JS-built health and list bodies for the same rows: nulls, escapes, timestamps, pending_action", async () => {
    const { id: tenantId, admin, adminToken } = await platform.tenant();
    const deployed = [];
    for (let i = 0; i < 4; i++) deployed.push(unwrap(await admin.POST("/v1/agents", { body: { template_id: "tpl_reference_small", name: `a${i}` } })));
    const [plain, awkward, reported, withConfig] = deployed.map((a) => a.id) as [string, string, string, string];

    // Strings JSON must escape, microseconds to truncate, and a pending action whose time is cleared.
    await platform.database.pool.query(
      `update agents set name = $2, policy_hash = 'ph_1', secret_refs = array['OPENAI_KEY', 'quo"te'], model = 'm/é😀',
         created_at = '2026-01-02 03:04:05.678999+00', updated_at = '2026-12-31 23:59:59.999999+00',
         pending_action_at = null
       where id = $1`,
      [awkward, 'q"uote \\ back\nline\ttab\u0001ctl\u001f\u2028 é 😀 </script>'],
    );
    // The data plane's report: usage doubles, error codes, restart bookkeeping, no pending action.
    await platform.database.pool.query(
      `update agents set status = 'failed', pending_action = null, pending_action_id = null, pending_action_at = null,
         sandbox_id = 'sbx-1', cpu_usage_millis = 120.5, memory_usage_mb = 0.1, last_error_code = 'SANDBOX_OOM',
         last_active_at = '2026-11-25 10:00:00.0005+00', restart_count = 2, failure_count = 3,
         last_restart_at = '2026-11-25 10:00:00+00', last_failure_at = '2026-11-25 10:00:01.25+00', last_failure_code = 'SANDBOX_NOT_FOUND'
       where id = $1`,
      [reported],
    );
    await platform.database.pool.query(`update agents set cpu_usage_millis = 3 where id = $1`, [plain]);
    // jsonb: nested values, nulls, numbers jsonb keeps as written.
    await platform.database.pool.query(`update agents set config = $2::jsonb where id = $1`, [
      withConfig,
      JSON.stringify({ b: [1, 2.5, null, { c: "x\ny" }], a: null, z: true, n: -0.001, big: 12345678901234 }),
    ]);

    for (const agentId of [plain, awkward, reported, withConfig]) {
      const expected = JSON.stringify(renderHealth(await row(tenantId, agentId)));
      const health = await body(adminToken, `/v1/agents/${agentId}/health`);
      expect(health.contentType).toBe("application/json; charset=utf-8");
      expect(health.text).toBe(expected);
    }

    const rows = await Promise.all([withConfig, reported, awkward, plain].map((id) => row(tenantId, id)));
    for (const limit of [2, 4, 50]) {
      let cursor: string | null = null;
      let offset = 0;
      do {
        const page = await body(adminToken, `/v1/agents?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
        const js = toPage(rows.slice(offset, offset + limit + 1), limit, (r) => r.id, renderAgent);
        const jsText = JSON.stringify(js);
        // Byte for byte, except that jsonb's own text has spaces after ':' and ',' (same values, same key order).
        expect(JSON.stringify(JSON.parse(page.text))).toBe(jsText);
        if (!js.items.some((a) => a.id === withConfig)) expect(page.text).toBe(jsText);
        cursor = js.next_cursor;
        offset += limit;
      } while (cursor);
    }
    const empty = await body(adminToken, "/v1/agents?limit=5&status=sleeping");
    expect(empty.text).toBe('{"items":[],"next_cursor":null}');
  });
});
