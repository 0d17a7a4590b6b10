import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { peekApprovalId } from "./callback.peek.js";
import { verifySlackInteraction } from "./slack.callback.js";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const NOW = new Date("2030-01-01T11:00:00Z");
const TS = String(NOW.getTime() / 1000);

function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

function interaction(overrides: Record<string, unknown> = {}, action: Record<string, unknown> = {}): string {
  const payload = {
    type: "block_actions",
    user: { id: "U1ANN", username: "ann", name: "ann", team_id: "T1" },
    team: { id: "T1", domain: "acme" },
    channel: { id: "C1", name: "approvals" },
    container: { type: "message", message_ts: "1700000000.000100", channel_id: "C1" },
    actions: [{ type: "button", block_id: "clawea_approval", action_id: "clawea_approve_scope", value: "apr_01J9Z3", action_ts: "1700000001.1", ...action }],
    ...overrides,
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

function request(body: string, { secret = SECRET, timestamp = TS, signature }: { secret?: string; timestamp?: string; signature?: string } = {}) {
  return {
    headers: { "x-slack-request-timestamp": timestamp, "x-slack-signature": signature ?? sign(secret, timestamp, body), "content-type": "application/x-www-form-urlencoded" },
    rawBody: body,
    signingSecret: SECRET,
    now: NOW,
  };
}

describe("verifySlackInteraction", () => {
  it("turns a signed press of a clawea button into a decision", () => {
    const body = interaction();
    const result = verifySlackInteraction(request(body));
    expect(result).toEqual({
      ok: true,
      decision: {
        approval_id: "apr_01J9Z3",
        decision: "approve_scope",
        channel: "slack",
        actor: { id: "U1ANN", display: "ann" },
        replay_key: `slack:${TS}:${sign(SECRET, TS, body)}`,
      },
      origin: { team_id: "T1", channel_id: "C1", message_ts: "1700000000.000100" },
    });
  });

  it.each([
    ["clawea_approve_once", "approve_once"],
    ["clawea_approve_scope", "approve_scope"],
    ["clawea_deny", "deny"],
  ])("maps %s to %s", (actionId, decision) => {
    const result = verifySlackInteraction(request(interaction({}, { action_id: actionId })));
    expect(result.ok && result.decision.decision).toBe(decision);
  });

  it("reads the headers whatever their case, and bytes as well as text", () => {
    const body = interaction();
    const { headers, ...rest } = request(body);
    const upper = { "X-Slack-Request-Timestamp": headers["x-slack-request-timestamp"], "X-Slack-Signature": headers["x-slack-signature"] };
    expect(verifySlackInteraction({ ...rest, headers: upper, rawBody: Buffer.from(body) }).ok).toBe(true);
  });

  it.each([
    ["a forged signature", (body: string) => request(body, { signature: `v0=${"ab".repeat(32)}` })],
    ["another secret", (body: string) => request(body, { secret: "not-the-signing-secret" })],
    ["a tampered body", (body: string) => ({ ...request(body), rawBody: body.replace("apr_01J9Z3", "apr_OTHER") })],
    ["a moved timestamp", (body: string) => ({ ...request(body), headers: { ...request(body).headers, "x-slack-request-timestamp": String(Number(TS) + 1) } })],
    ["no signature", (body: string) => ({ ...request(body), headers: { "x-slack-request-timestamp": TS } })],
    ["no timestamp", (body: string) => ({ ...request(body), headers: { "x-slack-signature": sign(SECRET, TS, body) } })],
    ["an upper-case signature", (body: string) => request(body, { signature: sign(SECRET, TS, body).toUpperCase() })],
    ["a truncated signature", (body: string) => request(body, { signature: sign(SECRET, TS, body).slice(0, 40) })],
    ["a repeated signature header", (body: string) => ({ ...request(body), headers: { ...request(body).headers, "x-slack-signature": [sign(SECRET, TS, body), sign(SECRET, TS, body)] } })],
    ["no signing secret configured", (body: string) => ({ ...request(body, { secret: "" }), signingSecret: "" })],
  ])("refuses %s as CHANNEL_SIGNATURE_INVALID", (_name, build) => {
    expect(verifySlackInteraction(build(interaction()))).toMatchObject({ ok: false, ignored: false, reason_code: "CHANNEL_SIGNATURE_INVALID" });
  });

  it("refuses a correctly signed request more than five minutes old or ahead", () => {
    for (const offset of [-301, 301, -3600]) {
      const timestamp = String(Number(TS) + offset);
      expect(verifySlackInteraction(request(interaction(), { timestamp }))).toMatchObject({ ok: false, reason_code: "CHANNEL_REQUEST_STALE" });
    }
    expect(verifySlackInteraction(request(interaction(), { timestamp: String(Number(TS) - 300) })).ok).toBe(true);
  });

  it.each([
    ["a body with no payload", "foo=bar"],
    ["a payload that is not JSON", "payload=%7Bnot-json"],
    ["a payload that is not an object", `payload=${encodeURIComponent("[1]")}`],
    ["a press with no user", interaction({ user: undefined })],
    ["a button with no value", interaction({}, { value: "" })],
    ["a clawea action id this version does not know", interaction({}, { action_id: "clawea_approve_forever" })],
  ])("refuses %s as CHANNEL_PAYLOAD_INVALID", (_name, body) => {
    expect(verifySlackInteraction(request(body))).toMatchObject({ ok: false, ignored: false, reason_code: "CHANNEL_PAYLOAD_INVALID" });
  });

  it.each([
    ["another app's button", interaction({}, { action_id: "open_dashboard" })],
    ["a modal submission", interaction({ type: "view_submission", actions: undefined })],
    ["a shortcut", interaction({ type: "shortcut", actions: undefined })],
  ])("ignores %s", (_name, body) => {
    expect(verifySlackInteraction(request(body))).toMatchObject({ ok: false, ignored: true });
  });

  it("keys replays by delivery: the same request twice gives the same key, a new delivery another", () => {
    const body = interaction();
    const first = verifySlackInteraction(request(body));
    const again = verifySlackInteraction(request(body));
    const later = verifySlackInteraction({ ...request(body, { timestamp: String(Number(TS) + 1) }), now: NOW });
    expect(first.ok && again.ok && later.ok).toBe(true);
    if (!first.ok || !again.ok || !later.ok) return;
    expect(again.decision.replay_key).toBe(first.decision.replay_key);
    expect(later.decision.replay_key).not.toBe(first.decision.replay_key);
  });

  it("peeks the approval id of an unverified press, and nothing from other bodies", () => {
    expect(peekApprovalId("slack", interaction())).toBe("apr_01J9Z3");
    expect(peekApprovalId("slack", interaction({}, { action_id: "open_dashboard" }))).toBeNull();
    expect(peekApprovalId("slack", "payload=%7B")).toBeNull();
  });
});
