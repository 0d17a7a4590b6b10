/** Errors as data: every failure leaves as application/problem+json with a stable reason code. */
import { REASON_CODES, type ReasonCode } from "@clawea/protocol";
import { Type } from "@sinclair/typebox";

/** Thrown by services and hooks; the error handler renders it as problem+json. */
export { ReasonError as ApiError } from "@clawea/protocol";

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    reason_code: Type.String(),
    retryable: Type.Boolean(),
    request_id: Type.String(),
  },
  { $id: "Problem", additionalProperties: true, description: "RFC 9457 problem details with clawea's reason code." },
);

export function problemBody(code: ReasonCode, detail: string, requestId: string, extra: Record<string, unknown> = {}) {
  const spec = REASON_CODES[code];
  return {
    type: `https://clawea.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: spec.message,
    status: spec.status,
    detail,
    reason_code: code,
    retryable: spec.retryable,
    request_id: requestId,
    ...extra,
  };
}

/** Response schemas for the error statuses a route can answer, for the OpenAPI document. */
export function problemResponses(...statuses: number[]): Record<number, { $ref: string }> {
  return Object.fromEntries([400, 401, 403, ...statuses].map((status) => [status, { $ref: "Problem#" }]));
}
