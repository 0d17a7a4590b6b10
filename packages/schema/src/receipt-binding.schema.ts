// Receipt binding (poh/receipt_binding.v1): ties a receipt to a run, an event and an idempotency scope.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, NonEmptyString, OpenObject, schemaId, StringEnum } from "./common.schema.js";

export const ReceiptBinding = Type.Object(
  {
    run_id: Type.Optional(NonEmptyString),
    event_hash_b64u: Type.Optional(B64u),
    nonce: Type.Optional(NonEmptyString),
    policy_hash: Type.Optional(NonEmptyString),
    token_scope_hash_b64u: Type.Optional(B64u),
    span_id: Type.Optional(NonEmptyString),
    // camelCase aliases are upstream's legacy spellings; verifiers prefer the snake_case key.
    spanId: Type.Optional(NonEmptyString),
    parent_span_id: Type.Optional(NonEmptyString),
    parentSpanId: Type.Optional(NonEmptyString),
    tool_span_id: Type.Optional(NonEmptyString),
    toolSpanId: Type.Optional(NonEmptyString),
    phase: Type.Optional(StringEnum(["setup", "planning", "reasoning", "execution", "observation", "reflection", "teardown"])),
    attribution_confidence: Type.Optional(Type.Number()),
    attributionConfidence: Type.Optional(Type.Number()),
  },
  { $id: schemaId("poh/receipt_binding.v1.json"), ...closed },
);
export type ReceiptBinding = Static<typeof ReceiptBinding>;

/** The open binding object the schemas.clawbureau.com receipts (tool v1, human approval) carry. */
export const LegacyReceiptBinding = OpenObject({
  run_id: Type.Optional(Type.String()),
  event_hash_b64u: Type.Optional(Type.String()),
  nonce: Type.Optional(Type.String()),
  policy_hash: Type.Optional(Type.String()),
  token_scope_hash_b64u: Type.Optional(Type.String()),
});
export type LegacyReceiptBinding = Static<typeof LegacyReceiptBinding>;
