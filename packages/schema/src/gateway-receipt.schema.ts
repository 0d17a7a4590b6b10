// Gateway receipt (poh/gateway_receipt.v1): what the gateway signs for every model call, and its envelope.
import { Type, type Static, type TProperties } from "@sinclair/typebox";
import { B64u, closed, DateTime, NonEmptyString, NonNegativeNumber, OpenObject, Ref, schemaId, StringEnum } from "./common.schema.js";
import { LogInclusionProof } from "./log-inclusion-proof.schema.js";
import { ModelIdentity } from "./model-identity.schema.js";
import { ReceiptBinding } from "./receipt-binding.schema.js";
import { SignedEnvelope } from "./signed-envelope.schema.js";

export const KinematicFingerprint = Type.Object(
  {
    ttft_ms: Type.Number(),
    itl_p50_ms: Type.Number(),
    itl_p95_ms: Type.Number(),
    itl_stddev_ms: Type.Number(),
    chunk_count: Type.Integer(),
    burst_signature_b64u: Type.String(),
    hardware_inferred: Type.Optional(Type.String()),
    confidence_score: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    total_tokens: Type.Optional(Type.Integer()),
    total_duration_ms: Type.Optional(Type.Number()),
  },
  { $id: schemaId("poh/kinematic_fingerprint.v1.json"), ...closed },
);
export type KinematicFingerprint = Static<typeof KinematicFingerprint>;

export const SentinelAnomalyReport = Type.Object(
  {
    threat_score: Type.Number({ minimum: 0, maximum: 100 }),
    anomaly_type: StringEnum(["benign", "prompt_injection_suspected", "data_exfiltration_topology", "alien_trajectory", "model_impersonation"]),
    global_prevalence: Type.Optional(Type.Integer()),
    nearest_neighbors: Type.Optional(Type.Array(Type.String())),
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { $id: schemaId("poh/sentinel_anomaly_report.v1.json"), ...closed },
);
export type SentinelAnomalyReport = Static<typeof SentinelAnomalyReport>;

/** The metadata members both the receipt schema and the proof bundle's inline copy of it constrain. */
export const gatewayReceiptCoreMetadata = {
  model_identity: Type.Optional(Ref(ModelIdentity)),
  model_identity_hash_b64u: Type.Optional(B64u),
  audit_result_refs: Type.Optional(
    Type.Array(
      Type.Object(
        { resource_type: Type.Optional(Type.String()), resource_hash_b64u: B64u, uri: Type.Optional(Type.String()) },
        closed,
      ),
    ),
  ),
};

/** Gateway receipt payload members around a given (always open) metadata object. */
export function gatewayReceiptFields<M extends TProperties>(metadata: M) {
  return {
    receipt_version: Type.Literal("1"),
    receipt_id: NonEmptyString,
    gateway_id: NonEmptyString,
    provider: NonEmptyString,
    model: NonEmptyString,
    request_hash_b64u: B64u,
    response_hash_b64u: B64u,
    tokens_input: NonNegativeNumber,
    tokens_output: NonNegativeNumber,
    latency_ms: NonNegativeNumber,
    timestamp: DateTime,
    binding: Type.Optional(Ref(ReceiptBinding)),
    // Metadata is signed but open: unknown members are allowed and carry no stronger guarantee.
    metadata: Type.Optional(OpenObject(metadata)),
  };
}

const receiptMetadata = {
  ...gatewayReceiptCoreMetadata,
  x402_payment_ref: Type.Optional(NonEmptyString),
  x402_amount_minor: Type.Optional(Type.Integer({ minimum: 0 })),
  x402_currency: Type.Optional(NonEmptyString),
  x402_network: Type.Optional(NonEmptyString),
  x402_payment_auth_hash_b64u: Type.Optional(B64u),
  log_inclusion_proof: Type.Optional(Ref(LogInclusionProof)),
  kinematic_fingerprint: Type.Optional(Ref(KinematicFingerprint)),
  sentinel_anomaly_report: Type.Optional(Ref(SentinelAnomalyReport)),
};

export const GatewayReceiptPayload = Type.Object(gatewayReceiptFields(receiptMetadata), {
  $id: schemaId("poh/gateway_receipt.v1.json"),
  ...closed,
});
export type GatewayReceiptPayload = Static<typeof GatewayReceiptPayload>;

export const GatewayReceiptEnvelope = SignedEnvelope("gateway_receipt", Ref(GatewayReceiptPayload), {
  $id: schemaId("poh/gateway_receipt_envelope.v1.json"),
});
export type GatewayReceiptEnvelope = Static<typeof GatewayReceiptEnvelope>;
