/** Export bundles: the signed, content-addressed package an auditor verifies offline, and everything inside it. */
import { b64uDecode, exportBundleHash, exportManifestEntries, publicKeyFromDid, utf8, verifyBytes, type ManifestEntry } from "@clawea/protocol";
import { checkExecutionAttestation, type ExecutionAttestationDetails } from "./execution-attestation.verify.js";
import { checkLogInclusionProof, type LogInclusionProofDetails } from "./log-inclusion-proof.verify.js";
import { checkModelAttestation, type ModelAttestationDetails, type ModelAttestationType } from "./model-attestation.verify.js";
import { checkProofBundle, type AgentVouch, type ProofBundleDetails } from "./proof-bundle.verify.js";
import { conclude, finding, joinPath, rejected, type Checked, type Finding } from "./result.model.js";
import { schemaFindings } from "./schema.check.js";
import { isTrusted, type VerifyContext } from "./trust.model.js";

export interface ExportBundleDetails {
  export_id: string;
  issuer_did: string;
  bundle_hash_b64u: string;
  manifest_entry_count: number;
  proof_bundle: ProofBundleDetails;
  execution_attestations: ExecutionAttestationDetails[];
  derivation_attestations: ModelAttestationDetails[];
  audit_result_attestations: ModelAttestationDetails[];
  /** Transparency-log anchors the execution attestations carry (`runtime_metadata.log_anchor`), each verified. */
  log_anchors: LogInclusionProofDetails[];
}

interface ExportBundle {
  export_version: string;
  export_id: string;
  created_at: string;
  issuer_did: string;
  manifest: { entries: { path: string; sha256_b64u: string; content_type: string; size_bytes: number }[] };
  artifacts: {
    proof_bundle_envelope: { payload_hash_b64u: string; payload: { agent_did: string; event_chain?: { run_id: string }[] } };
    execution_attestation_envelopes?: unknown[];
    derivation_attestation_envelopes?: unknown[];
    audit_result_attestation_envelopes?: unknown[];
  };
  bundle_hash_b64u: string;
  hash_algorithm: string;
  signature_b64u: string;
  algorithm: string;
  issued_at: string;
  expires_at?: string;
  metadata?: Record<string, unknown>;
}


/** The manifest an honest exporter writes, keyed by path. */
function expectedManifest(bundle: ExportBundle): Map<string, ManifestEntry> {
  return new Map(exportManifestEntries(bundle.artifacts).map((entry) => [entry.path, entry]));
}

function checkManifest(bundle: ExportBundle): Finding[] {
  const expected = expectedManifest(bundle);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  bundle.manifest.entries.forEach((entry, i) => {
    const at = (sub: string): string => `manifest.entries[${i}].${sub}`;
    const want = expected.get(entry.path);
    if (seen.has(entry.path)) {
      findings.push(finding("MALFORMED_ENVELOPE", at("path"), `manifest lists ${entry.path} twice`));
    } else if (want === undefined) {
      findings.push(finding("MISSING_REQUIRED_FIELD", at("path"), `the bundle holds no artifact at ${entry.path}`));
    } else {
      if (entry.sha256_b64u !== want.sha256_b64u) {
        findings.push(finding("HASH_MISMATCH", at("sha256_b64u"), `hash of ${entry.path} does not match its artifact`));
      }
      if (entry.size_bytes !== want.size_bytes) {
        findings.push(finding("HASH_MISMATCH", at("size_bytes"), `size of ${entry.path} does not match its artifact`));
      }
      if (entry.content_type !== want.content_type) {
        findings.push(finding("MALFORMED_ENVELOPE", at("content_type"), `${entry.path} is ${want.content_type}`));
      }
    }
    seen.add(entry.path);
  });
  for (const path of expected.keys()) {
    if (!seen.has(path)) findings.push(finding("MISSING_REQUIRED_FIELD", "manifest.entries", `manifest does not list ${path}`));
  }
  return findings;
}

function checkSignature(bundle: ExportBundle, ctx: VerifyContext): Finding[] {
  const findings: Finding[] = [];
  if (exportBundleHash(bundle as unknown as Record<string, unknown>) !== bundle.bundle_hash_b64u) {
    findings.push(finding("HASH_MISMATCH", "bundle_hash_b64u", "bundle_hash_b64u does not match the bundle's content"));
  }
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromDid(bundle.issuer_did);
  } catch {
    findings.push(finding("INVALID_DID_FORMAT", "issuer_did", "issuer_did must be an Ed25519 did:key"));
    return findings;
  }
  let signatureValid: boolean;
  try {
    signatureValid = verifyBytes(publicKey, utf8(bundle.bundle_hash_b64u), b64uDecode(bundle.signature_b64u));
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) findings.push(finding("SIGNATURE_INVALID", "signature_b64u", "the signature does not verify under issuer_did"));
  if (!isTrusted(ctx.trust, "control_plane", bundle.issuer_did)) {
    findings.push(finding("SIGNER_NOT_TRUSTED", "issuer_did", "issuer_did is not a trusted control-plane signer"));
  }
  return findings;
}

function checkTimes(bundle: ExportBundle, ctx: VerifyContext): Finding[] {
  const findings: Finding[] = [];
  const issuedAt = Date.parse(bundle.issued_at);
  if (Date.parse(bundle.created_at) > issuedAt) {
    findings.push(finding("CAUSAL_CLOCK_CONTRADICTION", "created_at", "created_at is later than issued_at"));
  }
  if (issuedAt > ctx.nowMs + ctx.skewMs) {
    findings.push(finding("FUTURE_TIMESTAMP_POISONING", "issued_at", "issued_at lies after the verification time"));
  }
  if (bundle.expires_at !== undefined && ctx.nowMs > Date.parse(bundle.expires_at) + ctx.skewMs) {
    findings.push(finding("EXPIRED_TTL", "expires_at", "the bundle expired before the verification time"));
  }
  return findings;
}

/** Each attestation must speak of the bundled proof bundle: its hash, its agent, its run (upstream's HASH_MISMATCH). */
function checkExecutionBinding(attestation: ExecutionAttestationDetails, bundle: ExportBundle, path: string): Finding[] {
  const proof = bundle.artifacts.proof_bundle_envelope;
  const runId = proof.payload.event_chain?.[0]?.run_id;
  const findings: Finding[] = [];
  if (attestation.proof_bundle_hash_b64u !== proof.payload_hash_b64u) {
    findings.push(finding("HASH_MISMATCH", joinPath(path, "payload.proof_bundle_hash_b64u"), "the attestation pins another proof bundle"));
  }
  if (runId !== undefined && attestation.run_id !== runId) {
    findings.push(finding("HASH_MISMATCH", joinPath(path, "payload.run_id"), "the attestation names another run"));
  }
  if (attestation.agent_did !== proof.payload.agent_did) {
    findings.push(finding("HASH_MISMATCH", joinPath(path, "payload.agent_did"), "the attestation names another agent"));
  }
  return findings;
}

/**
 * clawea's attestations anchor the proof bundle in the transparency log: `runtime_metadata.log_anchor`
 * holds a signed inclusion proof whose leaf must be this proof bundle's payload hash. An anchor that is
 * present is checked like any log proof (trusted log key, audit path to the signed root); an attestation
 * without one is not refused here, since the anchor is clawea's addition to the format.
 */
function checkLogAnchor(envelope: unknown, bundle: ExportBundle, path: string, ctx: VerifyContext, anchors: LogInclusionProofDetails[]): Finding[] {
  const metadata = (envelope as { payload?: { runtime_metadata?: unknown } }).payload?.runtime_metadata;
  if (typeof metadata !== "object" || metadata === null || !("log_anchor" in metadata)) return [];
  const at = joinPath(path, "payload.runtime_metadata.log_anchor");
  const anchor = (metadata as { log_anchor: unknown }).log_anchor as { leaf_hash_b64u?: unknown; root_hash_b64u?: unknown; tree_size?: unknown; inclusion_proof?: unknown } | null;
  if (typeof anchor !== "object" || anchor === null) return [finding("MALFORMED_ENVELOPE", at, "log_anchor must be an object")];
  const checked = checkLogInclusionProof(anchor.inclusion_proof, joinPath(at, "inclusion_proof"), ctx);
  if (!checked.ok) return checked.findings;
  const findings: Finding[] = [...checked.findings];
  const proofHash = bundle.artifacts.proof_bundle_envelope.payload_hash_b64u;
  if (checked.details.leaf_hash_b64u !== proofHash || anchor.leaf_hash_b64u !== proofHash) {
    findings.push(finding("HASH_MISMATCH", joinPath(at, "leaf_hash_b64u"), "the log anchor's leaf is not this proof bundle's hash"));
  }
  if (anchor.root_hash_b64u !== checked.details.root_hash_b64u || anchor.tree_size !== checked.details.tree_size) {
    findings.push(finding("HASH_MISMATCH", joinPath(at, "root_hash_b64u"), "the log anchor's root is not the one its inclusion proof leads to"));
  }
  if (findings.length === 0) anchors.push(checked.details);
  return findings;
}

function checkModelAttestations(
  type: ModelAttestationType,
  bundle: ExportBundle,
  findings: Finding[],
  ctx: VerifyContext,
): ModelAttestationDetails[] {
  const details: ModelAttestationDetails[] = [];
  (bundle.artifacts[`${type}_envelopes`] ?? []).forEach((value, i) => {
    const path = `artifacts.${type}_envelopes[${i}]`;
    const checked = checkModelAttestation(type, value, path, ctx);
    findings.push(...checked.findings);
    if (!checked.ok) return;
    const pinned = checked.details.proof_bundle_hash_b64u;
    if (pinned !== null && pinned !== bundle.artifacts.proof_bundle_envelope.payload_hash_b64u) {
      const at = joinPath(path, "payload.execution.proof_bundle_hash_b64u");
      findings.push(finding("HASH_MISMATCH", at, "the attestation pins another proof bundle"));
    }
    details.push(checked.details);
  });
  return details;
}

// Fail closed on what the schema would only call malformed, so the reason says what is unknown.
function checkHeader(value: unknown): Finding[] {
  if (typeof value !== "object" || value === null) return [];
  const record = value as Record<string, unknown>;
  const findings: Finding[] = [];
  if ("export_version" in record && record["export_version"] !== "1") {
    findings.push(finding("UNKNOWN_VERSION", "export_version", `unknown export version ${String(record["export_version"])}`));
  }
  if ("hash_algorithm" in record && record["hash_algorithm"] !== "SHA-256") {
    findings.push(finding("UNKNOWN_HASH_ALGORITHM", "hash_algorithm", `unknown hash algorithm ${String(record["hash_algorithm"])}`));
  }
  if ("algorithm" in record && record["algorithm"] !== "Ed25519") {
    findings.push(finding("UNKNOWN_ALGORITHM", "algorithm", `unknown signature algorithm ${String(record["algorithm"])}`));
  }
  return findings;
}

export function checkExportBundle(value: unknown, ctx: VerifyContext): Checked<ExportBundleDetails> {
  const header = checkHeader(value);
  if (header.length > 0) return rejected(header);
  const schema = schemaFindings("export_bundle", value, "$");
  if (schema.length > 0) return rejected(schema);
  const bundle = value as ExportBundle;
  const findings = [...checkTimes(bundle, ctx), ...checkManifest(bundle), ...checkSignature(bundle, ctx)];

  const executions: ExecutionAttestationDetails[] = [];
  const anchors: LogInclusionProofDetails[] = [];
  (bundle.artifacts.execution_attestation_envelopes ?? []).forEach((envelope, i) => {
    const path = `artifacts.execution_attestation_envelopes[${i}]`;
    const checked = checkExecutionAttestation(envelope, path, ctx);
    findings.push(...checked.findings);
    if (!checked.ok) return;
    findings.push(...checkExecutionBinding(checked.details, bundle, path));
    findings.push(...checkLogAnchor(envelope, bundle, path, ctx, anchors));
    executions.push(checked.details);
  });
  /*
   * An agent's key is minted per agent and need not be pinned by the auditor. Inside an export bundle
   * a verified execution attestation, signed by a trusted data plane, names the agent DID and pins
   * this proof bundle's hash; the bundle's signature by that DID over that hash then verifies. The
   * data plane's word thus vouches for the agent key, for this proof bundle only.
   */
  const vouch: AgentVouch = (agentDid, proofBundleHash) =>
    executions.some((e) => e.agent_did === agentDid && e.proof_bundle_hash_b64u === proofBundleHash);
  const proof = checkProofBundle(bundle.artifacts.proof_bundle_envelope, "artifacts.proof_bundle_envelope", ctx, vouch);
  findings.push(...proof.findings);
  const derivations = checkModelAttestations("derivation_attestation", bundle, findings, ctx);
  const audits = checkModelAttestations("audit_result_attestation", bundle, findings, ctx);

  if (!proof.ok) return rejected(findings);
  return conclude(findings, () => ({
    export_id: bundle.export_id,
    issuer_did: bundle.issuer_did,
    bundle_hash_b64u: bundle.bundle_hash_b64u,
    manifest_entry_count: bundle.manifest.entries.length,
    proof_bundle: proof.details,
    execution_attestations: executions,
    derivation_attestations: derivations,
    audit_result_attestations: audits,
    log_anchors: anchors,
  }));
}
