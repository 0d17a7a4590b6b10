/** The public verifiers: options checked, internal checks run, and nothing thrown past this line. */
import { checkExecutionAttestation, type ExecutionAttestationDetails } from "./execution-attestation.verify.js";
import { checkExportBundle, type ExportBundleDetails } from "./export-bundle.verify.js";
import { checkLogInclusionProof, type LogInclusionProofDetails } from "./log-inclusion-proof.verify.js";
import { checkProofBundle, type ProofBundleDetails } from "./proof-bundle.verify.js";
import { finding, rejected, toResult, type Checked, type VerificationResult } from "./result.model.js";
import { contextFrom, type VerifyContext, type VerifyOptions } from "./trust.model.js";

// Upstream compares an export bundle's times with the verification time allowing five minutes of skew,
// and standalone artifacts with none.
const EXPORT_SKEW_MS = 5 * 60 * 1000;

function run<D>(options: VerifyOptions, skewMs: number, check: (ctx: VerifyContext) => Checked<D>): VerificationResult<D> {
  try {
    const context = contextFrom(options, skewMs);
    return toResult(context.ok ? check(context.ctx) : rejected(context.findings));
  } catch {
    // Input no JSON parser produces (cycles, deep nesting past the stack) is still an answer, not a crash.
    return toResult(rejected([finding("INPUT_UNREADABLE", "$", "the input is not a JSON document this verifier can read")]));
  }
}

/** A proof bundle envelope, its agent signer trusted directly through the anchors (role `agent`). */
export function verifyProofBundle(input: unknown, options: VerifyOptions): VerificationResult<ProofBundleDetails> {
  return run(options, 0, (ctx) => checkProofBundle(input, "$", ctx, null));
}

/** An execution attestation envelope signed by a trusted data plane. */
export function verifyExecutionAttestation(input: unknown, options: VerifyOptions): VerificationResult<ExecutionAttestationDetails> {
  return run(options, 0, (ctx) => checkExecutionAttestation(input, "$", ctx));
}

/** An export bundle and every artifact inside it. */
export function verifyExportBundle(input: unknown, options: VerifyOptions): VerificationResult<ExportBundleDetails> {
  return run(options, EXPORT_SKEW_MS, (ctx) => checkExportBundle(input, ctx));
}

/** A `log_inclusion_proof.v1` whose root a trusted log signed. */
export function verifyLogInclusionProof(input: unknown, options: VerifyOptions): VerificationResult<LogInclusionProofDetails> {
  return run(options, 0, (ctx) => checkLogInclusionProof(input, "$", ctx));
}

export const ARTIFACT_KINDS = ["proof_bundle", "execution_attestation", "export_bundle", "log_inclusion_proof"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export interface ArtifactDetails {
  proof_bundle: ProofBundleDetails;
  execution_attestation: ExecutionAttestationDetails;
  export_bundle: ExportBundleDetails;
  log_inclusion_proof: LogInclusionProofDetails;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The containers artifacts travel in, as [a field the artifact itself has, the container's field]:
 * upstream's CLI accepts `{envelope}` and `{bundle}`, and the published log vector wraps its proof as
 * `inclusion_proof_v1`. A document that is itself the artifact is taken as it is.
 */
const CONTAINERS: { [Kind in ArtifactKind]: readonly [string, string] } = {
  proof_bundle: ["envelope_version", "envelope"],
  execution_attestation: ["envelope_version", "envelope"],
  export_bundle: ["export_version", "bundle"],
  log_inclusion_proof: ["proof_version", "inclusion_proof_v1"],
};

const VERIFIERS: { [Kind in ArtifactKind]: (input: unknown, options: VerifyOptions) => VerificationResult<ArtifactDetails[Kind]> } = {
  proof_bundle: verifyProofBundle,
  execution_attestation: verifyExecutionAttestation,
  export_bundle: verifyExportBundle,
  log_inclusion_proof: verifyLogInclusionProof,
};

/** Verifies a document of the named kind, as a file or an API body holds it (see `CONTAINERS`). */
export function verifyArtifact<K extends ArtifactKind>(
  kind: K,
  document: unknown,
  options: VerifyOptions,
): VerificationResult<ArtifactDetails[K]> {
  const [own, container] = CONTAINERS[kind];
  const input = isRecord(document) && !(own in document) && container in document ? document[container] : document;
  return VERIFIERS[kind](input, options);
}
