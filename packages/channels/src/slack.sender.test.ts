// Sends against a local server that speaks the Slack Web API (form-encoded requests, `ok` in every answer).
import { ReasonError } from "@clawea/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { approvalCard, refusingUrl, startFake, type Captured, type FakeServer, type Reply } from "./fixtures.test-support.js";
import { slackBlocks } from "./slack.card.js";
import { sendSlackCard, updateSlackCard } from "./slack.sender.js";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function slack(handler: (request: Captured) => Reply): Promise<{ bot_token: string; channel: string; api_url: string }> {
  fake = await startFake(handler);
  return { bot_token: "xoxb-test-token", channel: "C0APPROVALS", api_url: `${fake.url}/api/` };
}

function form(request: Captured): URLSearchParams {
  return new URLSearchParams(request.body);
}

async function failure(promise: Promise<unknown>): Promise<ReasonError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReasonError);
  return error as ReasonError;
}

describe("sendSlackCard", () => {
  it("posts the blocks with the bot token and answers channel and ts", async () => {
    const config = await slack(() => ({ status: 200, body: { ok: true, channel: "C0APPROVALS", ts: "1700000000.000100" } }));
    const card = approvalCard();
    await expect(sendSlackCard(card, config)).resolves.toEqual({ channel: "C0APPROVALS", ts: "1700000000.000100" });
    expect(fake!.requests).toHaveLength(1);
    const [request] = fake!.requests;
    expect(request).toMatchObject({ method: "POST", url: "/api/chat.postMessage" });
    expect(request!.headers.authorization).toBe("Bearer xoxb-test-token");
    const body = form(request!);
    expect(body.get("channel")).toBe("C0APPROVALS");
    expect(body.get("text")).toContain("release-bot");
    expect(JSON.parse(body.get("blocks")!)).toEqual(slackBlocks(card));
    expect(body.get("unfurl_links")).toBe("false");
  });

  it.each([
    ["HTTP 429 with Retry-After", { status: 429, headers: { "retry-after": "7" }, body: { ok: false, error: "ratelimited" } }, "CHANNEL_RATE_LIMITED", 429, 7],
    ["HTTP 500", { status: 500, body: "oops" }, "CHANNEL_DELIVERY_FAILED", 500, undefined],
    ["HTTP 400", { status: 400, body: "bad" }, "CHANNEL_DELIVERY_REJECTED", 400, undefined],
    ["ok:false channel_not_found", { status: 200, body: { ok: false, error: "channel_not_found" } }, "CHANNEL_DELIVERY_REJECTED", 200, undefined],
    ["ok:false invalid_auth", { status: 200, body: { ok: false, error: "invalid_auth" } }, "CHANNEL_DELIVERY_REJECTED", 200, undefined],
    ["ok:false internal_error", { status: 200, body: { ok: false, error: "internal_error" } }, "CHANNEL_DELIVERY_FAILED", 200, undefined],
    ["ok:false ratelimited", { status: 200, body: { ok: false, error: "ratelimited" } }, "CHANNEL_RATE_LIMITED", 200, undefined],
    ["ok without ts", { status: 200, body: { ok: true } }, "CHANNEL_DELIVERY_FAILED", 200, undefined],
  ] as const)("maps %s to %s, trying once", async (_name, reply, code, status, retryAfter) => {
    const config = await slack(() => reply);
    const error = await failure(sendSlackCard(approvalCard(), config));
    expect(error.code).toBe(code);
    expect(error.extra).toMatchObject({ channel: "slack", vendor_status: status });
    expect(error.extra.retry_after_seconds).toBe(retryAfter);
    expect(fake!.requests).toHaveLength(1);
    expect(error.message).not.toContain("xoxb-test-token");
  });

  it("maps a refused connection to a retryable failure with no vendor status", async () => {
    const error = await failure(sendSlackCard(approvalCard(), { bot_token: "xoxb-t", channel: "C1", api_url: `${await refusingUrl()}/api/` }));
    expect(error.code).toBe("CHANNEL_DELIVERY_FAILED");
    expect(error.extra).toMatchObject({ channel: "slack", vendor_status: null });
  });

  it("refuses to send without a token or channel", async () => {
    const config = await slack(() => ({ status: 500 }));
    expect((await failure(sendSlackCard(approvalCard(), { ...config, bot_token: "" }))).code).toBe("CHANNEL_NOT_CONFIGURED");
    expect((await failure(sendSlackCard(approvalCard(), { ...config, channel: "" }))).code).toBe("CHANNEL_NOT_CONFIGURED");
    expect(fake!.requests).toHaveLength(0);
  });
});

describe("updateSlackCard", () => {
  it("replaces the card in place with the outcome and no buttons", async () => {
    const config = await slack(() => ({ status: 200, body: { ok: true, channel: "C0APPROVALS", ts: "1700000000.000100" } }));
    const ref = { channel: "C0APPROVALS", ts: "1700000000.000100" };
    await expect(
      updateSlackCard(ref, approvalCard(), { status: "decided", decision: "approve_once", actor: { id: "U1ANN" }, via: "slack", decided_at: "2030-01-01T11:00:00Z" }, config),
    ).resolves.toEqual(ref);
    const [request] = fake!.requests;
    expect(request!.url).toBe("/api/chat.update");
    expect(request!.headers.authorization).toBe("Bearer xoxb-test-token");
    const body = form(request!);
    expect(body.get("ts")).toBe("1700000000.000100");
    const blocks = JSON.parse(body.get("blocks")!) as { type: string }[];
    expect(blocks.some((b) => b.type === "actions")).toBe(false);
    expect(body.get("blocks")).toContain("<@U1ANN>");
  });

  it("maps a deleted message to a rejection", async () => {
    const config = await slack(() => ({ status: 200, body: { ok: false, error: "message_not_found" } }));
    const error = await failure(updateSlackCard({ channel: "C1", ts: "1.2" }, approvalCard(), { status: "expired", expired_at: "2030-01-01T12:00:00Z" }, config));
    expect(error.code).toBe("CHANNEL_DELIVERY_REJECTED");
    expect(error.extra.vendor_error).toBe("message_not_found");
  });
});
