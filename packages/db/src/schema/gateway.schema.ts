/** What the gateway keeps: signed receipts of model calls, every egress attempt, and revoked CSTs. */
import { bigserial, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { tenants } from "./tenants.schema.js";

export const gatewayReceipts = pgTable(
  "gateway_receipts",
  {
    receiptId: text("receipt_id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    runId: text("run_id").notNull(),
    /** The caller's idempotency key: a retried request gets the receipt of its first answer. */
    requestKey: text("request_key"),
    status: text("status").notNull(),
    envelope: jsonb("envelope").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("gateway_receipts_run_idx").on(t.tenantId, t.runId, t.createdAt), index("gateway_receipts_request_key_idx").on(t.tenantId, t.runId, t.requestKey)],
);

export const egressRecords = pgTable(
  "egress_records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    runId: text("run_id").notNull(),
    phase: text("phase").notNull(),
    scheme: text("scheme").notNull(),
    host: text("host").notNull(),
    port: integer("port").notNull(),
    method: text("method"),
    decision: text("decision").notNull(),
    reasonCode: text("reason_code"),
    /** The intended side effect (plan phase) or the approved one it matched (apply phase). */
    sideEffect: jsonb("side_effect"),
    createdAt: createdAt(),
  },
  (t) => [index("egress_records_run_idx").on(t.tenantId, t.runId, t.id)],
);

export const cstRevocations = pgTable(
  "cst_revocations",
  {
    jti: text("jti").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }).notNull(),
    /** After the token's own expiry the row no longer matters and may be pruned. */
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    reason: text("reason"),
  },
  (t) => [index("cst_revocations_tenant_idx").on(t.tenantId)],
);
