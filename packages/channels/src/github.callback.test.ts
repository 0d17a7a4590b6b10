import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { peekApprovalId } from "./callback.peek.js";
import { verifyGithubWebhook } from "./github.callback.js";

const SECRET = "It's a Secret to Everybody";
const DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

function event(overrides: Record<string, unknown> = {}, checkRun: Record<string, unknown> = {}): string {
  return JSON.stringify({
    action: "requested_action",
    check_run: { id: 7, name: "clawea approval", external_id: "apr_01J9Z3", head_sha: "a".repeat(40), status: "completed", conclusion: "action_required", ...checkRun },
    requested_action: { identifier: "approve_once" },
    repository: { id: 1, full_name: "acme/sdk" },
    installation: { id: 42 },
    sender: { login: "octocat", id: 1 },
    ...overrides,
  });
}

function request(body: string, { secret = SECRET, name = "check_run", signature }: { secret?: string; name?: string; signature?: string } = {}) {
  return {
    headers: { "x-github-event": name, "x-github-delivery": DELIVERY, "x-hub-signature-256": signature ?? sign(secret, body), "content-type": "application/json" },
    rawBody: body,
    secret: SECRET,
  };
}

describe("verifyGithubWebhook", () => {
  it("turns a signed requested_action on the clawea check run into a decision", async () => {
    await expect(verifyGithubWebhook(request(event()))).resolves.toEqual({
      ok: true,
      decision: { approval_id: "apr_01J9Z3", decision: "approve_once", channel: "github", actor: { id: "octocat", display: "octocat" }, replay_key: `github:${DELIVERY}` },
      origin: { repository: "acme/sdk", installation_id: 42, check_run_id: 7 },
    });
  });

  it.each(["approve_once", "approve_scope", "deny"])("accepts the %s button, from bytes as well", async (identifier) => {
    const body = event({ requested_action: { identifier } });
    const result = await verifyGithubWebhook({ ...request(body), rawBody: new TextEncoder().encode(body) });
    expect(result.ok && result.decision.decision).toBe(identifier);
  });

  it.each([
    ["a forged signature", (body: string) => request(body, { signature: `sha256=${"0".repeat(64)}` })],
    ["another secret", (body: string) => request(body, { secret: "not it" })],
    ["a tampered body", (body: string) => ({ ...request(body), rawBody: body.replace("approve_once", "approve_scope") })],
    ["no signature", (body: string) => ({ ...request(body), headers: { "x-github-event": "check_run", "x-github-delivery": DELIVERY } })],
    ["a SHA-1 signature", (body: string) => request(body, { signature: `sha1=${"0".repeat(40)}` })],
    ["no secret configured", (body: string) => ({ ...request(body, { secret: "" }), secret: "" })],
  ])("refuses %s as CHANNEL_SIGNATURE_INVALID", async (_name, build) => {
    await expect(verifyGithubWebhook(build(event()))).resolves.toMatchObject({ ok: false, ignored: false, reason_code: "CHANNEL_SIGNATURE_INVALID" });
  });

  it.each([
    ["a body that is not JSON", "{nope"],
    ["an unknown button", event({ requested_action: { identifier: "merge_now" } })],
    ["no requested action", event({ requested_action: undefined })],
    ["a check run without an approval id", event({}, { external_id: "" })],
    ["no sender", event({ sender: undefined })],
  ])("refuses %s as CHANNEL_PAYLOAD_INVALID", async (_name, body) => {
    await expect(verifyGithubWebhook(request(body))).resolves.toMatchObject({ ok: false, ignored: false, reason_code: "CHANNEL_PAYLOAD_INVALID" });
  });

  it("refuses a delivery without a delivery id, since replays are keyed by it", async () => {
    const body = event();
    const { headers, ...rest } = request(body);
    await expect(verifyGithubWebhook({ ...rest, headers: { ...headers, "x-github-delivery": "" } })).resolves.toMatchObject({ reason_code: "CHANNEL_PAYLOAD_INVALID" });
  });

  it.each([
    ["a ping", event({ zen: "Keep it logically awesome." }), "ping"],
    ["a push", event(), "push"],
    ["a check run being created", event({ action: "created" }), "check_run"],
    ["another app's check run", event({}, { name: "ci" }), "check_run"],
  ])("ignores %s", async (_name, body, name) => {
    await expect(verifyGithubWebhook(request(body, { name }))).resolves.toMatchObject({ ok: false, ignored: true });
  });

  it("keys replays by the delivery id", async () => {
    const body = event();
    const first = await verifyGithubWebhook(request(body));
    const again = await verifyGithubWebhook(request(body));
    const other = await verifyGithubWebhook({ ...request(body), headers: { ...request(body).headers, "x-github-delivery": "another-delivery" } });
    expect(first.ok && again.ok && other.ok).toBe(true);
    if (!first.ok || !again.ok || !other.ok) return;
    expect(again.decision.replay_key).toBe(first.decision.replay_key);
    expect(other.decision.replay_key).toBe("github:another-delivery");
  });

  it("peeks the approval id of an unverified delivery", () => {
    expect(peekApprovalId("github", event())).toBe("apr_01J9Z3");
    expect(peekApprovalId("github", "{}")).toBeNull();
  });
});
