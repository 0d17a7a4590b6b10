/**
 * Derivation and audit-result attestations, the model-provenance envelopes an export bundle may carry:
 * signature and trust, plus the log inclusion proof each may embed.
 */
import { checkEnvelope } from "./envelope.check.js";
import { checkLogInclusionProof, type LogInclusionProofDetails } from "./log-inclusion-proof.verify.js";
import { conclude, joinPath, rejected, type Checked } from "./result.model.js";
import type { VerifyContext } from "./trust.model.js";

export interface ModelAttestationDetails {
  signer_did: string;
  attestation_hash_b64u: string;
  /** The proof bundle the attestation points at through `execution.proof_bundle_hash_b64u`, if any. */
  proof_bundle_hash_b64u: string | null;
  inclusion_proof: LogInclusionProofDetails | null;
}

interface ModelAttestationPayload {
  execution?: { proof_bundle_hash_b64u?: string };
  clawlogs?: { inclusion_proof?: unknown };
}

// These attestations are reached only inside an export bundle, whose schema has already covered them.
const SPECS = {
  derivation_attestation: { schema: null, role: "derivation" },
  audit_result_attestation: { schema: null, role: "audit" },
} as const;

export type ModelAttestationType = keyof typeof SPECS;

export function checkModelAttestation(
  type: ModelAttestationType,
  value: unknown,
  path: string,
  ctx: VerifyContext,
): Checked<ModelAttestationDetails> {
  const { findings, envelope } = checkEnvelope<ModelAttestationPayload>(value, { type, ...SPECS[type] }, path, ctx);
  if (envelope === null) return rejected(findings);
  const payload = envelope.payload;
  // Upstream verifies an embedded proof whenever one is present; a broken one fails the attestation.
  let inclusion: Checked<LogInclusionProofDetails> | null = null;
  if (payload.clawlogs?.inclusion_proof !== undefined) {
    inclusion = checkLogInclusionProof(payload.clawlogs.inclusion_proof, joinPath(path, "payload.clawlogs.inclusion_proof"), ctx);
    findings.push(...inclusion.findings);
  }
  return conclude(findings, () => ({
    signer_did: envelope.signer_did,
    attestation_hash_b64u: envelope.payload_hash_b64u,
    proof_bundle_hash_b64u: payload.execution?.proof_bundle_hash_b64u ?? null,
    inclusion_proof: inclusion?.details ?? null,
  }));
}
