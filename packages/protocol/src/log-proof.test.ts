import { describe, expect, it } from "vitest";
import { readVector } from "@clawea/testkit";
import { keyPairFromSeed, publicKeyFromDid, verifyBytes } from "./did-key.js";
import { b64uDecode, utf8 } from "./encoding.js";
import { sha256 } from "./hash.js";
import { buildLogInclusionProof } from "./log-proof.js";
import { MerkleTree } from "./merkle.js";

describe("log inclusion proof documents", () => {
  it("match the golden vector's proof for the same leaves", () => {
    const golden = readVector("log_inclusion_proof_golden.v1.json") as { leaves: string[]; inclusion_proof_v1: Record<string, unknown> };
    const signer = keyPairFromSeed(sha256("log"));
    const proof = buildLogInclusionProof({
      logId: "golden-log",
      tree: MerkleTree.fromLeaves(golden.leaves.map(b64uDecode)),
      leafIndex: 3,
      treeSize: 5,
      rootPublishedAt: "2026-02-11T00:00:00.000Z",
      signer,
    });
    const { root_signature: expectedSignature, ...expected } = golden.inclusion_proof_v1;
    const { root_signature: signature, ...actual } = proof;
    expect(actual).toEqual(expected);
    expect(expectedSignature).toBeDefined();
    expect(verifyBytes(publicKeyFromDid(signature.signer_did), utf8(proof.root_hash_b64u), b64uDecode(signature.sig_b64u))).toBe(true);
  });
});
