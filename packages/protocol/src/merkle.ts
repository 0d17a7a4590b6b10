/**
 * The Clawsig transparency-log Merkle tree, as the golden vector pins it: leaves are 32-byte hashes,
 * a node is sha256(left || right), and a level with an odd count pairs its last node with itself.
 * The math here is storage-free: proofs read complete subtrees through a `MerkleNodeReader`, so an
 * in-memory tree and a database-backed log share one implementation.
 */
import { sha256Pair } from "./crypto.js";

/** Gives the hash of a complete subtree: leaves [index·2^level, (index+1)·2^level) all present. */
export interface MerkleNodeReader {
  node(level: number, index: number): Uint8Array;
}

/** Number of levels above the leaves: the audit path length for a tree of `size` leaves. */
export function treeHeight(size: number): number {
  let height = 0;
  while (2 ** height < size) height++;
  return height;
}

function assertSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError("tree size must be a positive integer");
}

/** Hash of node (level, index) in a tree of `size` leaves; the node must start before `size`. */
export function subtreeHash(reader: MerkleNodeReader, level: number, index: number, size: number): Uint8Array {
  const width = 2 ** level;
  const start = index * width;
  if (start + width <= size) return reader.node(level, index);
  const left = subtreeHash(reader, level - 1, 2 * index, size);
  const rightStart = start + width / 2;
  const right = rightStart < size ? subtreeHash(reader, level - 1, 2 * index + 1, size) : left;
  return sha256Pair(left, right);
}

export function rootHash(reader: MerkleNodeReader, size: number): Uint8Array {
  assertSize(size);
  return subtreeHash(reader, treeHeight(size), 0, size);
}

/** Audit path for leaf `index` in a tree of `size` leaves, leaf level first. */
export function inclusionProof(reader: MerkleNodeReader, index: number, size: number): Uint8Array[] {
  assertSize(size);
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) throw new RangeError("leaf index out of range");
  const path: Uint8Array[] = [];
  for (let level = 0; level < treeHeight(size); level++) {
    const node = Math.floor(index / 2 ** level);
    const sibling = node ^ 1;
    const siblingExists = sibling * 2 ** level < size;
    path.push(subtreeHash(reader, level, siblingExists ? sibling : node, size));
  }
  return path;
}

export interface InclusionProofInput {
  leafHash: Uint8Array;
  index: number;
  treeSize: number;
  auditPath: readonly Uint8Array[];
  rootHash: Uint8Array;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * True when `auditPath` leads from the leaf to the root. Where the tree duplicates a last odd node
 * the path must hold that same node: this pins the position and closes the duplicate-last ambiguity.
 */
export function verifyInclusionProof(input: InclusionProofInput): boolean {
  const { index, treeSize } = input;
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) return false;
  if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) return false;
  if (input.auditPath.length !== treeHeight(treeSize)) return false;
  let current = input.leafHash;
  let node = index;
  let levelSize = treeSize;
  for (const sibling of input.auditPath) {
    if (sibling.length !== 32) return false;
    if (node % 2 === 1) {
      current = sha256Pair(sibling, current);
    } else {
      if (node + 1 >= levelSize && !bytesEqual(sibling, current)) return false;
      current = sha256Pair(current, sibling);
    }
    node = Math.floor(node / 2);
    levelSize = Math.ceil(levelSize / 2);
  }
  return bytesEqual(current, input.rootHash);
}

/*
 * Consistency proofs. RFC 6962's algorithm assumes its unbalanced tree shape, so we define ours on the
 * duplicate-last shape: walk the old tree and emit its maximal complete subtrees (they are identical in
 * the new tree), then walk the new tree reusing those and emitting the maximal complete subtrees that
 * lie wholly after the old size. Both walks recompute every partial node, so the verifier rebuilds both
 * roots from one list. The proof has O(log n) hashes.
 */

type Visit = (level: number, index: number) => Uint8Array;

function walkOld(level: number, index: number, oldSize: number, complete: Visit): Uint8Array {
  const width = 2 ** level;
  const start = index * width;
  if (start + width <= oldSize) return complete(level, index);
  const left = walkOld(level - 1, 2 * index, oldSize, complete);
  const rightStart = start + width / 2;
  const right = rightStart < oldSize ? walkOld(level - 1, 2 * index + 1, oldSize, complete) : left;
  return sha256Pair(left, right);
}

function walkNew(level: number, index: number, oldSize: number, newSize: number, reuse: Visit, fresh: Visit): Uint8Array {
  const width = 2 ** level;
  const start = index * width;
  const end = start + width;
  if (end <= oldSize) return reuse(level, index);
  if (start >= oldSize && end <= newSize) return fresh(level, index);
  const left = walkNew(level - 1, 2 * index, oldSize, newSize, reuse, fresh);
  const rightStart = start + width / 2;
  const right = rightStart < newSize ? walkNew(level - 1, 2 * index + 1, oldSize, newSize, reuse, fresh) : left;
  return sha256Pair(left, right);
}

function key(level: number, index: number): string {
  return `${level}:${index}`;
}

function assertSizes(oldSize: number, newSize: number): void {
  assertSize(oldSize);
  assertSize(newSize);
  if (oldSize > newSize) throw new RangeError("old size exceeds new size");
}

/** Hashes proving that the tree of `oldSize` leaves is a prefix of the tree of `newSize` leaves. */
export function consistencyProof(reader: MerkleNodeReader, oldSize: number, newSize: number): Uint8Array[] {
  assertSizes(oldSize, newSize);
  const proof: Uint8Array[] = [];
  const oldHeight = treeHeight(oldSize);
  const read: Visit = (level, index) => reader.node(level, index);
  const emit: Visit = (level, index) => {
    const hash = reader.node(level, index);
    // A complete old tree is its own root, which the verifier already holds.
    if (level !== oldHeight || index !== 0) proof.push(hash);
    return hash;
  };
  walkOld(oldHeight, 0, oldSize, emit);
  walkNew(treeHeight(newSize), 0, oldSize, newSize, read, emit);
  return proof;
}

export interface ConsistencyProofInput {
  oldSize: number;
  newSize: number;
  oldRoot: Uint8Array;
  newRoot: Uint8Array;
  proof: readonly Uint8Array[];
}

export function verifyConsistencyProof(input: ConsistencyProofInput): boolean {
  const { oldSize, newSize } = input;
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 1 || oldSize > newSize) return false;
  const oldHeight = treeHeight(oldSize);
  const known = new Map<string, Uint8Array>();
  let cursor = 0;
  let exhausted = false;
  const take: Visit = (level, index) => {
    let hash: Uint8Array | undefined;
    if (level === oldHeight && index === 0) hash = input.oldRoot;
    else hash = input.proof[cursor++];
    if (!hash || hash.length !== 32) {
      exhausted = true;
      return new Uint8Array(32);
    }
    known.set(key(level, index), hash);
    return hash;
  };
  const oldRoot = walkOld(oldHeight, 0, oldSize, take);
  const reuse: Visit = (level, index) => known.get(key(level, index)) ?? new Uint8Array(32);
  const newRoot = walkNew(treeHeight(newSize), 0, oldSize, newSize, reuse, take);
  return !exhausted && cursor === input.proof.length && bytesEqual(oldRoot, input.oldRoot) && bytesEqual(newRoot, input.newRoot);
}

/** An in-memory tree over fixed leaves; stores complete nodes only, one contiguous buffer per level. */
export class MerkleTree implements MerkleNodeReader {
  private readonly levels: Uint8Array[];

  private constructor(
    levels: Uint8Array[],
    readonly size: number,
  ) {
    this.levels = levels;
  }

  static fromLeaves(leaves: readonly Uint8Array[]): MerkleTree {
    assertSize(leaves.length);
    const base = new Uint8Array(leaves.length * 32);
    leaves.forEach((leaf, i) => {
      if (leaf.length !== 32) throw new RangeError(`leaf ${i} is not a 32-byte hash`);
      base.set(leaf, i * 32);
    });
    const levels = [base];
    let below = base;
    for (let count = Math.floor(leaves.length / 2); count >= 1; count = Math.floor(count / 2)) {
      const level = new Uint8Array(count * 32);
      for (let i = 0; i < count; i++) {
        level.set(sha256Pair(below.subarray(i * 64, i * 64 + 32), below.subarray(i * 64 + 32, i * 64 + 64)), i * 32);
      }
      levels.push(level);
      below = level;
    }
    return new MerkleTree(levels, leaves.length);
  }

  node(level: number, index: number): Uint8Array {
    const buffer = this.levels[level];
    if (!buffer || (index + 1) * 32 > buffer.length) throw new RangeError(`no complete node ${level}:${index}`);
    return buffer.subarray(index * 32, index * 32 + 32);
  }

  root(size = this.size): Uint8Array {
    return rootHash(this, this.checkSize(size));
  }

  inclusionProof(index: number, size = this.size): Uint8Array[] {
    return inclusionProof(this, index, this.checkSize(size));
  }

  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    return consistencyProof(this, oldSize, this.checkSize(newSize));
  }

  private checkSize(size: number): number {
    if (size > this.size) throw new RangeError(`tree holds ${this.size} leaves, not ${size}`);
    return size;
  }
}
