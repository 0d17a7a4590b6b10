// Side-effect receipt (poh/side_effect_receipt.v1): hash-only evidence of an egress, file or API write.
import { Type, type Static } from "@sinclair/typebox";
import { closed, DateTime, NonEmptyString, NonNegativeNumber, OpenObject, Ref, schemaId, Sha256, StringEnum } from "./common.schema.js";
import { legacyEnvelopeFields } from "./signed-envelope.schema.js";

export const SideEffectClass = StringEnum(["network_egress", "filesystem_write", "external_api_write"]);
export type SideEffectClass = Static<typeof SideEffectClass>;

export const SideEffectReceiptPayload = Type.Object(
  {
    receipt_version: Type.Literal("1"),
    receipt_id: NonEmptyString,
    effect_class: SideEffectClass,
    target_hash_b64u: NonEmptyString,
    vendor_id: Type.Optional(Type.String()),
    request_hash_b64u: NonEmptyString,
    response_hash_b64u: NonEmptyString,
    response_status: Type.Optional(StringEnum(["success", "error", "timeout", "denied"])),
    hash_algorithm: Sha256,
    agent_did: NonEmptyString,
    timestamp: DateTime,
    latency_ms: NonNegativeNumber,
    bytes_written: Type.Optional(NonNegativeNumber),
    binding: Type.Optional(
      OpenObject({
        run_id: Type.Optional(Type.String()),
        event_hash_b64u: Type.Optional(Type.String()),
        nonce: Type.Optional(Type.String()),
        policy_hash: Type.Optional(Type.String()),
        token_scope_hash_b64u: Type.Optional(Type.String()),
        capability_id: Type.Optional(Type.String()),
      }),
    ),
  },
  { $id: schemaId("poh/side_effect_receipt.v1.json"), ...closed },
);
export type SideEffectReceiptPayload = Static<typeof SideEffectReceiptPayload>;

export const SideEffectReceiptEnvelope = Type.Object(legacyEnvelopeFields("side_effect_receipt", Ref(SideEffectReceiptPayload)), {
  $id: schemaId("poh/side_effect_receipt_envelope.v1.json"),
  ...closed,
});
export type SideEffectReceiptEnvelope = Static<typeof SideEffectReceiptEnvelope>;
