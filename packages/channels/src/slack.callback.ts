/**
 * Verifying a Slack interactivity callback (v0 request signing) and reading the button press in it.
 * Pure: headers, raw body, the signing secret and the time come in as arguments.
 */
import { BUTTONS, DECISION_KINDS, type DecisionKind } from "./card.model.js";
import {
  CALLBACK_MAX_SKEW_SECONDS,
  header,
  ignore,
  isRecord,
  nonEmptyString,
  rawBytes,
  rawText,
  refuse,
  type CallbackResult,
  type RequestHeaders,
} from "./callback.model.js";
import { constantTimeEqual, hmacSha256 } from "./hmac.crypto.js";

export interface SlackInteractionInput {
  headers: RequestHeaders;
  /** Exactly the bytes received: the signature covers them, not a re-serialisation. */
  rawBody: string | Uint8Array;
  signingSecret: string;
  now: Date;
}

/** Where the press came from, for the caller to check against the tenant's Slack configuration. */
export interface SlackOrigin {
  team_id: string | null;
  channel_id: string | null;
  /** The card's message, to update it (`updateSlackCard`). */
  message_ts: string | null;
}

const SIGNATURE_RE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP_RE = /^\d{1,12}$/;
const ACTION_TO_DECISION = new Map<string, DecisionKind>(DECISION_KINDS.map((d) => [BUTTONS[d].slack_action_id, d]));

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The `payload=` JSON of an interaction, unauthenticated. */
export function slackInteractionPayload(rawBody: string | Uint8Array): Record<string, unknown> | null {
  const text = rawText(rawBody);
  if (text === null) return null;
  const payload = new URLSearchParams(text).get("payload");
  if (payload === null) return null;
  try {
    const parsed: unknown = JSON.parse(payload);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The first clawea button in a `block_actions` payload, or why there is none. */
export function slackClaweaAction(payload: Record<string, unknown>): { action: Record<string, unknown>; decision: DecisionKind } | "not_ours" | "unknown" {
  if (payload.type !== "block_actions" || !Array.isArray(payload.actions)) return "not_ours";
  const actions = payload.actions.filter(isRecord);
  for (const action of actions) {
    const decision = typeof action.action_id === "string" ? ACTION_TO_DECISION.get(action.action_id) : undefined;
    if (decision !== undefined) return { action, decision };
  }
  return actions.some((a) => typeof a.action_id === "string" && a.action_id.startsWith("clawea_")) ? "unknown" : "not_ours";
}

/**
 * `X-Slack-Signature` must be `v0=` + hex HMAC-SHA256(signing secret, `v0:{timestamp}:{body}`), and
 * `X-Slack-Request-Timestamp` within five minutes of `now`. Interactions other than a press of a clawea
 * button (other blocks, shortcuts, modals) are authentic but ignored.
 */
export function verifySlackInteraction(input: SlackInteractionInput): CallbackResult<SlackOrigin> {
  const timestamp = header(input.headers, "x-slack-request-timestamp");
  const signature = header(input.headers, "x-slack-signature");
  if (input.signingSecret === "") return refuse("CHANNEL_SIGNATURE_INVALID", "no signing secret to verify with");
  if (timestamp === undefined || signature === undefined) return refuse("CHANNEL_SIGNATURE_INVALID", "X-Slack-Signature and X-Slack-Request-Timestamp are required");
  if (!TIMESTAMP_RE.test(timestamp) || !SIGNATURE_RE.test(signature)) return refuse("CHANNEL_SIGNATURE_INVALID", "the signature or timestamp is malformed");
  const expected = hmacSha256(input.signingSecret, `v0:${timestamp}:`, rawBytes(input.rawBody));
  if (!constantTimeEqual(expected, Buffer.from(signature.slice(3), "hex"))) return refuse("CHANNEL_SIGNATURE_INVALID", "the signature does not verify");
  if (Math.abs(input.now.getTime() / 1000 - Number(timestamp)) > CALLBACK_MAX_SKEW_SECONDS) {
    return refuse("CHANNEL_REQUEST_STALE", "the request timestamp is more than five minutes from now");
  }

  const payload = slackInteractionPayload(input.rawBody);
  if (payload === null) return refuse("CHANNEL_PAYLOAD_INVALID", "the body is not a form with a JSON payload");
  const found = slackClaweaAction(payload);
  if (found === "not_ours") return ignore(`not a clawea button press (${typeof payload.type === "string" ? payload.type.slice(0, 40) : "no type"})`);
  if (found === "unknown") return refuse("CHANNEL_PAYLOAD_INVALID", "a clawea action id this version does not know");
  const { action, decision } = found;
  if (!nonEmptyString(action.value, 255)) return refuse("CHANNEL_PAYLOAD_INVALID", "the button carries no approval id");
  const user = isRecord(payload.user) ? payload.user : {};
  if (!nonEmptyString(user.id, 64)) return refuse("CHANNEL_PAYLOAD_INVALID", "the interaction names no user");
  const display = str(user.name) ?? str(user.username);

  const team = isRecord(payload.team) ? payload.team : {};
  const channel = isRecord(payload.channel) ? payload.channel : {};
  const container = isRecord(payload.container) ? payload.container : {};
  const message = isRecord(payload.message) ? payload.message : {};
  return {
    ok: true,
    decision: {
      approval_id: action.value,
      decision,
      channel: "slack",
      actor: display === null ? { id: user.id } : { id: user.id, display },
      replay_key: `slack:${timestamp}:${signature}`,
    },
    origin: {
      team_id: str(team.id) ?? str(user.team_id),
      channel_id: str(channel.id) ?? str(container.channel_id),
      message_ts: str(container.message_ts) ?? str(message.ts),
    },
  };
}
