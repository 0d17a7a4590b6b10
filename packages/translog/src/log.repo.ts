/**
 * The log's SQL. Bulk rows go in as one `unnest` of arrays per column: one statement and five
 * parameters whatever the batch size. bigint columns come back from raw queries as text, hence Number().
 */
import { sql } from "drizzle-orm";
import type { Executor } from "@clawea/db";
import { b64uDecode, b64uEncode } from "@clawea/protocol";
import { nodeKey, type NodeHash, type NodePosition } from "./log-layout.js";

export interface LeafRow {
  leafIndex: number;
  leafHashB64u: string;
  tenantId: string;
  kind: string;
  ref: string | null;
}

export interface TreeHeadRow {
  treeSize: number;
  rootHashB64u: string;
  signed: { root_hash_b64u: string; signer_did: string; sig_b64u: string };
  /** RFC 3339, milliseconds, UTC. */
  publishedAt: string;
}

interface RawTreeHead extends Record<string, unknown> {
  tree_size: string;
  root_hash_b64u: string;
  signed: TreeHeadRow["signed"];
  published_at: string;
}

// Drizzle's driver hands timestamps over as PostgreSQL text; render them as RFC 3339 in SQL instead.
const HEAD_COLUMNS = sql.raw(`tree_size, root_hash_b64u, signed, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as published_at`);

function treeHead(row: RawTreeHead): TreeHeadRow {
  return { treeSize: Number(row.tree_size), rootHashB64u: row.root_hash_b64u, signed: row.signed, publishedAt: row.published_at };
}

export const logRepo = {
  async treeSize(ex: Executor): Promise<number> {
    const result = await ex.execute<{ tree_size: string }>(sql`select tree_size from log_state where id = 1`);
    return Number(result.rows[0]?.tree_size ?? 0);
  },

  /**
   * Takes the one state row's lock for the rest of the transaction: every append serialises here, so
   * indexes come out contiguous in commit order (a sequence would leave gaps on rollback).
   * `lockTimeoutMs` bounds the wait; PostgreSQL then fails with 55P03, which the caller maps to pushback.
   */
  async lockTreeSize(tx: Executor, lockTimeoutMs: number): Promise<number> {
    await tx.execute(sql.raw(`set local lock_timeout = ${Math.max(1, Math.floor(lockTimeoutMs))}`));
    await tx.execute(sql`insert into log_state (id, tree_size) values (1, 0) on conflict (id) do nothing`);
    const result = await tx.execute<{ tree_size: string }>(sql`select tree_size from log_state where id = 1 for update`);
    return Number(result.rows[0]!.tree_size);
  },

  async setTreeSize(tx: Executor, size: number): Promise<void> {
    await tx.execute(sql`update log_state set tree_size = ${size} where id = 1`);
  },

  /** Index of each hash already in the log. */
  async indexesOf(ex: Executor, hashes: readonly string[]): Promise<Map<string, number>> {
    if (hashes.length === 0) return new Map();
    const result = await ex.execute<{ leaf_hash_b64u: string; leaf_index: string }>(
      sql`select leaf_hash_b64u, leaf_index from log_leaves where leaf_hash_b64u = any(${sql.param(hashes)}::text[])`,
    );
    return new Map(result.rows.map((row) => [row.leaf_hash_b64u, Number(row.leaf_index)]));
  },

  async insertLeaves(tx: Executor, rows: readonly LeafRow[], appendedAt: Date): Promise<void> {
    if (rows.length === 0) return;
    await tx.execute(sql`
      insert into log_leaves (leaf_index, leaf_hash_b64u, tenant_id, kind, ref, appended_at)
      select leaf_index, leaf_hash_b64u, tenant_id, kind, ref, ${appendedAt.toISOString()}::timestamptz
      from unnest(
        ${sql.param(rows.map((r) => r.leafIndex))}::bigint[],
        ${sql.param(rows.map((r) => r.leafHashB64u))}::text[],
        ${sql.param(rows.map((r) => r.tenantId))}::text[],
        ${sql.param(rows.map((r) => r.kind))}::text[],
        ${sql.param(rows.map((r) => r.ref))}::text[]
      ) as t(leaf_index, leaf_hash_b64u, tenant_id, kind, ref)`);
  },

  async insertNodes(tx: Executor, nodes: readonly NodeHash[]): Promise<void> {
    if (nodes.length === 0) return;
    await tx.execute(sql`
      insert into log_nodes (level, node_index, hash_b64u)
      select * from unnest(
        ${sql.param(nodes.map((n) => n.level))}::smallint[],
        ${sql.param(nodes.map((n) => n.index))}::bigint[],
        ${sql.param(nodes.map((n) => b64uEncode(n.hash)))}::text[]
      )`);
  },

  /** Hashes of complete nodes in one round trip: level 0 from the leaves, the rest from `log_nodes`. */
  async nodes(ex: Executor, positions: readonly NodePosition[]): Promise<Map<string, Uint8Array>> {
    if (positions.length === 0) return new Map();
    const leaves = positions.filter((p) => p.level === 0).map((p) => p.index);
    const interior = positions.filter((p) => p.level > 0);
    const result = await ex.execute<{ level: number; idx: string; hash: string }>(sql`
      select 0 as level, leaf_index as idx, leaf_hash_b64u as hash from log_leaves where leaf_index = any(${sql.param(leaves)}::bigint[])
      union all
      select n.level::int, n.node_index, n.hash_b64u
      from log_nodes n
      join unnest(${sql.param(interior.map((p) => p.level))}::smallint[], ${sql.param(interior.map((p) => p.index))}::bigint[]) as k(level, idx)
        on n.level = k.level and n.node_index = k.idx`);
    return new Map(result.rows.map((row) => [nodeKey(row.level, Number(row.idx)), b64uDecode(row.hash)]));
  },

  async leafHashAt(ex: Executor, index: number): Promise<string | null> {
    const result = await ex.execute<{ leaf_hash_b64u: string }>(sql`select leaf_hash_b64u from log_leaves where leaf_index = ${index}`);
    return result.rows[0]?.leaf_hash_b64u ?? null;
  },

  async treeHead(ex: Executor, size: number): Promise<TreeHeadRow | null> {
    const result = await ex.execute<RawTreeHead>(sql`select ${HEAD_COLUMNS} from log_tree_heads where tree_size = ${size}`);
    return result.rows[0] ? treeHead(result.rows[0]) : null;
  },

  async latestTreeHead(ex: Executor): Promise<TreeHeadRow | null> {
    const result = await ex.execute<RawTreeHead>(
      sql`select ${HEAD_COLUMNS} from log_tree_heads order by tree_size desc limit 1`,
    );
    return result.rows[0] ? treeHead(result.rows[0]) : null;
  },

  /** First writer wins: a head another process published for the same size first is the one returned. */
  async publishTreeHead(ex: Executor, head: TreeHeadRow): Promise<TreeHeadRow> {
    const inserted = await ex.execute<RawTreeHead>(sql`
      insert into log_tree_heads (tree_size, root_hash_b64u, signed, created_at)
      values (${head.treeSize}, ${head.rootHashB64u}, ${JSON.stringify(head.signed)}::jsonb, ${head.publishedAt}::timestamptz)
      on conflict (tree_size) do nothing
      returning ${HEAD_COLUMNS}`);
    if (inserted.rows[0]) return treeHead(inserted.rows[0]);
    const existing = await logRepo.treeHead(ex, head.treeSize);
    if (!existing) throw new Error(`tree head ${head.treeSize} vanished`);
    return existing;
  },
};
