/** The answer of every callback verifier, and reading the request parts they are given. */
import type { ReasonCode } from "@clawea/protocol";
import type { ChannelDecision } from "./card.model.js";

export type CallbackReasonCode = Extract<ReasonCode, "CHANNEL_SIGNATURE_INVALID" | "CHANNEL_REQUEST_STALE" | "CHANNEL_PAYLOAD_INVALID">;

/**
 * A verified decision, an authentic callback that is not a clawea decision (acknowledge it with a 2xx
 * and do nothing), or a refusal (answer 400 with the reason code). `origin` says where the click came
 * from, so the caller can check it against the tenant's configuration.
 */
export type CallbackResult<Origin> =
  | { ok: true; decision: ChannelDecision; origin: Origin }
  | { ok: false; ignored: true; detail: string }
  | { ok: false; ignored: false; reason_code: CallbackReasonCode; detail: string };

/** Node's `IncomingMessage.headers` (and Fastify's `request.headers`): lower-case names. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A header sent exactly once, looked up case-insensitively; a repeated one counts as absent. */
export function header(headers: RequestHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    if (typeof value === "string") return value;
    return value?.length === 1 ? value[0] : undefined;
  }
  return undefined;
}

export function rawBytes(rawBody: string | Uint8Array): Uint8Array {
  return typeof rawBody === "string" ? new TextEncoder().encode(rawBody) : rawBody;
}

/** The body as text, or null when it is not UTF-8 (no vendor sends that). */
export function rawText(rawBody: string | Uint8Array): string | null {
  if (typeof rawBody === "string") return rawBody;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(rawBody);
  } catch {
    return null;
  }
}

export function refuse(reason_code: CallbackReasonCode, detail: string): { ok: false; ignored: false; reason_code: CallbackReasonCode; detail: string } {
  return { ok: false, ignored: false, reason_code, detail };
}

export function ignore(detail: string): { ok: false; ignored: true; detail: string } {
  return { ok: false, ignored: true, detail };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function nonEmptyString(value: unknown, maxLength: number): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= maxLength;
}

/** Callbacks older or newer than this are refused even when signed: a captured request cannot be replayed later. */
export const CALLBACK_MAX_SKEW_SECONDS = 300;
