/**
 * How a failed send becomes a reason code: 429 is rate limiting, 5xx/408 and transport failures can be
 * retried, any other 4xx is the vendor refusing the tenant's configuration. Senders throw the result.
 */
import { ReasonError } from "@clawea/protocol";
import type { ChannelName } from "./card.model.js";

export type DeliveryReasonCode = "CHANNEL_DELIVERY_FAILED" | "CHANNEL_RATE_LIMITED" | "CHANNEL_DELIVERY_REJECTED" | "CHANNEL_NOT_CONFIGURED";

export interface DeliveryErrorExtra {
  channel: ChannelName;
  /** The vendor's HTTP status; null when no answer came (refused, reset, timed out). */
  vendor_status: number | null;
  /** From the vendor's Retry-After, when it sent one. */
  retry_after_seconds?: number;
  /** The vendor's own error name (Slack `error`, GitHub `message`), never a credential. */
  vendor_error?: string;
}

export function deliveryCodeFor(status: number | null): Exclude<DeliveryReasonCode, "CHANNEL_NOT_CONFIGURED"> {
  if (status === null || status >= 500 || status === 408) return "CHANNEL_DELIVERY_FAILED";
  if (status === 429) return "CHANNEL_RATE_LIMITED";
  // A redirect is refused, not followed: the configured URL is wrong, and following it would send the card elsewhere.
  if (status >= 300) return "CHANNEL_DELIVERY_REJECTED";
  // A 2xx that is still a failure (an answer without what we need).
  return "CHANNEL_DELIVERY_FAILED";
}

export function deliveryError(
  channel: ChannelName,
  code: Exclude<DeliveryReasonCode, "CHANNEL_NOT_CONFIGURED">,
  status: number | null,
  detail: string,
  more: Omit<DeliveryErrorExtra, "channel" | "vendor_status"> = {},
): ReasonError {
  const extra: DeliveryErrorExtra = { channel, vendor_status: status, ...more };
  return new ReasonError(code, `${channel}: ${detail}`, { ...extra });
}

export function notConfigured(channel: ChannelName, detail: string): ReasonError {
  const extra: DeliveryErrorExtra = { channel, vendor_status: null };
  return new ReasonError("CHANNEL_NOT_CONFIGURED", `${channel}: ${detail}`, { ...extra });
}

/** Seconds from a Retry-After header holding a number of seconds (the form Slack, Teams and GitHub send). */
export function retryAfterSeconds(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,6}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** A transport failure's own words (refused, reset, timeout) without the URL, which for Teams is the credential. */
export function transportDetail(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code ?? (error as { code?: unknown } | null)?.code;
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof code === "string") return `no answer (${code})`;
  if (name === "TimeoutError" || name === "AbortError") return "no answer in time";
  return "no answer";
}
