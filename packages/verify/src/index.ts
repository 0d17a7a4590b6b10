/** @clawea/verify: the pure offline verifier for Clawsig evidence. No I/O, no clock, no env. */
export {
  ARTIFACT_KINDS,
  verifyArtifact,
  verifyExecutionAttestation,
  verifyExportBundle,
  verifyLogInclusionProof,
  verifyProofBundle,
  type ArtifactDetails,
  type ArtifactKind,
} from "./verifier.api.js";
export { SIGNER_ROLES, type SignerRole, type TrustAnchors, type VerifyOptions } from "./trust.model.js";
export type { Finding, VerificationResult } from "./result.model.js";
export type { ProofBundleDetails } from "./proof-bundle.verify.js";
export type { ExecutionAttestationDetails } from "./execution-attestation.verify.js";
export type { ExportBundleDetails } from "./export-bundle.verify.js";
export type { LogInclusionProofDetails } from "./log-inclusion-proof.verify.js";
export type { ModelAttestationDetails } from "./model-attestation.verify.js";
