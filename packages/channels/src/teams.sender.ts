/**
 * Posting the card to a Teams incoming webhook or Workflows ("When a Teams webhook request is received")
 * URL: one HTTPS POST of JSON with Node's built-in fetch (undici). The Bot Framework SDK is not used: it
 * needs an Azure bot registration and an Entra app per tenant and brings a large dependency tree, for
 * what is here a single POST. The answer holds no message id, so a Teams card cannot be updated later.
 */
import type { ApprovalCard } from "./card.model.js";
import { DEFAULT_TIMEOUT_MS, type SenderDeps, type TeamsSendConfig } from "./config.model.js";
import { deliveryCodeFor, deliveryError, notConfigured, retryAfterSeconds, transportDetail } from "./delivery.errors.js";
import { teamsAdaptiveCard, teamsWebhookMessage } from "./teams.card.js";
import { httpUrl } from "./text.format.js";

export interface TeamsDeliveryRef {
  /** 200 from an incoming webhook, 202 from a workflow. */
  http_status: number;
}

/**
 * Office 365 connectors answer 200 even when Teams refused the message, with the real status in the
 * text ("Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 …").
 */
const WRAPPED_FAILURE_RE = /Microsoft Teams endpoint returned HTTP error (\d{3})/;

/** POSTs the card. Throws a ReasonError (CHANNEL_*) on failure; its detail never contains the webhook URL. */
export async function sendTeamsCard(card: ApprovalCard, config: TeamsSendConfig, deps: SenderDeps = {}): Promise<TeamsDeliveryRef> {
  if (httpUrl(config.webhook_url) === null) throw notConfigured("teams", "the webhook URL is not an http(s) URL");
  let response: Response;
  try {
    response = await fetch(config.webhook_url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(teamsWebhookMessage(teamsAdaptiveCard(card))),
      redirect: "manual",
      signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    throw deliveryError("teams", "CHANNEL_DELIVERY_FAILED", null, `webhook: ${transportDetail(error)}`);
  }
  const text = await response.text().catch(() => "");
  if (response.status < 200 || response.status >= 300) {
    const retryAfter = retryAfterSeconds(response.headers.get("retry-after"));
    throw deliveryError("teams", deliveryCodeFor(response.status), response.status, `webhook answered HTTP ${response.status}`, retryAfter === undefined ? {} : { retry_after_seconds: retryAfter });
  }
  const wrapped = WRAPPED_FAILURE_RE.exec(text);
  if (wrapped !== null) {
    const status = Number(wrapped[1]);
    throw deliveryError("teams", deliveryCodeFor(status), status, `webhook accepted the post but Teams answered HTTP ${status}`);
  }
  return { http_status: response.status };
}
