/** Log inclusion proofs: a leaf, its audit path to a root, and the log's signature over that root. */
import { MERKLE_ALGORITHM, b64uDecode, publicKeyFromDid, treeHeight, utf8, verifyBytes, verifyInclusionProof } from "@clawea/protocol";
import { conclude, finding, joinPath, rejected, type Checked, type Finding } from "./result.model.js";
import { schemaFindings } from "./schema.check.js";
import { isTrusted, type VerifyContext } from "./trust.model.js";

export interface LogInclusionProofDetails {
  log_id: string;
  tree_size: number;
  leaf_index: number;
  leaf_hash_b64u: string;
  root_hash_b64u: string;
  root_signer_did: string;
  root_published_at: string;
}

interface LogInclusionProof {
  log_id: string;
  tree_size: number;
  leaf_hash_b64u: string;
  root_hash_b64u: string;
  audit_path: string[];
  root_published_at: string;
  root_signature: { signer_did: string; sig_b64u: string };
  metadata?: Record<string, unknown>;
}

function decodeB64u(text: string): Uint8Array | null {
  try {
    return b64uDecode(text);
  } catch {
    return null;
  }
}

function decodeHash(text: string): Uint8Array | null {
  const bytes = decodeB64u(text);
  return bytes?.length === 32 ? bytes : null;
}

/** The root signature: Ed25519 by a trusted log key over the UTF-8 bytes of `root_hash_b64u`. */
function checkRootSignature(proof: LogInclusionProof, at: (sub: string) => string, ctx: VerifyContext): Finding[] {
  const { signer_did: signer, sig_b64u: signature } = proof.root_signature;
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyFromDid(signer);
  } catch {
    return [finding("INVALID_DID_FORMAT", at("root_signature.signer_did"), "the root signer must be an Ed25519 did:key")];
  }
  const findings: Finding[] = [];
  const signatureBytes = decodeB64u(signature);
  if (signatureBytes === null || !verifyBytes(publicKey, utf8(proof.root_hash_b64u), signatureBytes)) {
    findings.push(finding("SIGNATURE_INVALID", at("root_signature.sig_b64u"), "the root signature does not verify under the root signer"));
  }
  if (!isTrusted(ctx.trust, "log", signer)) {
    findings.push(finding("SIGNER_NOT_TRUSTED", at("root_signature.signer_did"), "the root signer is not a trusted log signer"));
  }
  return findings;
}

/** The Merkle path: leaf_index (upstream carries it in metadata) places the leaf; the path must reach the root. */
function checkPath(proof: LogInclusionProof, at: (sub: string) => string): { findings: Finding[]; leafIndex: number } {
  const fail = (sub: string, message: string): { findings: Finding[]; leafIndex: number } => ({
    findings: [finding("INCLUSION_PROOF_INVALID", at(sub), message)],
    leafIndex: -1,
  });
  const leafIndex = proof.metadata?.["leaf_index"];
  if (typeof leafIndex !== "number" || !Number.isSafeInteger(leafIndex) || leafIndex < 0) {
    return fail("metadata.leaf_index", "metadata.leaf_index must be a non-negative integer");
  }
  const algorithm = proof.metadata?.["merkle_algorithm"];
  // The field is descriptive, but a proof that names another tree construction is not one we can check.
  if (algorithm !== undefined && algorithm !== MERKLE_ALGORITHM) {
    return fail("metadata.merkle_algorithm", `unknown Merkle construction; expected "${MERKLE_ALGORITHM}"`);
  }
  if (!Number.isSafeInteger(proof.tree_size) || proof.tree_size < 1) return fail("tree_size", "tree_size must be a positive integer");
  if (leafIndex >= proof.tree_size) return fail("metadata.leaf_index", "leaf_index lies outside the tree");
  if (proof.audit_path.length !== treeHeight(proof.tree_size)) {
    return fail("audit_path", `a tree of ${proof.tree_size} leaves has audit paths of ${treeHeight(proof.tree_size)} hashes`);
  }
  const leafHash = decodeHash(proof.leaf_hash_b64u);
  if (leafHash === null) return fail("leaf_hash_b64u", "leaf_hash_b64u is not a base64url SHA-256 hash");
  const rootHash = decodeHash(proof.root_hash_b64u);
  if (rootHash === null) return fail("root_hash_b64u", "root_hash_b64u is not a base64url SHA-256 hash");
  const auditPath: Uint8Array[] = [];
  for (const [i, node] of proof.audit_path.entries()) {
    const bytes = decodeHash(node);
    if (bytes === null) return fail(`audit_path[${i}]`, "audit path entries are base64url SHA-256 hashes");
    auditPath.push(bytes);
  }
  if (!verifyInclusionProof({ leafHash, index: leafIndex, treeSize: proof.tree_size, auditPath, rootHash })) {
    return fail("audit_path", "the audit path does not lead from the leaf to root_hash_b64u");
  }
  return { findings: [], leafIndex };
}

export function checkLogInclusionProof(value: unknown, path: string, ctx: VerifyContext): Checked<LogInclusionProofDetails> {
  const schema = schemaFindings("log_inclusion_proof", value, path);
  if (schema.length > 0) return rejected(schema);
  const proof = value as LogInclusionProof;
  const at = (sub: string): string => joinPath(path, sub);
  const signature = checkRootSignature(proof, at, ctx);
  const merkle = checkPath(proof, at);
  return conclude([...signature, ...merkle.findings], () => ({
    log_id: proof.log_id,
    tree_size: proof.tree_size,
    leaf_index: merkle.leafIndex,
    leaf_hash_b64u: proof.leaf_hash_b64u,
    root_hash_b64u: proof.root_hash_b64u,
    root_signer_did: proof.root_signature.signer_did,
    root_published_at: proof.root_published_at,
  }));
}
