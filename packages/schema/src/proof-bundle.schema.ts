// Proof bundle (poh/proof_bundle.v1): the agent-signed evidence of one run, and its envelope.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, HashAlgorithm, JsonObject, NonEmptyString, NonNegativeNumber, OpenObject, Ref, schemaId, Sha256, StringEnum } from "./common.schema.js";
import { EventChainEntry } from "./event-chain.schema.js";
import { gatewayReceiptCoreMetadata, gatewayReceiptFields } from "./gateway-receipt.schema.js";
import { LogInclusionProof } from "./log-inclusion-proof.schema.js";
import { ApprovalType } from "./human-approval-receipt.schema.js";
import { SideEffectClass } from "./side-effect-receipt.schema.js";
import { envelopeFields, SignedEnvelope } from "./signed-envelope.schema.js";
import { ToolReceipt } from "./tool-receipt.schema.js";

export const UrmReference = Type.Object(
  {
    urm_version: Type.Literal("1"),
    urm_id: NonEmptyString,
    resource_type: NonEmptyString,
    resource_hash_b64u: B64u,
    metadata: Type.Optional(JsonObject),
  },
  closed,
);
export type UrmReference = Static<typeof UrmReference>;

/**
 * The bundle's own copy of the gateway receipt envelope. Its metadata constrains fewer members than
 * poh/gateway_receipt.v1 (x402, transparency and KPOM fields are unchecked here), exactly as upstream's.
 */
export const BundledGatewayReceiptEnvelope = SignedEnvelope(
  "gateway_receipt",
  Type.Object(gatewayReceiptFields(gatewayReceiptCoreMetadata), closed),
);
export type BundledGatewayReceiptEnvelope = Static<typeof BundledGatewayReceiptEnvelope>;

// The bundle embeds side-effect, approval and delegation receipts as raw payloads with their own, looser
// shape: open objects with a few constrained members (not poh/side_effect_receipt.v1 and friends).
export const BundledSideEffectReceipt = OpenObject({
  receipt_version: Type.Literal("1"),
  receipt_id: NonEmptyString,
  effect_class: SideEffectClass,
  target_digest: Type.Optional(Type.String()),
  request_digest: Type.Optional(Type.String()),
  response_digest: Type.Optional(Type.String()),
  hash_algorithm: HashAlgorithm,
  vendor_id: Type.Optional(Type.String()),
  bytes_written: Type.Optional(NonNegativeNumber),
  agent_did: Did,
  timestamp: DateTime,
  binding: Type.Optional(JsonObject),
});
export type BundledSideEffectReceipt = Static<typeof BundledSideEffectReceipt>;

export const BundledHumanApprovalReceipt = OpenObject({
  receipt_version: Type.Literal("1"),
  receipt_id: NonEmptyString,
  approval_type: ApprovalType,
  scope_hash_b64u: Type.Optional(Type.String()),
  plan_hash_b64u: Type.Optional(Type.String()),
  approver_subject: Type.Optional(Type.String()),
  capability_minted: Type.Optional(Type.Boolean()),
  policy_hash_b64u: Type.Optional(Type.String()),
  agent_did: Did,
  timestamp: DateTime,
  binding: Type.Optional(JsonObject),
});
export type BundledHumanApprovalReceipt = Static<typeof BundledHumanApprovalReceipt>;

export const BundledDelegationReceipt = OpenObject({
  receipt_version: Type.Literal("1"),
  receipt_id: NonEmptyString,
  delegator_did: Did,
  delegate_did: Did,
  task_description_hash_b64u: B64u,
  delegate_bundle_hash_b64u: B64u,
  delegation_policy: Type.Optional(Type.String()),
  hash_algorithm: HashAlgorithm,
  delegated_at: DateTime,
  completed_at: Type.Optional(DateTime),
  binding: Type.Optional(JsonObject),
});
export type BundledDelegationReceipt = Static<typeof BundledDelegationReceipt>;

export const RateLimitClaim = Type.Object(
  {
    claim_version: Type.Literal("1"),
    scope: StringEnum(["agent", "model", "tool"]),
    scope_key: NonEmptyString,
    window_start: DateTime,
    window_end: DateTime,
    max_requests: NonNegativeNumber,
    observed_requests: NonNegativeNumber,
    max_tokens_input: Type.Optional(NonNegativeNumber),
    observed_tokens_input: Type.Optional(NonNegativeNumber),
    max_tokens_output: Type.Optional(NonNegativeNumber),
    observed_tokens_output: Type.Optional(NonNegativeNumber),
    run_id: Type.Optional(NonEmptyString),
  },
  closed,
);
export type RateLimitClaim = Static<typeof RateLimitClaim>;

export const AttestationReference = Type.Object(
  {
    attestation_id: NonEmptyString,
    attestation_type: StringEnum(["owner", "third_party"]),
    attester_did: Did,
    subject_did: Did,
    expires_at: Type.Optional(DateTime),
    signature_b64u: B64u,
  },
  closed,
);
export type AttestationReference = Static<typeof AttestationReference>;

const Destination = Type.String({ pattern: "^[a-z0-9.*:-]+$", minLength: 1 });

export const EgressPolicyReceiptPayload = Type.Object(
  {
    receipt_version: Type.Literal("1"),
    receipt_id: NonEmptyString,
    policy_version: Type.Literal("1"),
    policy_hash_b64u: B64u,
    effective_policy_hash_b64u: Type.Optional(B64u),
    proofed_mode: Type.Literal(true),
    clawproxy_url: Type.String({ format: "uri", minLength: 1 }),
    allowed_proxy_destinations: Type.Array(Destination, { minItems: 1 }),
    allowed_child_destinations: Type.Array(Destination, { minItems: 1 }),
    direct_provider_access_blocked: Type.Literal(true),
    blocked_attempt_count: Type.Integer({ minimum: 0 }),
    blocked_attempts_observed: Type.Boolean(),
    hash_algorithm: Type.Literal("SHA-256"),
    agent_did: Did,
    timestamp: DateTime,
    binding: Type.Object({ run_id: NonEmptyString, event_hash_b64u: B64u }, closed),
    transparency: Type.Optional(
      Type.Object(
        {
          inclusion_proof: Ref(LogInclusionProof),
          consistency_proof: Type.Optional(
            Type.Object(
              {
                proof_version: Type.Literal("1"),
                log_id: NonEmptyString,
                from_tree_size: Type.Integer({ minimum: 1 }),
                to_tree_size: Type.Integer({ minimum: 1 }),
                from_root_hash_b64u: B64u,
                to_root_hash_b64u: B64u,
                consistency_path: Type.Array(B64u),
                metadata: Type.Optional(JsonObject),
              },
              closed,
            ),
          ),
          anchor_id: Type.Optional(NonEmptyString),
          anchor_uri: Type.Optional(Type.String({ format: "uri", minLength: 1 })),
        },
        closed,
      ),
    ),
  },
  closed,
);
export type EgressPolicyReceiptPayload = Static<typeof EgressPolicyReceiptPayload>;

export const EgressPolicyReceiptEnvelope = Type.Object(
  { ...envelopeFields("1", "egress_policy_receipt", EgressPolicyReceiptPayload), hash_algorithm: Sha256 },
  closed,
);
export type EgressPolicyReceiptEnvelope = Static<typeof EgressPolicyReceiptEnvelope>;

const count = Type.Optional(NonNegativeNumber);

export const SentinelTelemetry = Type.Object(
  {
    interpose_active: Type.Boolean(),
    shell_events: count,
    fs_events: count,
    net_events: count,
    net_suspicious: count,
    interpose_events: count,
    interpose_gateway: count,
    interpose_transcript: count,
    interpose_tool_calls: count,
    interpose_anomalies: count,
    preload_llm_events: count,
    tls_sni_events: count,
    tls_sni_receipts: count,
    tls_decrypt_receipts: count,
    vir_receipts: count,
    runtime_profile: Type.Optional(JsonObject),
    runtime_hygiene: Type.Optional(JsonObject),
    egress_policy_receipt: Type.Optional(EgressPolicyReceiptEnvelope),
    interpose_state: Type.Optional(JsonObject),
  },
  closed,
);
export type SentinelTelemetry = Static<typeof SentinelTelemetry>;

export const ProofBundleMetadata = OpenObject({
  harness: Type.Optional(
    OpenObject({
      id: NonEmptyString,
      version: NonEmptyString,
      runtime: Type.Optional(Type.String()),
      config_hash_b64u: Type.Optional(B64u),
    }),
  ),
  sentinels: Type.Optional(SentinelTelemetry),
});
export type ProofBundleMetadata = Static<typeof ProofBundleMetadata>;

// Upstream: a bundle must carry at least one kind of evidence. Each branch repeats its property with an
// empty schema because Ajv's strict mode only accepts `required` names declared beside it.
const evidenceKeys = [
  "urm",
  "event_chain",
  "receipts",
  "tool_receipts",
  "side_effect_receipts",
  "human_approval_receipts",
  "delegation_receipts",
  "attestations",
] as const;

export const ProofBundlePayload = Type.Object(
  {
    bundle_version: Type.Literal("1"),
    bundle_id: NonEmptyString,
    agent_did: Did,
    eip8004_agent_id: Type.Optional(Type.String({ pattern: "^[0-9]+$" })),
    eip8004_registry: Type.Optional(Type.String({ pattern: "^eip155:[0-9]+:0x[0-9a-fA-F]{40}$" })),
    urm: Type.Optional(UrmReference),
    event_chain: Type.Optional(Type.Array(Ref(EventChainEntry), { minItems: 1 })),
    receipts: Type.Optional(Type.Array(BundledGatewayReceiptEnvelope, { minItems: 1 })),
    // Upstream says oneOf; the four forms are disjoint (receipt_version / envelope_version consts on closed
    // objects), so anyOf accepts the same bundles.
    tool_receipts: Type.Optional(Type.Array(ToolReceipt, { maxItems: 1000 })),
    side_effect_receipts: Type.Optional(Type.Array(BundledSideEffectReceipt, { maxItems: 1000 })),
    human_approval_receipts: Type.Optional(Type.Array(BundledHumanApprovalReceipt, { maxItems: 1000 })),
    delegation_receipts: Type.Optional(Type.Array(BundledDelegationReceipt, { maxItems: 1000 })),
    rate_limit_claims: Type.Optional(Type.Array(RateLimitClaim, { maxItems: 256 })),
    attestations: Type.Optional(Type.Array(AttestationReference, { minItems: 1 })),
    metadata: Type.Optional(ProofBundleMetadata),
  },
  {
    $id: schemaId("poh/proof_bundle.v1.json"),
    ...closed,
    anyOf: evidenceKeys.map((key) => ({ required: [key], properties: { [key]: {} } })),
  },
);
export type ProofBundlePayload = Static<typeof ProofBundlePayload>;

export const ProofBundleEnvelope = SignedEnvelope("proof_bundle", Ref(ProofBundlePayload), {
  $id: schemaId("poh/proof_bundle_envelope.v1.json"),
});
export type ProofBundleEnvelope = Static<typeof ProofBundleEnvelope>;
