// One card to three local vendor stand-ins at once: one failing must not keep the others from getting it.
import { REASON_CODES } from "@clawea/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { approvalCard, startFake, type FakeServer } from "./fixtures.test-support.js";
import { sendApprovalCard } from "./send.dispatch.js";

const HEAD = "b".repeat(40);
const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function vendors(teamsStatus: number) {
  const slack = await startFake(() => ({ status: 200, body: { ok: true, channel: "C1", ts: "1.1" } }));
  const teams = await startFake(() => ({ status: teamsStatus }));
  const github = await startFake((r) =>
    r.method === "GET" ? { status: 200, body: { total_count: 0, check_runs: [] } } : { status: 201, body: { id: 3, html_url: "https://github.example/runs/3" } },
  );
  servers.push(slack, teams, github);
  return {
    servers: { slack, teams, github },
    config: {
      slack: { bot_token: "xoxb-1", channel: "C1", api_url: `${slack.url}/api/` },
      teams: { webhook_url: `${teams.url}/hook` },
      github: { token: "ghs_1", owner: "o", repo: "r", api_url: github.url, head_sha: HEAD },
    },
  };
}

describe("sendApprovalCard", () => {
  it("sends to every configured channel and reports each on its own", async () => {
    const { config, servers: s } = await vendors(503);
    const results = await sendApprovalCard(approvalCard(), config);
    expect(results).toEqual([
      { channel: "slack", ok: true, external_ref: { channel: "C1", ts: "1.1" } },
      { channel: "teams", ok: false, reason_code: "CHANNEL_DELIVERY_FAILED", retryable: true, detail: expect.any(String) },
      { channel: "github", ok: true, external_ref: { check_run_id: 3, html_url: "https://github.example/runs/3", head_sha: HEAD, reused: false } },
    ]);
    expect([s.slack.requests.length, s.teams.requests.length, s.github.requests.length]).toEqual([1, 1, 2]);
  });

  it("reports a refusal as not retryable, with the registry's verdict", async () => {
    const { config } = await vendors(400);
    const teams = (await sendApprovalCard(approvalCard(), config)).find((r) => r.channel === "teams");
    expect(teams).toMatchObject({ ok: false, reason_code: "CHANNEL_DELIVERY_REJECTED", retryable: false });
    expect(REASON_CODES.CHANNEL_DELIVERY_REJECTED.retryable).toBe(false);
  });

  it("sends only to the channels asked for, and says when one of them is not configured", async () => {
    const { config, servers: s } = await vendors(200);
    expect(await sendApprovalCard(approvalCard(), config, {}, { channels: ["teams"] })).toEqual([{ channel: "teams", ok: true, external_ref: { http_status: 200 } }]);
    expect([s.slack.requests.length, s.github.requests.length]).toEqual([0, 0]);
    expect(await sendApprovalCard(approvalCard(), { slack: config.slack }, {}, { channels: ["github"] })).toEqual([
      { channel: "github", ok: false, reason_code: "CHANNEL_NOT_CONFIGURED", retryable: false, detail: expect.any(String) },
    ]);
  });

  it("answers an empty list when the tenant configured no channel", async () => {
    expect(await sendApprovalCard(approvalCard(), {})).toEqual([]);
  });
});
