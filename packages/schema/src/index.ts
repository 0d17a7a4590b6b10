// @clawea/schema: our TypeBox schemas, static types and validators for every Clawsig artifact clawea emits.
export { B64U_PATTERN, CLAWEA_SCHEMA_BASE } from "./common.schema.js";
export { SignedEnvelope } from "./signed-envelope.schema.js";
export { ReceiptBinding, LegacyReceiptBinding } from "./receipt-binding.schema.js";
export { ModelIdentity, ModelIdentityTier } from "./model-identity.schema.js";
export { LogInclusionProof } from "./log-inclusion-proof.schema.js";
export { GatewayReceiptPayload, GatewayReceiptEnvelope, KinematicFingerprint, SentinelAnomalyReport } from "./gateway-receipt.schema.js";
export {
  ToolReceipt,
  ToolReceiptV1Payload,
  ToolReceiptV1Envelope,
  ToolReceiptV2Payload,
  ToolReceiptV2Envelope,
  SelectiveDisclosure,
  CoSignature,
} from "./tool-receipt.schema.js";
export { SideEffectClass, SideEffectReceiptPayload, SideEffectReceiptEnvelope } from "./side-effect-receipt.schema.js";
export { ApprovalType, HumanApprovalReceiptPayload, HumanApprovalReceiptEnvelope } from "./human-approval-receipt.schema.js";
export { EventChain, EventChainEntry } from "./event-chain.schema.js";
export { Urm, UrmResource } from "./urm.schema.js";
export {
  ProofBundlePayload,
  ProofBundleEnvelope,
  ProofBundleMetadata,
  UrmReference,
  BundledGatewayReceiptEnvelope,
  BundledSideEffectReceipt,
  BundledHumanApprovalReceipt,
  BundledDelegationReceipt,
  RateLimitClaim,
  AttestationReference,
  SentinelTelemetry,
  EgressPolicyReceiptPayload,
  EgressPolicyReceiptEnvelope,
} from "./proof-bundle.schema.js";
export { ExecutionAttestationPayload, ExecutionAttestationEnvelope, TeeAttestation } from "./execution-attestation.schema.js";
export {
  DerivationAttestationPayload,
  DerivationAttestationEnvelope,
  AuditResultAttestationPayload,
  AuditResultAttestationEnvelope,
} from "./model-attestations.schema.js";
export { ExportBundle, ExportBundleManifest, ExportBundleManifestEntry } from "./export-bundle.schema.js";
export {
  WorkPolicyContractV1,
  WorkPolicyContractV2,
  WorkPolicyContractEnvelope,
  PolicyStatement,
  ConditionMap,
  WitnessedWebPolicy,
} from "./work-policy-contract.schema.js";
export { CstClaims } from "./scoped-token-claims.schema.js";
export {
  allSchemas,
  artifactSchemas,
  ARTIFACT_KINDS,
  validate,
  type Artifact,
  type ArtifactKind,
  type SchemaError,
  type ValidationResult,
} from "./artifact.registry.js";
