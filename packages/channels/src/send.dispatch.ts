/** One approval card to every channel a tenant configured, each independently: one failing stops no other. */
import { REASON_CODES, ReasonError, type ReasonCode } from "@clawea/protocol";
import { CHANNELS, type ApprovalCard, type ChannelName } from "./card.model.js";
import type { ResolvedChannelConfig, SenderDeps } from "./config.model.js";
import { notConfigured } from "./delivery.errors.js";
import { sendGithubCheckRun, type GithubCheckRunRef } from "./github.sender.js";
import { sendSlackCard, type SlackMessageRef } from "./slack.sender.js";
import { sendTeamsCard, type TeamsDeliveryRef } from "./teams.sender.js";

export interface ChannelSendFailure {
  channel: ChannelName;
  ok: false;
  reason_code: ReasonCode;
  retryable: boolean;
  detail: string;
  retry_after_seconds?: number;
}

export type ChannelSendResult =
  | { channel: "slack"; ok: true; external_ref: SlackMessageRef }
  | { channel: "teams"; ok: true; external_ref: TeamsDeliveryRef }
  | { channel: "github"; ok: true; external_ref: GithubCheckRunRef }
  | ChannelSendFailure;

export interface SendApprovalCardOptions {
  /**
   * Only these channels, e.g. to retry the ones that failed: Slack and Teams posts are not idempotent,
   * so resending to a channel that succeeded posts a second card. A listed channel that is not
   * configured fails with CHANNEL_NOT_CONFIGURED.
   */
  channels?: readonly ChannelName[];
}

function failure(channel: ChannelName, error: unknown): ChannelSendFailure {
  if (error instanceof ReasonError) {
    const retryAfter = error.extra.retry_after_seconds;
    return {
      channel,
      ok: false,
      reason_code: error.code,
      retryable: REASON_CODES[error.code].retryable,
      detail: error.message,
      ...(typeof retryAfter === "number" ? { retry_after_seconds: retryAfter } : {}),
    };
  }
  // A bug rather than a vendor's answer; its message is not passed on (it could hold a webhook URL).
  const name = error instanceof Error ? error.name : typeof error;
  return { channel, ok: false, reason_code: "INTERNAL_ERROR", retryable: REASON_CODES.INTERNAL_ERROR.retryable, detail: `${channel}: unexpected ${name}` };
}

async function sendOne(channel: ChannelName, card: ApprovalCard, config: ResolvedChannelConfig, deps: SenderDeps): Promise<ChannelSendResult> {
  try {
    switch (channel) {
      case "slack":
        if (config.slack === undefined) throw notConfigured("slack", "not configured for this tenant");
        return { channel, ok: true, external_ref: await sendSlackCard(card, config.slack, deps) };
      case "teams":
        if (config.teams === undefined) throw notConfigured("teams", "not configured for this tenant");
        return { channel, ok: true, external_ref: await sendTeamsCard(card, config.teams, deps) };
      case "github":
        if (config.github === undefined) throw notConfigured("github", "not configured for this tenant");
        return { channel, ok: true, external_ref: await sendGithubCheckRun(card, config.github, deps) };
    }
  } catch (error) {
    return failure(channel, error);
  }
}

/**
 * Sends to every configured channel at once and answers one result per channel, in the order slack,
 * teams, github; never throws. No channel configured: an empty list (the caller decides whether
 * that is CHANNEL_NOT_CONFIGURED for the approval as a whole).
 */
export async function sendApprovalCard(
  card: ApprovalCard,
  config: ResolvedChannelConfig,
  deps: SenderDeps = {},
  options: SendApprovalCardOptions = {},
): Promise<ChannelSendResult[]> {
  const wanted = options.channels === undefined ? CHANNELS.filter((c) => config[c] !== undefined) : CHANNELS.filter((c) => options.channels!.includes(c));
  return Promise.all(wanted.map((channel) => sendOne(channel, card, config, deps)));
}
