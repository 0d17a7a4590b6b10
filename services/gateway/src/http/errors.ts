/**
 * Gateway denials: deterministic status + JSON body with a reason code. The body is shaped so the
 * OpenAI and Anthropic SDKs an agent runs surface the code (`error.code` / `error.type`), and it
 * never uses 401/403 for a policy "no" (see the reason-code registry's statuses).
 */
import { REASON_CODES, type ReasonCode } from "@clawea/protocol";

/** Thrown by routes and services; the error handler renders it with `errorBody`. */
export { ReasonError as GatewayError } from "@clawea/protocol";

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
