// One validator per artifact kind, compiled with Ajv on first use and cached.
import type { Static, TSchema } from "@sinclair/typebox";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorObject, ValidateFunction } from "ajv";
import formats from "ajv-formats";
import { EventChain, EventChainEntry } from "./event-chain.schema.js";
import { ExecutionAttestationEnvelope, ExecutionAttestationPayload } from "./execution-attestation.schema.js";
import { ExportBundle, ExportBundleManifest } from "./export-bundle.schema.js";
import { GatewayReceiptEnvelope, GatewayReceiptPayload, KinematicFingerprint, SentinelAnomalyReport } from "./gateway-receipt.schema.js";
import { HumanApprovalReceiptEnvelope, HumanApprovalReceiptPayload } from "./human-approval-receipt.schema.js";
import { LogInclusionProof } from "./log-inclusion-proof.schema.js";
import {
  AuditResultAttestationEnvelope,
  AuditResultAttestationPayload,
  DerivationAttestationEnvelope,
  DerivationAttestationPayload,
} from "./model-attestations.schema.js";
import { ModelIdentity } from "./model-identity.schema.js";
import { ProofBundleEnvelope, ProofBundlePayload } from "./proof-bundle.schema.js";
import { ReceiptBinding } from "./receipt-binding.schema.js";
import { CstClaims } from "./scoped-token-claims.schema.js";
import { SideEffectReceiptEnvelope, SideEffectReceiptPayload } from "./side-effect-receipt.schema.js";
import {
  CoSignature,
  SelectiveDisclosure,
  ToolReceiptV1Envelope,
  ToolReceiptV1Payload,
  ToolReceiptV2Envelope,
  ToolReceiptV2Payload,
} from "./tool-receipt.schema.js";
import { Urm } from "./urm.schema.js";
import { WorkPolicyContractEnvelope, WorkPolicyContractV1, WorkPolicyContractV2 } from "./work-policy-contract.schema.js";

/** The schema of every artifact kind `validate` knows. */
export const artifactSchemas = {
  gateway_receipt: GatewayReceiptPayload,
  gateway_receipt_envelope: GatewayReceiptEnvelope,
  tool_receipt_v1: ToolReceiptV1Payload,
  tool_receipt_v1_envelope: ToolReceiptV1Envelope,
  tool_receipt_v2: ToolReceiptV2Payload,
  tool_receipt_v2_envelope: ToolReceiptV2Envelope,
  side_effect_receipt: SideEffectReceiptPayload,
  side_effect_receipt_envelope: SideEffectReceiptEnvelope,
  human_approval_receipt: HumanApprovalReceiptPayload,
  human_approval_receipt_envelope: HumanApprovalReceiptEnvelope,
  receipt_binding: ReceiptBinding,
  model_identity: ModelIdentity,
  event_chain: EventChain,
  event_chain_entry: EventChainEntry,
  urm: Urm,
  proof_bundle: ProofBundlePayload,
  proof_bundle_envelope: ProofBundleEnvelope,
  execution_attestation: ExecutionAttestationPayload,
  execution_attestation_envelope: ExecutionAttestationEnvelope,
  export_bundle: ExportBundle,
  export_bundle_manifest: ExportBundleManifest,
  log_inclusion_proof: LogInclusionProof,
  wpc_v1: WorkPolicyContractV1,
  wpc_v2: WorkPolicyContractV2,
  wpc_envelope: WorkPolicyContractEnvelope,
  cst_claims: CstClaims,
} as const satisfies Record<string, TSchema>;

export type ArtifactKind = keyof typeof artifactSchemas;
export type Artifact<K extends ArtifactKind> = Static<(typeof artifactSchemas)[K]>;

export const ARTIFACT_KINDS = Object.keys(artifactSchemas) as readonly ArtifactKind[];

/** Every schema with an `$id`: the artifacts and the parts they `$ref`. A JSON Schema consumer needs them all. */
export const allSchemas: readonly TSchema[] = [
  ...Object.values(artifactSchemas),
  KinematicFingerprint,
  SentinelAnomalyReport,
  SelectiveDisclosure,
  CoSignature,
  DerivationAttestationPayload,
  DerivationAttestationEnvelope,
  AuditResultAttestationPayload,
  AuditResultAttestationEnvelope,
];

export interface SchemaError {
  /** RFC 6901 JSON Pointer to the offending member ("" is the value itself); for a missing member, where it belongs. */
  readonly path: string;
  readonly message: string;
}

export type ValidationResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: SchemaError[] };

let ajv: Ajv2020 | undefined;

// Adding a schema only registers it; Ajv compiles a kind (and what it references) on its first getSchema
// and caches the result.
function validatorFor(kind: ArtifactKind): ValidateFunction {
  if (ajv === undefined) {
    ajv = new Ajv2020({ strict: true, allErrors: false });
    formats.default(ajv);
    ajv.addSchema([...allSchemas]);
  }
  // Callers outside TypeScript can pass any string; an unknown kind is a programming error, not invalid data.
  const id: unknown = (artifactSchemas as Record<string, TSchema | undefined>)[kind]?.$id;
  const fn = typeof id === "string" ? ajv.getSchema(id) : undefined;
  if (fn === undefined) throw new Error(`unknown artifact kind ${kind}`);
  return fn;
}

function escapePointer(member: string): string {
  return member.replace(/~/g, "~0").replace(/\//g, "~1");
}

function toSchemaError(error: ErrorObject): SchemaError {
  const params = error.params as Record<string, unknown>;
  const member = params["missingProperty"] ?? params["additionalProperty"];
  const path = typeof member === "string" ? `${error.instancePath}/${escapePointer(member)}` : error.instancePath;
  return { path, message: error.message ?? error.keyword };
}

/** Checks `value` against the schema of `kind`; on success the value is typed as that artifact. */
export function validate<K extends ArtifactKind>(kind: K, value: unknown): ValidationResult<Artifact<K>> {
  const fn = validatorFor(kind);
  if (fn(value)) return { ok: true, value: value as Artifact<K> };
  return { ok: false, errors: (fn.errors ?? []).map(toSchemaError) };
}
