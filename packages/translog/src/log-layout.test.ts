// The layout against the protocol's in-memory tree: what appends store is exactly its complete nodes.
import { describe, expect, it } from "vitest";
import { MerkleTree, consistencyProof, inclusionProof, rootHash, sha256, treeHeight } from "@clawea/protocol";
import { completedNodes, frontier, nodeKey, nodesRead } from "./log-layout.js";

const leaves = Array.from({ length: 70 }, (_, i) => sha256(`leaf ${i}`));

/** Every complete node (level ≥ 1) of a tree of `size` leaves. */
function completeNodes(size: number): string[] {
  const keys: string[] = [];
  for (let level = 1; 2 ** level <= size; level++) {
    for (let index = 0; (index + 1) * 2 ** level <= size; index++) keys.push(nodeKey(level, index));
  }
  return keys;
}

describe("frontier", () => {
  it("is one complete subtree per set bit, covering the tree left to right", () => {
    expect(frontier(0)).toEqual([]);
    expect(frontier(5)).toEqual([
      { level: 0, index: 4 },
      { level: 2, index: 0 },
    ]);
    for (let size = 1; size <= 70; size++) {
      const widths = frontier(size).map((n) => 2 ** n.level);
      expect(widths.reduce((a, b) => a + b, 0)).toBe(size);
      for (const node of frontier(size)) expect((node.index + 1) * 2 ** node.level).toBeLessThanOrEqual(size);
    }
  });
});

describe("completedNodes", () => {
  it("adds exactly the complete nodes an append completes, with the in-memory tree's hashes", () => {
    for (let oldSize = 0; oldSize <= 40; oldSize++) {
      for (const added of [1, 2, 3, 7, 16, 29]) {
        const newSize = oldSize + added;
        const full = MerkleTree.fromLeaves(leaves.slice(0, newSize));
        const edge = new Map(frontier(oldSize).map((n) => [nodeKey(n.level, n.index), full.node(n.level, n.index)]));
        const nodes = completedNodes(oldSize, edge, leaves.slice(oldSize, newSize));
        const expected = completeNodes(newSize).filter((key) => !(oldSize > 0 && completeNodes(oldSize).includes(key)));
        expect(nodes.map((n) => nodeKey(n.level, n.index)).sort()).toEqual(expected.sort());
        for (const node of nodes) expect(node.hash).toEqual(full.node(node.level, node.index));
      }
    }
  });

  it("refuses to guess a missing frontier node", () => {
    expect(() => completedNodes(3, new Map(), [leaves[3]!])).toThrow(/frontier/);
  });
});

describe("nodesRead", () => {
  it("names O(log n) complete nodes for a root and an audit path, and nothing else", () => {
    const size = 1_000_003;
    const height = treeHeight(size);
    for (const index of [0, 1, 500_000, size - 1]) {
      const nodes = nodesRead((reader) => [rootHash(reader, size), inclusionProof(reader, index, size)]);
      expect(nodes.length).toBeLessThanOrEqual(2 * height);
      for (const node of nodes) expect((node.index + 1) * 2 ** node.level).toBeLessThanOrEqual(size);
    }
    const consistency = nodesRead((reader) => consistencyProof(reader, 999_999, size));
    expect(consistency.length).toBeLessThanOrEqual(3 * height);
  });
});
