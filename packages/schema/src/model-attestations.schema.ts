// Derivation and audit-result attestations (poh/derivation_attestation.v1, poh/audit_result_attestation.v1),
// which an export bundle may carry next to the proof bundle.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, JsonObject, NonEmptyString, Ref, schemaId, StringEnum } from "./common.schema.js";
import { LogInclusionProof } from "./log-inclusion-proof.schema.js";
import { ModelIdentity } from "./model-identity.schema.js";
import { envelopeFields } from "./signed-envelope.schema.js";

const execution = Type.Object(
  { execution_attestation_hash_b64u: Type.Optional(B64u), proof_bundle_hash_b64u: Type.Optional(B64u) },
  closed,
);
const clawlogs = Type.Object({ log_entry_hash_b64u: Type.Optional(B64u), inclusion_proof: Type.Optional(Ref(LogInclusionProof)) }, closed);

export const DerivationAttestationPayload = Type.Object(
  {
    derivation_version: Type.Literal("1"),
    derivation_id: NonEmptyString,
    issued_at: DateTime,
    input_model: Ref(ModelIdentity),
    output_model: Ref(ModelIdentity),
    transform: Type.Object(
      {
        kind: NonEmptyString,
        code_hash_b64u: Type.Optional(B64u),
        params_hash_b64u: Type.Optional(B64u),
        build_steps: Type.Optional(Type.Array(Type.String())),
      },
      closed,
    ),
    artifacts: Type.Optional(
      Type.Array(
        Type.Object(
          { type: NonEmptyString, hash_b64u: B64u, uri: Type.Optional(Type.String()), content_type: Type.Optional(Type.String()) },
          closed,
        ),
      ),
    ),
    execution: Type.Optional(execution),
    clawlogs: Type.Optional(clawlogs),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/derivation_attestation.v1.json"), ...closed },
);
export type DerivationAttestationPayload = Static<typeof DerivationAttestationPayload>;

export const DerivationAttestationEnvelope = Type.Object(envelopeFields("1", "derivation_attestation", Ref(DerivationAttestationPayload)), {
  $id: schemaId("poh/derivation_attestation_envelope.v1.json"),
  ...closed,
});
export type DerivationAttestationEnvelope = Static<typeof DerivationAttestationEnvelope>;

export const AuditResultAttestationPayload = Type.Object(
  {
    audit_pack: Type.Optional(
      Type.Object(
        { pack_id: Type.Optional(Type.String()), pack_version: Type.Optional(Type.String()), pack_hash_b64u: B64u },
        closed,
      ),
    ),
    audit_version: Type.Literal("1"),
    audit_id: NonEmptyString,
    issued_at: DateTime,
    expires_at: Type.Optional(DateTime),
    model: Ref(ModelIdentity),
    derivation_attestation_hash_b64u: Type.Optional(B64u),
    audit_code: Type.Object(
      {
        repo_uri: Type.Optional(Type.String({ format: "uri" })),
        commit_sha: Type.Optional(Type.String()),
        code_hash_b64u: B64u,
        uri: Type.Optional(Type.String()),
      },
      closed,
    ),
    dataset: Type.Object(
      {
        dataset_id: NonEmptyString,
        dataset_hash_b64u: B64u,
        access: StringEnum(["public", "confidential"]),
        uri: Type.Optional(Type.String()),
      },
      closed,
    ),
    protocol: Type.Object({ name: NonEmptyString, config_hash_b64u: B64u, seed: Type.Optional(Type.Number()) }, closed),
    result: Type.Object(
      {
        status: StringEnum(["pass", "fail", "warn"]),
        results_hash_b64u: B64u,
        summary: Type.Optional(JsonObject),
      },
      closed,
    ),
    execution: Type.Optional(execution),
    clawlogs: Type.Optional(clawlogs),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/audit_result_attestation.v1.json"), ...closed },
);
export type AuditResultAttestationPayload = Static<typeof AuditResultAttestationPayload>;

export const AuditResultAttestationEnvelope = Type.Object(
  envelopeFields("1", "audit_result_attestation", Ref(AuditResultAttestationPayload)),
  { $id: schemaId("poh/audit_result_attestation_envelope.v1.json"), ...closed },
);
export type AuditResultAttestationEnvelope = Static<typeof AuditResultAttestationEnvelope>;
