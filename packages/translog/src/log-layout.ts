/**
 * The log's storage layout, as pure functions: which complete subtrees a tree of n leaves holds, which
 * of them an append completes, and which nodes a proof reads. No I/O; `log.repo.ts` stores the result.
 *
 * Node (level, index) covers leaves [index·2^level, (index+1)·2^level). Level 0 is the leaves
 * themselves; levels ≥ 1 are stored once complete and never change, because the tree only grows to
 * the right. Everything else (the at most log n partial nodes on the right edge) is recomputed.
 */
import { sha256, sha256B64u, type MerkleNodeReader } from "@clawea/protocol";

export interface NodePosition {
  level: number;
  index: number;
}

export interface NodeHash extends NodePosition {
  hash: Uint8Array;
}

/** The empty log has no Merkle root; like RFC 6962 we publish SHA-256 of the empty string for it. */
export const EMPTY_ROOT_B64U = sha256B64u(new Uint8Array(0));

export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}

/**
 * The maximal complete subtrees of a tree of `size` leaves, one per set bit of `size`, lowest level
 * first: exactly the old nodes an append needs to hash the first new node of each level.
 */
export function frontier(size: number): NodePosition[] {
  const nodes: NodePosition[] = [];
  for (let level = 0, count = size; count > 0; level++, count = Math.floor(count / 2)) {
    if (count % 2 === 1) nodes.push({ level, index: count - 1 });
  }
  return nodes;
}

/** sha256(left || right) through the protocol's one crypto module. */
function pairHash(scratch: Uint8Array, left: Uint8Array, right: Uint8Array): Uint8Array {
  scratch.set(left, 0);
  scratch.set(right, 32);
  return sha256(scratch);
}

/**
 * The interior nodes (level ≥ 1) that become complete when `leaves` are appended to a tree of
 * `oldSize` leaves. `frontierHashes` holds the hashes of `frontier(oldSize)`, keyed by `nodeKey`.
 */
export function completedNodes(oldSize: number, frontierHashes: ReadonlyMap<string, Uint8Array>, leaves: readonly Uint8Array[]): NodeHash[] {
  const out: NodeHash[] = [];
  const scratch = new Uint8Array(64);
  let start = oldSize;
  let row: readonly Uint8Array[] = leaves;
  for (let level = 0; row.length > 0; level++) {
    if (start % 2 === 1) {
      // The row's first node pairs with the old tree's last complete node of this level.
      const left = frontierHashes.get(nodeKey(level, start - 1));
      if (!left) throw new Error(`frontier node ${nodeKey(level, start - 1)} is missing`);
      row = [left, ...row];
      start -= 1;
    }
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < row.length; i += 2) {
      const hash = pairHash(scratch, row[i]!, row[i + 1]!);
      next.push(hash);
      out.push({ level: level + 1, index: start / 2 + next.length - 1, hash });
    }
    start /= 2;
    row = next;
  }
  return out;
}

/**
 * The nodes `run` reads from a tree. Proof code branches on sizes and indexes only, never on hash
 * values, so a dry run against a reader that answers zeros asks for exactly the nodes a real run will.
 */
export function nodesRead(run: (reader: MerkleNodeReader) => unknown): NodePosition[] {
  const zero = new Uint8Array(32);
  const wanted = new Map<string, NodePosition>();
  run({
    node(level, index) {
      wanted.set(nodeKey(level, index), { level, index });
      return zero;
    },
  });
  return [...wanted.values()];
}
