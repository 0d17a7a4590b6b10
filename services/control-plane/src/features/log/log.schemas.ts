/** API shapes for the transparency log: its signed head, inclusion proofs (Clawsig `log_inclusion_proof.v1`), consistency proofs. */
import { Type } from "@sinclair/typebox";

const Hash = Type.String({ pattern: "^[A-Za-z0-9_-]{43}$", description: "SHA-256, base64url without padding." });
const RootSignature = Type.Object(
  {
    signer_did: Type.String({ description: "The log's did:key." }),
    sig_b64u: Type.String({ description: "Ed25519 over the UTF-8 bytes of `root_hash_b64u`." }),
  },
  { additionalProperties: false },
);

export const LogRoot = Type.Object(
  {
    log_id: Type.String(),
    log_did: Type.String({ description: "The did:key that signs this log's roots: pin it as a trusted signer in role `log`." }),
    tree_size: Type.Integer({ minimum: 0 }),
    root_hash_b64u: Hash,
    published_at: Type.String({ format: "date-time" }),
    root_signature: RootSignature,
  },
  { $id: "LogRoot", additionalProperties: false, description: "The log's current signed tree head (the empty log's root is SHA-256 of nothing)." },
);

export const InclusionQuery = Type.Object(
  {
    leaf: Type.String({
      pattern: "^([0-9]{1,15}|[A-Za-z0-9_-]{43})$",
      description: "The leaf's hash (base64url SHA-256) or its index.",
    }),
    tree_size: Type.Optional(
      Type.Integer({ minimum: 1, description: "Prove against this size; by default the newest published head that holds the leaf." }),
    ),
  },
  { additionalProperties: false },
);

export const LogInclusionProof = Type.Object(
  {
    proof_version: Type.Literal("1"),
    log_id: Type.String(),
    tree_size: Type.Integer({ minimum: 1 }),
    leaf_hash_b64u: Hash,
    root_hash_b64u: Hash,
    audit_path: Type.Array(Hash, { description: "Sibling hashes, leaf level first." }),
    root_published_at: Type.String({ format: "date-time" }),
    root_signature: RootSignature,
    metadata: Type.Object({ leaf_index: Type.Integer({ minimum: 0 }), merkle_algorithm: Type.String() }, { additionalProperties: false }),
  },
  { $id: "LogInclusionProof", additionalProperties: false, description: "A Clawsig `log_inclusion_proof.v1`: verify it offline with `clawea verify log-proof`." },
);

export const ConsistencyQuery = Type.Object(
  {
    from: Type.Integer({ minimum: 1, description: "The older tree size." }),
    to: Type.Integer({ minimum: 1, description: "The newer tree size, at most the log's size." }),
  },
  { additionalProperties: false },
);

export const LogConsistencyProof = Type.Object(
  {
    log_id: Type.String(),
    from_size: Type.Integer({ minimum: 1 }),
    to_size: Type.Integer({ minimum: 1 }),
    from_root_hash_b64u: Hash,
    to_root_hash_b64u: Hash,
    proof: Type.Array(Hash, { description: "The old tree's maximal complete subtrees, then the new tree's after the old size." }),
    merkle_algorithm: Type.String(),
  },
  { $id: "LogConsistencyProof", additionalProperties: false, description: "Proves the tree of `from_size` leaves is a prefix of the tree of `to_size`." },
);
