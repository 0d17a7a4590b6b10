// Export bundle (poh/export_bundle.v1) and its manifest: the signed, content-addressed package an auditor verifies offline.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, Ed25519, JsonObject, NonEmptyString, NonNegativeNumber, Ref, schemaId, Sha256 } from "./common.schema.js";
import { ExecutionAttestationEnvelope } from "./execution-attestation.schema.js";
import { AuditResultAttestationEnvelope, DerivationAttestationEnvelope } from "./model-attestations.schema.js";
import { ProofBundleEnvelope } from "./proof-bundle.schema.js";

export const ExportBundleManifestEntry = Type.Object(
  { path: NonEmptyString, sha256_b64u: B64u, content_type: NonEmptyString, size_bytes: NonNegativeNumber },
  closed,
);
export type ExportBundleManifestEntry = Static<typeof ExportBundleManifestEntry>;

export const ExportBundleManifest = Type.Object(
  {
    manifest_version: Type.Literal("1"),
    generated_at: DateTime,
    entries: Type.Array(ExportBundleManifestEntry, { minItems: 1 }),
  },
  { $id: schemaId("poh/export_bundle_manifest.v1.json"), ...closed },
);
export type ExportBundleManifest = Static<typeof ExportBundleManifest>;

export const ExportBundle = Type.Object(
  {
    export_version: Type.Literal("1"),
    export_id: NonEmptyString,
    created_at: DateTime,
    issuer_did: Did,
    manifest: Ref(ExportBundleManifest),
    artifacts: Type.Object(
      {
        proof_bundle_envelope: Ref(ProofBundleEnvelope),
        execution_attestation_envelopes: Type.Optional(Type.Array(Ref(ExecutionAttestationEnvelope))),
        derivation_attestation_envelopes: Type.Optional(Type.Array(Ref(DerivationAttestationEnvelope))),
        audit_result_attestation_envelopes: Type.Optional(Type.Array(Ref(AuditResultAttestationEnvelope))),
      },
      closed,
    ),
    bundle_hash_b64u: B64u,
    hash_algorithm: Sha256,
    signature_b64u: B64u,
    algorithm: Ed25519,
    issued_at: DateTime,
    expires_at: Type.Optional(DateTime),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/export_bundle.v1.json"), ...closed },
);
export type ExportBundle = Static<typeof ExportBundle>;
