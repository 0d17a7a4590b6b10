/**
 * The platform's transparency log (`@clawea/translog`): one global append-only Merkle log. Leaves are
 * hashes only; `tenant_id`, `kind` and `ref` are our own bookkeeping and never appear in a proof.
 * Deliberately no foreign key to `tenants`: an append-only log must outlive whatever it refers to.
 */
import { sql } from "drizzle-orm";
import { bigint, check, index, jsonb, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

/** One row per leaf; `leaf_hash_b64u` is unique so appending the same entry again returns its index. */
export const logLeaves = pgTable(
  "log_leaves",
  {
    leafIndex: bigint("leaf_index", { mode: "number" }).primaryKey(),
    leafHashB64u: text("leaf_hash_b64u").notNull().unique("log_leaves_leaf_hash_key"),
    tenantId: text("tenant_id").notNull(),
    /** What the leaf commits to, e.g. `execution_attestation`. */
    kind: text("kind").notNull(),
    /** Our reference for it, e.g. the run id. */
    ref: text("ref"),
    appendedAt: timestamp("appended_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("log_leaves_tenant_idx").on(t.tenantId, t.leafIndex)],
);

/**
 * Interior nodes of complete, immutable subtrees: node (level, node_index), level ≥ 1, covers leaves
 * [node_index·2^level, (node_index+1)·2^level) and is written once all of them exist.
 */
export const logNodes = pgTable(
  "log_nodes",
  {
    level: smallint("level").notNull(),
    nodeIndex: bigint("node_index", { mode: "number" }).notNull(),
    hashB64u: text("hash_b64u").notNull(),
  },
  (t) => [primaryKey({ name: "log_nodes_pkey", columns: [t.level, t.nodeIndex] })],
);

/** The single state row, locked (`FOR UPDATE`) by every append to assign the next indexes. */
export const logState = pgTable(
  "log_state",
  {
    id: smallint("id").primaryKey().default(1),
    treeSize: bigint("tree_size", { mode: "number" }).notNull().default(0),
  },
  (t) => [check("log_state_single_row", sql`${t.id} = 1`)],
);

/** Signed tree heads, one per tree size that was ever signed. */
export const logTreeHeads = pgTable("log_tree_heads", {
  treeSize: bigint("tree_size", { mode: "number" }).primaryKey(),
  rootHashB64u: text("root_hash_b64u").notNull(),
  /** The signed root as published (envelope / signature JSON). */
  signed: jsonb("signed").notNull(),
  createdAt: createdAt(),
});
