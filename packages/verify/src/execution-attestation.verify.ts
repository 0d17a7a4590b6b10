/** Execution attestations: the data plane's signed word on where and how a run executed. */
import { checkEnvelope } from "./envelope.check.js";
import { conclude, finding, joinPath, rejected, type Checked } from "./result.model.js";
import type { VerifyContext } from "./trust.model.js";

export interface ExecutionAttestationDetails {
  attestation_id: string;
  execution_type: "sandbox_execution" | "tee_execution";
  agent_did: string;
  attester_did: string;
  run_id: string;
  proof_bundle_hash_b64u: string;
  /** The envelope's payload hash: the attestation's identity (what the transparency log records). */
  attestation_hash_b64u: string;
  issued_at: string;
}

interface ExecutionAttestationPayload {
  attestation_id: string;
  execution_type: "sandbox_execution" | "tee_execution";
  agent_did: string;
  attester_did: string;
  run_id?: string;
  proof_bundle_hash_b64u?: string;
  issued_at: string;
  expires_at?: string;
}

export function checkExecutionAttestation(value: unknown, path: string, ctx: VerifyContext): Checked<ExecutionAttestationDetails> {
  const { findings, envelope } = checkEnvelope<ExecutionAttestationPayload>(
    value,
    { type: "execution_attestation", schema: "execution_attestation_envelope", role: "data_plane" },
    path,
    ctx,
  );
  if (envelope === null) return rejected(findings);
  const payload = envelope.payload;
  const at = (sub: string): string => joinPath(path, `payload.${sub}`);

  // Upstream's code for an attestation whose claimed attester is not the key that signed it.
  if (payload.attester_did !== envelope.signer_did) {
    findings.push(finding("SIGNATURE_INVALID", at("attester_did"), "attester_did is not the envelope's signer"));
  }
  if (payload.expires_at !== undefined && ctx.nowMs > Date.parse(payload.expires_at) + ctx.skewMs) {
    findings.push(finding("EXPIRED_TTL", at("expires_at"), "the attestation expired before the verification time"));
  }
  // TEE claims are judged against allowlists of TEE roots and TCB versions, which our trust anchors do not carry.
  if (payload.execution_type === "tee_execution") {
    findings.push(finding("UNSUPPORTED_EVIDENCE", at("execution_type"), "tee_execution attestations are not verified here"));
  }
  // The schema leaves both optional; upstream requires them, since an unbound attestation attests nothing.
  const { run_id: runId, proof_bundle_hash_b64u: bundleHash } = payload;
  if (runId === undefined || runId.trim() === "") {
    findings.push(finding("SCHEMA_VALIDATION_FAILED", at("run_id"), "an execution attestation must name its run"));
  }
  if (bundleHash === undefined) {
    findings.push(finding("SCHEMA_VALIDATION_FAILED", at("proof_bundle_hash_b64u"), "an execution attestation must pin its proof bundle"));
  }
  if (runId === undefined || bundleHash === undefined) return rejected(findings);
  return conclude(findings, () => ({
    attestation_id: payload.attestation_id,
    execution_type: payload.execution_type,
    agent_did: payload.agent_did,
    attester_did: payload.attester_did,
    run_id: runId,
    proof_bundle_hash_b64u: bundleHash,
    attestation_hash_b64u: envelope.payload_hash_b64u,
    issued_at: payload.issued_at,
  }));
}
