import { describe, expect, it } from "vitest";
import { readVector } from "@clawea/testkit";
import { sha256Pair } from "./crypto.js";
import { b64uDecode, b64uEncode } from "./encoding.js";
import { sha256 } from "./hash.js";
import { MerkleTree, treeHeight, verifyConsistencyProof, verifyInclusionProof } from "./merkle.js";

/** The definition, level by level, kept naive on purpose: the tree under test must agree with it. */
function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  let level = leaves;
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(sha256Pair(level[i]!, level[i + 1] ?? level[i]!));
    level = next;
  }
  return level[0]!;
}

const leaves = Array.from({ length: 65 }, (_, i) => sha256(`leaf ${i}`));
const full = MerkleTree.fromLeaves(leaves);

describe("Merkle tree (sha256(l||r), duplicate-last)", () => {
  it("reproduces the golden log inclusion vector", () => {
    const golden = readVector("log_inclusion_proof_golden.v1.json") as {
      leaves: string[];
      proof: { leaf_index: number; tree_size: number; audit_path: string[]; root_hash_b64u: string };
    };
    const tree = MerkleTree.fromLeaves(golden.leaves.map(b64uDecode));
    expect(b64uEncode(tree.root())).toBe(golden.proof.root_hash_b64u);
    expect(tree.inclusionProof(golden.proof.leaf_index).map(b64uEncode)).toEqual(golden.proof.audit_path);
  });

  it("has the audit path length upstream expects", () => {
    expect([1, 2, 3, 4, 5, 8, 9, 1_000_000].map(treeHeight)).toEqual([0, 1, 2, 2, 3, 3, 4, 20]);
  });

  it("agrees with the naive definition and proves every leaf for sizes 1..65", () => {
    for (let size = 1; size <= 65; size++) {
      const root = full.root(size);
      expect(root).toEqual(naiveRoot(leaves.slice(0, size)));
      for (let index = 0; index < size; index++) {
        const auditPath = full.inclusionProof(index, size);
        const input = { leafHash: leaves[index]!, index, treeSize: size, auditPath, rootHash: root };
        expect(verifyInclusionProof(input), `size ${size} leaf ${index}`).toBe(true);
        expect(verifyInclusionProof({ ...input, leafHash: leaves[(index + 1) % 65]! })).toBe(false);
        if (size > 1) {
          expect(verifyInclusionProof({ ...input, index: (index + 1) % size })).toBe(false);
          expect(verifyInclusionProof({ ...input, auditPath: auditPath.slice(1) })).toBe(false);
        }
      }
    }
  });

  it("rejects a proof that claims the duplicated last node is a different sibling", () => {
    // Size 3: leaf 2 pairs with itself. A path with any other sibling must not verify even if it hashes to a root.
    const tree = MerkleTree.fromLeaves(leaves.slice(0, 4));
    const forgedPath = tree.inclusionProof(2, 4);
    const forgedRoot = tree.root(4);
    expect(verifyInclusionProof({ leafHash: leaves[2]!, index: 2, treeSize: 3, auditPath: forgedPath, rootHash: forgedRoot })).toBe(false);
  });

  it("proves consistency between every pair of sizes up to 33", () => {
    for (let newSize = 1; newSize <= 33; newSize++) {
      const newRoot = full.root(newSize);
      for (let oldSize = 1; oldSize <= newSize; oldSize++) {
        const oldRoot = full.root(oldSize);
        const proof = full.consistencyProof(oldSize, newSize);
        expect(proof.length).toBeLessThanOrEqual(2 * treeHeight(newSize) + 1);
        const input = { oldSize, newSize, oldRoot, newRoot, proof };
        expect(verifyConsistencyProof(input), `${oldSize} -> ${newSize}`).toBe(true);
        expect(verifyConsistencyProof({ ...input, proof: [...proof, new Uint8Array(32)] })).toBe(false);
        if (proof.length > 0) {
          expect(verifyConsistencyProof({ ...input, proof: proof.slice(0, -1) })).toBe(false);
          const flipped = proof.map((h, i) => (i === 0 ? sha256(h) : h));
          expect(verifyConsistencyProof({ ...input, proof: flipped })).toBe(false);
        }
        if (oldSize < newSize) {
          expect(verifyConsistencyProof({ ...input, oldRoot: full.root(oldSize + 1) })).toBe(false);
          // A different history with the same new size must not be consistent with the old head.
          const rewritten = MerkleTree.fromLeaves(leaves.slice(0, newSize).map((l, i) => (i === 0 ? sha256(l) : l)));
          expect(verifyConsistencyProof({ ...input, newRoot: rewritten.root() })).toBe(false);
        }
      }
    }
  });

  it("rejects impossible sizes", () => {
    expect(() => MerkleTree.fromLeaves([])).toThrow(RangeError);
    expect(() => full.root(66)).toThrow(RangeError);
    expect(() => full.inclusionProof(5, 5)).toThrow(RangeError);
    expect(() => full.consistencyProof(6, 5)).toThrow(RangeError);
    const root = full.root(5);
    expect(verifyConsistencyProof({ oldSize: 0, newSize: 5, oldRoot: root, newRoot: root, proof: [] })).toBe(false);
    expect(verifyInclusionProof({ leafHash: leaves[0]!, index: -1, treeSize: 5, auditPath: [], rootHash: root })).toBe(false);
  });
});
