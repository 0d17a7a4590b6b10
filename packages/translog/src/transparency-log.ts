/**
 * The platform's transparency log over PostgreSQL: appends (batched, idempotent per leaf hash, one
 * consistent tree however many processes append), signed tree heads, and proofs that read O(log n)
 * stored nodes through the protocol's `MerkleNodeReader`.
 */
import type { Db } from "@clawea/db";
import {
  MERKLE_ALGORITHM,
  ReasonError,
  b64uDecode,
  b64uEncode,
  consistencyProof,
  inclusionProof,
  rootHash,
  signLogRoot,
  type KeyPair,
  type LogInclusionProof,
  type MerkleNodeReader,
} from "@clawea/protocol";
import { createBatcher } from "./append-batcher.js";
import { EMPTY_ROOT_B64U, completedNodes, frontier, nodeKey, nodesRead } from "./log-layout.js";
import { logRepo, type LeafRow, type TreeHeadRow } from "./log.repo.js";

export interface LogEntry {
  /** SHA-256 of what is logged, base64url: the only thing about the entry a proof reveals. */
  leaf_hash_b64u: string;
  /** Bookkeeping, never in a proof: whose entry it is, what it is (`execution_attestation`), our reference (a run id). */
  tenant_id: string;
  kind: string;
  ref?: string | null;
}

export interface AppendedLeaf {
  leaf_index: number;
  leaf_hash_b64u: string;
  /** True when the hash was already in the log (or earlier in the same call): its first index is returned. */
  existed: boolean;
}

export interface LogRoot {
  tree_size: number;
  root_hash_b64u: string;
}

/** A published root: the log's Ed25519 signature over the UTF-8 bytes of `root_hash_b64u`. */
export interface SignedTreeHead extends LogRoot {
  log_id: string;
  published_at: string;
  root_signature: { signer_did: string; sig_b64u: string };
}

export interface LogConsistencyProof {
  log_id: string;
  from_size: number;
  to_size: number;
  from_root_hash_b64u: string;
  to_root_hash_b64u: string;
  /** The hashes `verifyConsistencyProof` (@clawea/protocol) rebuilds both roots from, in its order. */
  proof: string[];
  merkle_algorithm: string;
}

export interface TransparencyLogOptions {
  db: Db;
  /** The log's key: it signs tree heads, and its did:key is what verifiers pin in role `log`. */
  signer: KeyPair;
  now: () => Date;
  /** Name written into proofs as `log_id`; the signer's DID by default. */
  logId?: string;
  /** Append calls that may wait for this process's next transaction; more are refused with LOG_PUSHBACK. */
  maxPending?: number;
  /** Longest wait for the log's lock when another process holds it; past it, LOG_PUSHBACK. */
  lockTimeoutMs?: number;
  /** Leaves one transaction takes from queued calls (a single larger call still runs whole). */
  maxBatchLeaves?: number;
}

export interface TransparencyLog {
  readonly logId: string;
  /** The did:key of the key that signs this log's tree heads. */
  readonly did: string;
  /** Append calls queued behind the transaction in flight, in this process. */
  readonly pendingAppends: number;
  append(entries: readonly LogEntry[]): Promise<AppendedLeaf[]>;
  /** The root at `size` leaves (default: the current size), unsigned. */
  root(size?: number): Promise<LogRoot>;
  /** The signed head at `size` (default: the current size), published now unless it already was. */
  signedTreeHead(size?: number): Promise<SignedTreeHead>;
  /**
   * A `log_inclusion_proof.v1` for a leaf (hash or index). Without `treeSize`, against the newest
   * published head that contains the leaf, publishing the current head when none does.
   */
  inclusionProof(leaf: string | number, treeSize?: number): Promise<LogInclusionProof>;
  consistencyProof(fromSize: number, toSize: number): Promise<LogConsistencyProof>;
}

export const DEFAULT_MAX_PENDING = 1000;
export const DEFAULT_LOCK_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_BATCH_LEAVES = 10_000;
/** What a refused append is told to wait, in seconds (the Retry-After an HTTP edge sends). */
export const PUSHBACK_RETRY_AFTER_SECONDS = 1;

interface QueuedEntry {
  hash: string;
  bytes: Uint8Array;
  tenantId: string;
  kind: string;
  ref: string | null;
}

function pushback(detail: string): ReasonError {
  return new ReasonError("LOG_PUSHBACK", detail, { retry_after_seconds: PUSHBACK_RETRY_AFTER_SECONDS });
}

function invalid(detail: string): ReasonError {
  return new ReasonError("VALIDATION_FAILED", detail);
}

/** A leaf hash is the canonical base64url of 32 bytes: one spelling per hash, so uniqueness means something. */
function leafBytes(text: unknown, where: string): Uint8Array {
  let bytes: Uint8Array | null = null;
  try {
    bytes = typeof text === "string" ? b64uDecode(text) : null;
  } catch {
    bytes = null;
  }
  if (bytes?.length !== 32) throw new ReasonError("MALFORMED_ENCODING", `${where} must be a SHA-256 hash, base64url without padding`);
  return bytes;
}

function queued(entry: LogEntry, i: number): QueuedEntry {
  const bytes = leafBytes(entry.leaf_hash_b64u, `entries[${i}].leaf_hash_b64u`);
  if (typeof entry.tenant_id !== "string" || entry.tenant_id === "") throw invalid(`entries[${i}].tenant_id must be a non-empty string`);
  if (typeof entry.kind !== "string" || entry.kind === "") throw invalid(`entries[${i}].kind must be a non-empty string`);
  const ref = entry.ref ?? null;
  if (ref !== null && typeof ref !== "string") throw invalid(`entries[${i}].ref must be a string or null`);
  return { hash: entry.leaf_hash_b64u, bytes, tenantId: entry.tenant_id, kind: entry.kind, ref };
}

function isLockTimeout(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === "55P03") return true;
  }
  return false;
}

function checkSize(size: number, name: string, min: number): void {
  if (!Number.isSafeInteger(size) || size < min) throw invalid(`${name} must be an integer ≥ ${min}`);
}

export function createTransparencyLog(options: TransparencyLogOptions): TransparencyLog {
  const { db, signer, now } = options;
  const logId = options.logId ?? signer.did;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;

  /** One transaction: lock the size, skip known hashes, number the rest, store them and the nodes they complete. */
  async function appendBatch(entries: QueuedEntry[]): Promise<AppendedLeaf[]> {
    try {
      return await db.transaction(async (tx) => {
        const oldSize = await logRepo.lockTreeSize(tx, lockTimeoutMs);
        const assigned = await logRepo.indexesOf(tx, [...new Set(entries.map((e) => e.hash))]);
        const fresh: LeafRow[] = [];
        const freshBytes: Uint8Array[] = [];
        const results = entries.map((entry): AppendedLeaf => {
          const known = assigned.get(entry.hash);
          if (known !== undefined) return { leaf_index: known, leaf_hash_b64u: entry.hash, existed: true };
          const leafIndex = oldSize + fresh.length;
          assigned.set(entry.hash, leafIndex);
          fresh.push({ leafIndex, leafHashB64u: entry.hash, tenantId: entry.tenantId, kind: entry.kind, ref: entry.ref });
          freshBytes.push(entry.bytes);
          return { leaf_index: leafIndex, leaf_hash_b64u: entry.hash, existed: false };
        });
        if (fresh.length > 0) {
          const edge = await logRepo.nodes(tx, frontier(oldSize));
          await logRepo.insertLeaves(tx, fresh, now());
          await logRepo.insertNodes(tx, completedNodes(oldSize, edge, freshBytes));
          await logRepo.setTreeSize(tx, oldSize + fresh.length);
        }
        return results;
      });
    } catch (error) {
      if (isLockTimeout(error)) throw pushback(`another writer held the log for more than ${lockTimeoutMs} ms`);
      throw error;
    }
  }

  const batcher = createBatcher<QueuedEntry, AppendedLeaf>({
    run: appendBatch,
    maxPending: options.maxPending ?? DEFAULT_MAX_PENDING,
    maxBatchItems: options.maxBatchLeaves ?? DEFAULT_MAX_BATCH_LEAVES,
    pushback: () => pushback("too many appends are waiting for the log"),
  });

  /** Runs proof math over stored nodes: a dry run names the nodes, one query fetches them all. */
  async function withNodes<T>(run: (reader: MerkleNodeReader) => T): Promise<T> {
    const nodes = await logRepo.nodes(db, nodesRead(run));
    return run({
      node(level, index) {
        const hash = nodes.get(nodeKey(level, index));
        if (!hash) throw new Error(`transparency log node ${nodeKey(level, index)} is missing`);
        return hash;
      },
    });
  }

  async function rootAt(size: number): Promise<string> {
    return size === 0 ? EMPTY_ROOT_B64U : b64uEncode(await withNodes((reader) => rootHash(reader, size)));
  }

  /** A size the caller named (or the current one), checked against the log. */
  async function sizeOf(requested: number | undefined, name: string): Promise<number> {
    const current = await logRepo.treeSize(db);
    if (requested === undefined) return current;
    checkSize(requested, name, 0);
    if (requested > current) throw invalid(`${name} ${requested} exceeds the log's size ${current}`);
    return requested;
  }

  function publish(size: number, root: string): Promise<TreeHeadRow> {
    // Signed before the insert, outside any transaction; Ed25519 is deterministic, so a racing
    // process publishing the same size signs the same bytes and only the publication time differs.
    const signed = { root_hash_b64u: root, ...signLogRoot(root, signer) };
    return logRepo.publishTreeHead(db, { treeSize: size, rootHashB64u: root, signed, publishedAt: now().toISOString() });
  }

  function signedHead(row: TreeHeadRow): SignedTreeHead {
    return {
      log_id: logId,
      tree_size: row.treeSize,
      root_hash_b64u: row.rootHashB64u,
      published_at: row.publishedAt,
      root_signature: { signer_did: row.signed.signer_did, sig_b64u: row.signed.sig_b64u },
    };
  }

  async function resolveLeaf(leaf: string | number): Promise<{ index: number; hash: string }> {
    if (typeof leaf === "number") {
      checkSize(leaf, "leaf index", 0);
      const hash = await logRepo.leafHashAt(db, leaf);
      if (hash === null) throw new ReasonError("LOG_LEAF_NOT_FOUND", `the log has no leaf ${leaf}`);
      return { index: leaf, hash };
    }
    leafBytes(leaf, "leaf");
    const index = (await logRepo.indexesOf(db, [leaf])).get(leaf);
    if (index === undefined) throw new ReasonError("LOG_LEAF_NOT_FOUND", "the log has no leaf with this hash");
    return { index, hash: leaf };
  }

  return {
    logId,
    did: signer.did,
    get pendingAppends() {
      return batcher.pending;
    },

    append(entries) {
      try {
        return batcher.submit(entries.map(queued));
      } catch (error) {
        return Promise.reject(error);
      }
    },

    async root(size) {
      const treeSize = await sizeOf(size, "tree size");
      return { tree_size: treeSize, root_hash_b64u: await rootAt(treeSize) };
    },

    async signedTreeHead(size) {
      const treeSize = await sizeOf(size, "tree size");
      const stored = await logRepo.treeHead(db, treeSize);
      return signedHead(stored ?? (await publish(treeSize, await rootAt(treeSize))));
    },

    async inclusionProof(leaf, treeSize) {
      const { index, hash } = await resolveLeaf(leaf);
      let head: TreeHeadRow | null;
      let size: number;
      if (treeSize === undefined) {
        head = await logRepo.latestTreeHead(db);
        if (head === null || index >= head.treeSize) head = null;
        size = head?.treeSize ?? (await logRepo.treeSize(db));
      } else {
        checkSize(treeSize, "tree_size", 1);
        head = await logRepo.treeHead(db, treeSize);
        size = head?.treeSize ?? (await sizeOf(treeSize, "tree_size"));
      }
      if (index >= size) throw new ReasonError("LOG_LEAF_NOT_FOUND", `leaf ${index} is not in the tree of ${size} leaves`);
      const proof = await withNodes((reader) => ({ root: b64uEncode(rootHash(reader, size)), path: inclusionProof(reader, index, size) }));
      head ??= await publish(size, proof.root);
      if (head.rootHashB64u !== proof.root) throw new Error(`transparency log root at ${size} differs from its published head`);
      return {
        proof_version: "1",
        log_id: logId,
        tree_size: size,
        leaf_hash_b64u: hash,
        root_hash_b64u: proof.root,
        audit_path: proof.path.map(b64uEncode),
        root_published_at: head.publishedAt,
        root_signature: { signer_did: head.signed.signer_did, sig_b64u: head.signed.sig_b64u },
        metadata: { leaf_index: index, merkle_algorithm: MERKLE_ALGORITHM },
      };
    },

    async consistencyProof(fromSize, toSize) {
      checkSize(fromSize, "from", 1);
      checkSize(toSize, "to", 1);
      if (fromSize > toSize) throw invalid(`from (${fromSize}) must not exceed to (${toSize})`);
      await sizeOf(toSize, "to");
      const result = await withNodes((reader) => ({
        from: rootHash(reader, fromSize),
        to: rootHash(reader, toSize),
        proof: consistencyProof(reader, fromSize, toSize),
      }));
      return {
        log_id: logId,
        from_size: fromSize,
        to_size: toSize,
        from_root_hash_b64u: b64uEncode(result.from),
        to_root_hash_b64u: b64uEncode(result.to),
        proof: result.proof.map(b64uEncode),
        merkle_algorithm: MERKLE_ALGORITHM,
      };
    },
  };
}
