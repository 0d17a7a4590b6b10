// Tool receipts (poh/tool_receipt v1 and v2) and their envelopes: hash-only evidence of each tool call.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, Ed25519, HashAlgorithm, MapOf, NonEmptyString, NonNegativeNumber, Ref, schemaId, Sha256, StringEnum } from "./common.schema.js";
import { LegacyReceiptBinding, ReceiptBinding } from "./receipt-binding.schema.js";
import { envelopeFields, legacyEnvelopeFields } from "./signed-envelope.schema.js";

const ToolResultStatus = StringEnum(["success", "error", "timeout"]);

export const ToolReceiptV1Payload = Type.Object(
  {
    receipt_version: Type.Literal("1"),
    receipt_id: NonEmptyString,
    tool_name: NonEmptyString,
    tool_version: Type.Optional(Type.String()),
    args_hash_b64u: NonEmptyString,
    result_hash_b64u: NonEmptyString,
    result_status: Type.Optional(ToolResultStatus),
    hash_algorithm: Sha256,
    agent_did: NonEmptyString,
    timestamp: DateTime,
    latency_ms: NonNegativeNumber,
    binding: Type.Optional(LegacyReceiptBinding),
  },
  { $id: schemaId("poh/tool_receipt.v1.json"), ...closed },
);
export type ToolReceiptV1Payload = Static<typeof ToolReceiptV1Payload>;

export const SelectiveDisclosure = Type.Object(
  {
    disclosure_algorithm: Type.Literal("vir_v2_typed_lexicographical"),
    merkle_root_b64u: B64u,
    redacted_leaf_hashes_b64u: Type.Array(B64u),
    disclosed_leaves: MapOf(
      Type.Object(
        {
          type: StringEnum(["string", "number", "boolean", "null", "array", "object"]),
          value: Type.Unknown(),
          salt_b64u: B64u,
        },
        closed,
      ),
    ),
  },
  { $id: schemaId("poh/selective_disclosure.v1.json"), ...closed },
);
export type SelectiveDisclosure = Static<typeof SelectiveDisclosure>;

export const ToolReceiptV2Payload = Type.Object(
  {
    receipt_version: Type.Literal("2"),
    receipt_id: NonEmptyString,
    tool_name: NonEmptyString,
    tool_version: Type.Optional(Type.String()),
    args_hash_b64u: B64u,
    result_hash_b64u: B64u,
    result_status: Type.Optional(ToolResultStatus),
    hash_algorithm: HashAlgorithm,
    agent_did: Did,
    timestamp: DateTime,
    latency_ms: NonNegativeNumber,
    binding: Type.Optional(Ref(ReceiptBinding)),
    // Salts stop a dictionary attack on low-entropy arguments and results from their hashes.
    args_salt_b64u: B64u,
    result_salt_b64u: B64u,
    args_disclosure: Type.Optional(Ref(SelectiveDisclosure)),
    result_disclosure: Type.Optional(Ref(SelectiveDisclosure)),
  },
  { $id: schemaId("poh/tool_receipt.v2.json"), ...closed },
);
export type ToolReceiptV2Payload = Static<typeof ToolReceiptV2Payload>;

export const CoSignature = Type.Object(
  {
    signature_b64u: B64u,
    algorithm: Ed25519,
    signer_did: Did,
    issued_at: DateTime,
    role: StringEnum(["proxy", "approver", "auditor", "supervisor"]),
  },
  { $id: schemaId("poh/co_signature.v1.json"), ...closed },
);
export type CoSignature = Static<typeof CoSignature>;

export const ToolReceiptV1Envelope = Type.Object(legacyEnvelopeFields("tool_receipt", Ref(ToolReceiptV1Payload)), {
  $id: schemaId("poh/tool_receipt_envelope.v1.json"),
  ...closed,
});
export type ToolReceiptV1Envelope = Static<typeof ToolReceiptV1Envelope>;

export const ToolReceiptV2Envelope = Type.Object(
  {
    ...envelopeFields("2", "tool_receipt", Ref(ToolReceiptV2Payload)),
    expires_at: Type.Optional(DateTime),
    co_signatures: Type.Optional(Type.Array(Ref(CoSignature), { maxItems: 16 })),
  },
  { $id: schemaId("poh/tool_receipt_envelope.v2.json"), ...closed },
);
export type ToolReceiptV2Envelope = Static<typeof ToolReceiptV2Envelope>;

/** Any form a proof bundle accepts in `tool_receipts`: v1 or v2, bare payload or signed envelope. */
export const ToolReceipt = Type.Union([Ref(ToolReceiptV1Payload), Ref(ToolReceiptV1Envelope), Ref(ToolReceiptV2Payload), Ref(ToolReceiptV2Envelope)]);
export type ToolReceipt = Static<typeof ToolReceipt>;
