// Sends against a local server standing in for a Teams incoming webhook / Workflows trigger URL.
import { ReasonError } from "@clawea/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { approvalCard, refusingUrl, startFake, type Captured, type FakeServer, type Reply } from "./fixtures.test-support.js";
import { teamsAdaptiveCard } from "./teams.card.js";
import { sendTeamsCard } from "./teams.sender.js";

const WEBHOOK_PATH = "/webhookb2/tenant-secret-path/IncomingWebhook/abc";

let fake: FakeServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function teams(handler: (request: Captured) => Reply): Promise<{ webhook_url: string }> {
  fake = await startFake(handler);
  return { webhook_url: `${fake.url}${WEBHOOK_PATH}` };
}

async function failure(promise: Promise<unknown>): Promise<ReasonError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReasonError);
  expect((error as ReasonError).message).not.toContain("tenant-secret-path");
  return error as ReasonError;
}

describe("sendTeamsCard", () => {
  it("posts the Adaptive Card as a message attachment", async () => {
    const config = await teams(() => ({ status: 200, body: "1" }));
    const card = approvalCard();
    await expect(sendTeamsCard(card, config)).resolves.toEqual({ http_status: 200 });
    const [request] = fake!.requests;
    expect(request).toMatchObject({ method: "POST", url: WEBHOOK_PATH });
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request!.body)).toEqual({
      type: "message",
      attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: teamsAdaptiveCard(card) }],
    });
  });

  it("accepts a workflow's 202", async () => {
    const config = await teams(() => ({ status: 202 }));
    await expect(sendTeamsCard(approvalCard(), config)).resolves.toEqual({ http_status: 202 });
  });

  it.each([
    ["429 with Retry-After", { status: 429, headers: { "retry-after": "12" } }, "CHANNEL_RATE_LIMITED", 429],
    ["500", { status: 500 }, "CHANNEL_DELIVERY_FAILED", 500],
    ["400", { status: 400, body: "Bad payload received by generic incoming webhook." }, "CHANNEL_DELIVERY_REJECTED", 400],
    ["a redirect (not followed)", { status: 302, headers: { location: "/elsewhere" } }, "CHANNEL_DELIVERY_REJECTED", 302],
    [
      "200 wrapping a 429",
      { status: 200, body: "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0.." },
      "CHANNEL_RATE_LIMITED",
      429,
    ],
    [
      "200 wrapping a 413",
      { status: 200, body: "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 413 with ContextId tcid=0.." },
      "CHANNEL_DELIVERY_REJECTED",
      413,
    ],
  ] as const)("maps %s to %s", async (_name, reply, code, status) => {
    const config = await teams(() => reply);
    const error = await failure(sendTeamsCard(approvalCard(), config));
    expect(error.code).toBe(code);
    expect(error.extra).toMatchObject({ channel: "teams", vendor_status: status });
    expect(fake!.requests).toHaveLength(1);
    if (code === "CHANNEL_RATE_LIMITED" && status === 429 && "headers" in reply) expect(error.extra.retry_after_seconds).toBe(12);
  });

  it("maps a refused connection and a timeout to retryable failures", async () => {
    const refused = await failure(sendTeamsCard(approvalCard(), { webhook_url: `${await refusingUrl()}${WEBHOOK_PATH}` }));
    expect(refused.code).toBe("CHANNEL_DELIVERY_FAILED");
    expect(refused.extra.vendor_status).toBeNull();

    const config = await teams(() => ({ status: 200, body: "1", delayMs: 2_000 }));
    const slow = await failure(sendTeamsCard(approvalCard(), config, { timeoutMs: 150 }));
    expect(slow.code).toBe("CHANNEL_DELIVERY_FAILED");
    expect(slow.extra.vendor_status).toBeNull();
  });

  it("refuses a webhook URL that is not http(s)", async () => {
    expect((await failure(sendTeamsCard(approvalCard(), { webhook_url: "" }))).code).toBe("CHANNEL_NOT_CONFIGURED");
    expect((await failure(sendTeamsCard(approvalCard(), { webhook_url: "file:///etc/passwd" }))).code).toBe("CHANNEL_NOT_CONFIGURED");
  });
});
