// Execution attestation (poh/execution_attestation.v1): the data plane's signed claim about where a run executed.
import { Type, type Static } from "@sinclair/typebox";
import { B64U_PATTERN, B64u, closed, DateTime, Did, JsonObject, NonEmptyString, OpenObject, Ref, ResourceRef, schemaId, StringEnum } from "./common.schema.js";
import { envelopeFields } from "./signed-envelope.schema.js";

export const TeeAttestation = Type.Object(
  {
    attestation_type: StringEnum(["sgx_quote", "tdx_quote", "sev_snp_report", "nitro_attestation_doc", "generic_tee"]),
    root_id: NonEmptyString,
    tcb_version: NonEmptyString,
    evidence_ref: ResourceRef,
    nonce_binding_b64u: Type.Optional(B64u),
    measurements: Type.Object(
      {
        measurement_hash_b64u: B64u,
        runtime_digest_b64u: Type.Optional(B64u),
        kernel_digest_b64u: Type.Optional(B64u),
        model_weights_digest_b64u: Type.Optional(B64u),
      },
      closed,
    ),
    tcb: Type.Optional(
      Type.Object(
        {
          status: Type.Optional(StringEnum(["up_to_date", "out_of_date", "configuration_needed", "revoked", "unknown"])),
          advisory_ids: Type.Optional(Type.Array(NonEmptyString)),
        },
        closed,
      ),
    ),
    metadata: Type.Optional(JsonObject),
  },
  closed,
);
export type TeeAttestation = Static<typeof TeeAttestation>;

const attestationFields = {
  attestation_version: Type.Literal("1"),
  attestation_id: NonEmptyString,
  agent_did: Did,
  attester_did: Did,
  run_id: Type.Optional(Type.String()),
  proof_bundle_hash_b64u: Type.Optional(B64u),
  harness: Type.Optional(
    Type.Object(
      {
        id: Type.Optional(Type.String()),
        version: Type.Optional(Type.String()),
        runtime: Type.Optional(Type.String()),
        config_hash_b64u: Type.Optional(Type.String({ pattern: B64U_PATTERN })),
      },
      closed,
    ),
  ),
  issued_at: DateTime,
  expires_at: Type.Optional(DateTime),
  metadata: Type.Optional(JsonObject),
};

// Upstream says "tee_execution requires runtime_metadata.tee" with allOf/if/then; two variants say the same
// thing and let TypeScript narrow on execution_type. runtime_metadata stays open for environment claims
// (image digest, limits, network policy).
export const ExecutionAttestationPayload = Type.Union(
  [
    Type.Object(
      {
        ...attestationFields,
        execution_type: Type.Literal("sandbox_execution"),
        runtime_metadata: Type.Optional(OpenObject({ tee: Type.Optional(TeeAttestation) })),
      },
      closed,
    ),
    Type.Object(
      {
        ...attestationFields,
        execution_type: Type.Literal("tee_execution"),
        runtime_metadata: OpenObject({ tee: TeeAttestation }),
      },
      closed,
    ),
  ],
  { $id: schemaId("poh/execution_attestation.v1.json") },
);
export type ExecutionAttestationPayload = Static<typeof ExecutionAttestationPayload>;

export const ExecutionAttestationEnvelope = Type.Object(envelopeFields("1", "execution_attestation", Ref(ExecutionAttestationPayload)), {
  $id: schemaId("poh/execution_attestation_envelope.v1.json"),
  ...closed,
});
export type ExecutionAttestationEnvelope = Static<typeof ExecutionAttestationEnvelope>;
