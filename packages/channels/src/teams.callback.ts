/**
 * Verifying a Teams card-action callback and reading the decision in it. Teams itself only signs
 * outgoing-webhook calls, and those cannot carry card actions; card actions reach the bot that posted
 * the card. So the tenant's relay (bot or workflow) forwards the activity, signed the way Teams signs
 * outgoing webhooks: `Authorization: HMAC base64(HMAC-SHA256(base64-decoded secret, raw body))`.
 * Pure: headers, raw body, the secret and the time come in as arguments.
 */
import { DECISION_KINDS, isDecisionKind } from "./card.model.js";
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
import { constantTimeEqual, hmacSha256, sha256B64u } from "./hmac.crypto.js";
import { TEAMS_REASON_INPUT_ID, TEAMS_REASON_MAX_LENGTH } from "./teams.card.js";

export interface TeamsCallbackInput {
  headers: RequestHeaders;
  /** Exactly the bytes received. */
  rawBody: string | Uint8Array;
  /** The base64 key, as Teams shows an outgoing webhook's security token. */
  hmacSecret: string;
  now: Date;
}

export interface TeamsOrigin {
  conversation_id: string | null;
  /** The Microsoft Entra tenant of the user who pressed. */
  aad_tenant_id: string | null;
  /** The card's message. */
  reply_to_id: string | null;
}

const AUTH_RE = /^HMAC ([A-Za-z0-9+/]{43}=)$/;
const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function str(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

export function teamsActivity(rawBody: string | Uint8Array): Record<string, unknown> | null {
  const text = rawText(rawBody);
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The submitted data: `value` of an Action.Submit message, `value.action.data` of an Action.Execute invoke. */
export function teamsActionData(activity: Record<string, unknown>): Record<string, unknown> | null {
  if (activity.type === "message" && isRecord(activity.value)) return activity.value;
  if (activity.type === "invoke" && activity.name === "adaptiveCard/action" && isRecord(activity.value)) {
    const action = activity.value.action;
    if (isRecord(action) && isRecord(action.data)) return action.data;
  }
  return null;
}

/**
 * Checks the HMAC, then that the activity's own `timestamp` (inside the signed body) is within five
 * minutes of `now`: the signature has no time of its own, and without this a captured callback would
 * stay valid forever. Activities that carry no clawea data (a plain message, another card) are ignored.
 */
export function verifyTeamsCallback(input: TeamsCallbackInput): CallbackResult<TeamsOrigin> {
  if (input.hmacSecret === "" || !BASE64_RE.test(input.hmacSecret)) return refuse("CHANNEL_SIGNATURE_INVALID", "no usable base64 HMAC secret to verify with");
  const auth = AUTH_RE.exec(header(input.headers, "authorization") ?? "");
  if (auth === null) return refuse("CHANNEL_SIGNATURE_INVALID", "Authorization: HMAC <base64 SHA-256 MAC> is required");
  const expected = hmacSha256(Buffer.from(input.hmacSecret, "base64"), rawBytes(input.rawBody));
  if (!constantTimeEqual(expected, Buffer.from(auth[1]!, "base64"))) return refuse("CHANNEL_SIGNATURE_INVALID", "the signature does not verify");

  const activity = teamsActivity(input.rawBody);
  if (activity === null) return refuse("CHANNEL_PAYLOAD_INVALID", "the body is not a JSON activity");
  const sent = typeof activity.timestamp === "string" ? Date.parse(activity.timestamp) : Number.NaN;
  if (Number.isNaN(sent)) return refuse("CHANNEL_PAYLOAD_INVALID", "the activity has no timestamp");
  if (Math.abs(input.now.getTime() - sent) > CALLBACK_MAX_SKEW_SECONDS * 1000) return refuse("CHANNEL_REQUEST_STALE", "the activity timestamp is more than five minutes from now");

  const data = teamsActionData(activity);
  if (data === null || (data.clawea_approval_id === undefined && data.decision === undefined)) return ignore("not a clawea card action");
  if (!nonEmptyString(data.clawea_approval_id, 255)) return refuse("CHANNEL_PAYLOAD_INVALID", "the action carries no approval id");
  if (!isDecisionKind(data.decision)) return refuse("CHANNEL_PAYLOAD_INVALID", `decision must be one of ${DECISION_KINDS.join(", ")}`);
  if (!nonEmptyString(activity.id, 256)) return refuse("CHANNEL_PAYLOAD_INVALID", "the activity has no id");
  const from = isRecord(activity.from) ? activity.from : {};
  if (!nonEmptyString(from.id, 256)) return refuse("CHANNEL_PAYLOAD_INVALID", "the activity names no user");
  const rawReason = data[TEAMS_REASON_INPUT_ID];
  if (rawReason !== undefined && typeof rawReason !== "string") return refuse("CHANNEL_PAYLOAD_INVALID", "reason must be text");
  const reason = rawReason?.trim() ?? "";
  if (reason.length > TEAMS_REASON_MAX_LENGTH) return refuse("CHANNEL_PAYLOAD_INVALID", `reason is longer than ${TEAMS_REASON_MAX_LENGTH} characters`);

  const conversation = isRecord(activity.conversation) ? activity.conversation : {};
  const channelData = isRecord(activity.channelData) ? activity.channelData : {};
  const tenant = isRecord(channelData.tenant) ? channelData.tenant : {};
  const conversationId = str(conversation.id);
  const display = str(from.name);
  return {
    ok: true,
    decision: {
      approval_id: data.clawea_approval_id,
      decision: data.decision,
      channel: "teams",
      actor: display === null ? { id: from.id } : { id: from.id, display },
      ...(reason === "" ? {} : { reason }),
      // Teams message ids are per conversation (often a millisecond timestamp), so the conversation is part of the key.
      replay_key: `teams:${sha256B64u(`${conversationId ?? ""}\n${activity.id}`)}`,
    },
    origin: { conversation_id: conversationId, aad_tenant_id: str(tenant.id) ?? str(conversation.tenantId), reply_to_id: str(activity.replyToId) },
  };
}
