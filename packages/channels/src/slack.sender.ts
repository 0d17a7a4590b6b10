/**
 * Posting the card to Slack with the official Web API client, and replacing its buttons with the
 * outcome once decided. The client never retries on its own: the caller's job queue does, guided by
 * the reason code (retryable or not) each failure is thrown as.
 */
import { ReasonError } from "@clawea/protocol";
import { LogLevel, WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, WebClient } from "@slack/web-api";
import type { ApprovalCard, CardOutcome } from "./card.model.js";
import { DEFAULT_TIMEOUT_MS, type SenderDeps, type SlackSendConfig } from "./config.model.js";
import { deliveryCodeFor, deliveryError, notConfigured, retryAfterSeconds, transportDetail } from "./delivery.errors.js";
import { slackBlocks, slackFallbackText, slackOutcomeBlocks, slackOutcomeFallbackText } from "./slack.card.js";

export const SLACK_API_URL = "https://slack.com/api/";

/** Where the card is: enough to update it. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

/** Slack `error` names that say "try again", not "your configuration is wrong". */
const TRANSIENT_PLATFORM_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"]);

function client(config: Pick<SlackSendConfig, "bot_token" | "api_url">, deps: SenderDeps): WebClient {
  return new WebClient(config.bot_token, {
    slackApiUrl: config.api_url ?? SLACK_API_URL,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logLevel: LogLevel.ERROR,
  });
}

function slackFailure(method: string, error: unknown): ReasonError {
  if (error instanceof ReasonError) return error;
  if (error instanceof WebAPIRateLimitedError) {
    return deliveryError("slack", "CHANNEL_RATE_LIMITED", 429, `${method}: rate limited`, { retry_after_seconds: error.retryAfter });
  }
  if (error instanceof WebAPIPlatformError) {
    const name = error.data.error;
    const code = name === "ratelimited" ? "CHANNEL_RATE_LIMITED" : TRANSIENT_PLATFORM_ERRORS.has(name) ? "CHANNEL_DELIVERY_FAILED" : "CHANNEL_DELIVERY_REJECTED";
    return deliveryError("slack", code, 200, `${method}: ${name}`, { vendor_error: name });
  }
  if (error instanceof WebAPIHTTPError) {
    const retryAfter = retryAfterSeconds(error.headers["retry-after"]);
    return deliveryError("slack", deliveryCodeFor(error.statusCode), error.statusCode, `${method}: HTTP ${error.statusCode}`, retryAfter === undefined ? {} : { retry_after_seconds: retryAfter });
  }
  if (error instanceof WebAPIRequestError) return deliveryError("slack", "CHANNEL_DELIVERY_FAILED", null, `${method}: ${transportDetail(error.original)}`);
  // Anything else the client throws (a 429 without a usable Retry-After, among others) is worth another try.
  return deliveryError("slack", "CHANNEL_DELIVERY_FAILED", null, `${method}: unexpected failure`);
}

function messageRef(method: string, result: { channel?: unknown; ts?: unknown }): SlackMessageRef {
  if (typeof result.channel !== "string" || typeof result.ts !== "string") {
    throw deliveryError("slack", "CHANNEL_DELIVERY_FAILED", 200, `${method}: the answer has no channel and ts`);
  }
  return { channel: result.channel, ts: result.ts };
}

function checkConfig(config: Pick<SlackSendConfig, "bot_token">): void {
  if (config.bot_token === "") throw notConfigured("slack", "no bot token");
}

/** `chat.postMessage` of the card. Throws a ReasonError (CHANNEL_*) on failure. */
export async function sendSlackCard(card: ApprovalCard, config: SlackSendConfig, deps: SenderDeps = {}): Promise<SlackMessageRef> {
  checkConfig(config);
  if (config.channel === "") throw notConfigured("slack", "no channel");
  try {
    const result = await client(config, deps).chat.postMessage({
      channel: config.channel,
      text: slackFallbackText(card),
      blocks: slackBlocks(card),
      unfurl_links: false,
      unfurl_media: false,
    });
    return messageRef("chat.postMessage", result);
  } catch (error) {
    throw slackFailure("chat.postMessage", error);
  }
}

/** `chat.update` of a posted card: the same summary, the outcome where the buttons were. */
export async function updateSlackCard(
  ref: SlackMessageRef,
  card: ApprovalCard,
  outcome: CardOutcome,
  config: Pick<SlackSendConfig, "bot_token" | "api_url">,
  deps: SenderDeps = {},
): Promise<SlackMessageRef> {
  checkConfig(config);
  try {
    const result = await client(config, deps).chat.update({
      channel: ref.channel,
      ts: ref.ts,
      text: slackOutcomeFallbackText(card, outcome),
      blocks: slackOutcomeBlocks(card, outcome),
    });
    return messageRef("chat.update", result);
  } catch (error) {
    throw slackFailure("chat.update", error);
  }
}
