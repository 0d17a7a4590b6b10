/** `log_inclusion_proof.v1` documents: a leaf's audit path plus the log's signature over the root. */
import { signBytes, type KeyPair } from "./did-key.js";
import { b64uEncode, utf8 } from "./encoding.js";
import { isRfc3339 } from "./envelope.js";
import { ProtocolError } from "./errors.js";
import { inclusionProof, rootHash, type MerkleNodeReader } from "./merkle.js";

/** How `log_inclusion_proof.v1` names this tree construction in `metadata.merkle_algorithm`. */
export const MERKLE_ALGORITHM = "sha256(left||right), duplicate-last for odd levels";

export interface LogInclusionProof {
  proof_version: "1";
  log_id: string;
  tree_size: number;
  leaf_hash_b64u: string;
  root_hash_b64u: string;
  audit_path: string[];
  root_published_at: string;
  root_signature: { signer_did: string; sig_b64u: string };
  metadata: { leaf_index: number; merkle_algorithm: string };
}

/** The Clawsig log signs the root hash's base64url text, nothing else (see the golden vector). */
export function signLogRoot(rootHashB64u: string, signer: KeyPair): { signer_did: string; sig_b64u: string } {
  return { signer_did: signer.did, sig_b64u: b64uEncode(signBytes(signer.privateKey, utf8(rootHashB64u))) };
}

export interface BuildInclusionProofInput {
  logId: string;
  tree: MerkleNodeReader;
  leafIndex: number;
  treeSize: number;
  /** RFC 3339 time the root was published; the caller owns the clock. */
  rootPublishedAt: string;
  signer: KeyPair;
}

export function buildLogInclusionProof(input: BuildInclusionProofInput): LogInclusionProof {
  if (!isRfc3339(input.rootPublishedAt)) throw new ProtocolError("MALFORMED_ENVELOPE", "rootPublishedAt must be RFC 3339");
  const root = b64uEncode(rootHash(input.tree, input.treeSize));
  const leaf = input.tree.node(0, input.leafIndex);
  return {
    proof_version: "1",
    log_id: input.logId,
    tree_size: input.treeSize,
    leaf_hash_b64u: b64uEncode(leaf),
    root_hash_b64u: root,
    audit_path: inclusionProof(input.tree, input.leafIndex, input.treeSize).map(b64uEncode),
    root_published_at: input.rootPublishedAt,
    root_signature: signLogRoot(root, input.signer),
    metadata: { leaf_index: input.leafIndex, merkle_algorithm: MERKLE_ALGORITHM },
  };
}
