// Human approval receipt (poh/human_approval_receipt.v1): a human's decision on a plan, which may mint a CST.
import { Type, type Static } from "@sinclair/typebox";
import { closed, DateTime, NonEmptyString, NonNegativeNumber, Ref, schemaId, Sha256, StringEnum } from "./common.schema.js";
import { LegacyReceiptBinding } from "./receipt-binding.schema.js";
import { legacyEnvelopeFields } from "./signed-envelope.schema.js";

export const ApprovalType = StringEnum(["explicit_approve", "explicit_deny", "auto_approve", "timeout_deny"]);
export type ApprovalType = Static<typeof ApprovalType>;

export const HumanApprovalReceiptPayload = Type.Object(
  {
    receipt_version: Type.Literal("1"),
    receipt_id: NonEmptyString,
    approval_type: ApprovalType,
    approver_subject: NonEmptyString,
    approver_method: Type.Optional(StringEnum(["ui_click", "cli_confirm", "api_call", "policy_auto", "timeout"])),
    agent_did: NonEmptyString,
    scope_hash_b64u: NonEmptyString,
    scope_summary: Type.Optional(Type.String({ maxLength: 1024 })),
    policy_hash_b64u: Type.Optional(Type.String()),
    minted_capability_id: Type.Optional(Type.String()),
    minted_capability_ttl_seconds: Type.Optional(NonNegativeNumber),
    plan_hash_b64u: Type.Optional(Type.String()),
    evidence_required: Type.Optional(Type.Array(Type.String())),
    hash_algorithm: Sha256,
    timestamp: DateTime,
    binding: Type.Optional(LegacyReceiptBinding),
  },
  { $id: schemaId("poh/human_approval_receipt.v1.json"), ...closed },
);
export type HumanApprovalReceiptPayload = Static<typeof HumanApprovalReceiptPayload>;

export const HumanApprovalReceiptEnvelope = Type.Object(
  legacyEnvelopeFields("human_approval_receipt", Ref(HumanApprovalReceiptPayload)),
  { $id: schemaId("poh/human_approval_receipt_envelope.v1.json"), ...closed },
);
export type HumanApprovalReceiptEnvelope = Static<typeof HumanApprovalReceiptEnvelope>;
