// Log inclusion proof (poh/log_inclusion_proof.v1): a leaf's Merkle audit path to a signed log root.
import { Type, type Static } from "@sinclair/typebox";
import { B64u, closed, DateTime, Did, JsonObject, NonEmptyString, NonNegativeNumber, schemaId } from "./common.schema.js";

export const LogInclusionProof = Type.Object(
  {
    proof_version: Type.Literal("1"),
    log_id: NonEmptyString,
    tree_size: NonNegativeNumber,
    leaf_hash_b64u: B64u,
    root_hash_b64u: B64u,
    audit_path: Type.Array(B64u),
    root_published_at: DateTime,
    root_signature: Type.Object({ signer_did: Did, sig_b64u: B64u }, closed),
    metadata: Type.Optional(JsonObject),
  },
  { $id: schemaId("poh/log_inclusion_proof.v1.json"), additionalProperties: false },
);
export type LogInclusionProof = Static<typeof LogInclusionProof>;
