/**
 * Gateway denials: deterministic status + JSON body with a reason code. The body is shaped so the
 * OpenAI and Anthropic SDKs an agent runs surface the code (`error.code` / `error.type`), and it
 * never uses 401/403 for a policy "no" (see the reason-code registry's statuses).
 */
import { REASON_CODES, type ReasonCode } from "@clawea/protocol";

export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly code: ReasonCode,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? REASON_CODES[code].message);
  }

  get status(): number {
    return REASON_CODES[this.code].status;
  }
}

export function errorBody(code: ReasonCode, detail: string, requestId: string, extra: Record<string, unknown> = {}) {
  const spec = REASON_CODES[code];
  return {
    type: "error",
    error: { type: "clawea_error", code, message: `${code}: ${detail}` },
    reason_code: code,
    retryable: spec.retryable,
    request_id: requestId,
    ...extra,
  };
}
