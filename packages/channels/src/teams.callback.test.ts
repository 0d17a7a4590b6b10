import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { peekApprovalId } from "./callback.peek.js";
import { verifyTeamsCallback } from "./teams.callback.js";

const SECRET = Buffer.from("clawea-teams-relay-key-0123456789").toString("base64");
const NOW = new Date("2030-01-01T11:00:00Z");

function sign(secretB64: string, body: string | Buffer): string {
  return `HMAC ${createHmac("sha256", Buffer.from(secretB64, "base64")).update(body).digest("base64")}`;
}

function activity(overrides: Record<string, unknown> = {}, value: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "message",
    id: "1893495600123",
    timestamp: "2030-01-01T10:59:30.123Z",
    from: { id: "29:1abc", name: "Ann Example", aadObjectId: "00000000-0000-0000-0000-000000000001" },
    conversation: { id: "19:approvals@thread.tacv2", tenantId: "tid" },
    channelData: { tenant: { id: "tid" } },
    replyToId: "1893495500000",
    value: { clawea_approval_id: "apr_01J9Z3", decision: "deny", reason: "  too risky  ", ...value },
    ...overrides,
  });
}

function request(body: string, { secret = SECRET, authorization }: { secret?: string; authorization?: string } = {}) {
  return { headers: { authorization: authorization ?? sign(secret, body) }, rawBody: body, hmacSecret: SECRET, now: NOW };
}

describe("verifyTeamsCallback", () => {
  it("turns a signed Action.Submit into a decision with its reason", () => {
    expect(verifyTeamsCallback(request(activity()))).toEqual({
      ok: true,
      decision: {
        approval_id: "apr_01J9Z3",
        decision: "deny",
        channel: "teams",
        actor: { id: "29:1abc", display: "Ann Example" },
        reason: "too risky",
        replay_key: expect.stringMatching(/^teams:[A-Za-z0-9_-]{43}$/),
      },
      origin: { conversation_id: "19:approvals@thread.tacv2", aad_tenant_id: "tid", reply_to_id: "1893495500000" },
    });
  });

  it("reads an Action.Execute invoke as well, and leaves an empty reason out", () => {
    const body = activity({
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb: "approve_once", data: { clawea_approval_id: "apr_01J9Z3", decision: "approve_once", reason: " " } }, trigger: "manual" },
    });
    const result = verifyTeamsCallback(request(body));
    expect(result).toMatchObject({ ok: true, decision: { decision: "approve_once", approval_id: "apr_01J9Z3" } });
    expect(result.ok && "reason" in result.decision).toBe(false);
  });

  it.each([
    ["a forged MAC", (body: string) => request(body, { authorization: `HMAC ${Buffer.alloc(32, 7).toString("base64")}` })],
    ["another secret", (body: string) => request(body, { secret: Buffer.from("someone-else").toString("base64") })],
    ["a tampered body", (body: string) => ({ ...request(body), rawBody: body.replace('"deny"', '"approve_scope"') })],
    ["no Authorization", (body: string) => ({ ...request(body), headers: {} })],
    ["a Bearer token", (body: string) => request(body, { authorization: "Bearer abc" })],
    ["a short MAC", (body: string) => request(body, { authorization: "HMAC abcd" })],
    ["a secret that is not base64", (body: string) => ({ ...request(body), hmacSecret: "not base64!" })],
    ["no secret configured", (body: string) => ({ ...request(body, { secret: "" }), hmacSecret: "" })],
  ])("refuses %s as CHANNEL_SIGNATURE_INVALID", (_name, build) => {
    expect(verifyTeamsCallback(build(activity()))).toMatchObject({ ok: false, ignored: false, reason_code: "CHANNEL_SIGNATURE_INVALID" });
  });

  it("refuses a signed activity whose timestamp is more than five minutes from now", () => {
    for (const timestamp of ["2030-01-01T10:54:59Z", "2030-01-01T11:05:01Z", "2029-12-31T11:00:00Z"]) {
      expect(verifyTeamsCallback(request(activity({ timestamp })))).toMatchObject({ ok: false, reason_code: "CHANNEL_REQUEST_STALE" });
    }
    expect(verifyTeamsCallback(request(activity({ timestamp: "2030-01-01T10:55:00Z" }))).ok).toBe(true);
  });

  it.each([
    ["a body that is not JSON", "{not json"],
    ["an activity with no timestamp", activity({ timestamp: undefined })],
    ["an activity with no id", activity({ id: undefined })],
    ["an activity with no user", activity({ from: undefined })],
    ["an unknown decision", activity({}, { decision: "approve_forever" })],
    ["no approval id", activity({}, { clawea_approval_id: "" })],
    ["a reason that is not text", activity({}, { reason: 42 })],
    ["a reason over 500 characters", activity({}, { reason: "x".repeat(501) })],
  ])("refuses %s as CHANNEL_PAYLOAD_INVALID", (_name, body) => {
    expect(verifyTeamsCallback(request(body))).toMatchObject({ ok: false, ignored: false, reason_code: "CHANNEL_PAYLOAD_INVALID" });
  });

  it.each([
    ["a plain message", activity({ value: undefined, text: "hello" })],
    ["another card's submit", activity({ value: { choice: "a" } })],
    ["a conversation update", activity({ type: "conversationUpdate", value: undefined })],
  ])("ignores %s", (_name, body) => {
    expect(verifyTeamsCallback(request(body))).toMatchObject({ ok: false, ignored: true });
  });

  it("keys replays by conversation and activity id", () => {
    const key = (body: string) => {
      const result = verifyTeamsCallback(request(body));
      if (!result.ok) throw new Error(`not ok: ${JSON.stringify(result)}`);
      return result.decision.replay_key;
    };
    const first = key(activity());
    expect(key(activity())).toBe(first);
    expect(key(activity({}, { decision: "approve_once" }))).toBe(first);
    expect(key(activity({ id: "1893495600124" }))).not.toBe(first);
    expect(key(activity({ conversation: { id: "19:other@thread.tacv2" } }))).not.toBe(first);
  });

  it("peeks the approval id of an unverified action", () => {
    expect(peekApprovalId("teams", activity())).toBe("apr_01J9Z3");
    expect(peekApprovalId("teams", activity({ value: undefined }))).toBeNull();
    expect(peekApprovalId("teams", "nope")).toBeNull();
  });
});
