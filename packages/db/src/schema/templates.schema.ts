/** Agent templates: built-in ones (tenant_id null) and each tenant's own. */
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { tenants } from "./tenants.schema.js";

export const templates = pgTable(
  "templates",
  {
    id: text("id").primaryKey(),
    /** Null for the built-in templates every tenant sees. */
    tenantId: text("tenant_id").references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    runtime: text("runtime").notNull(),
    model: text("model").notNull(),
    cpuMillis: integer("cpu_millis").notNull(),
    memoryMb: integer("memory_mb").notNull(),
    diskMb: integer("disk_mb").notNull(),
    sleepAfterSeconds: integer("sleep_after_seconds").notNull(),
    stateless: boolean("stateless").notNull(),
    defaultPolicyHash: text("default_policy_hash"),
    secretRefs: text("secret_refs").array().notNull().default([]),
    config: jsonb("config").notNull().default({}),
    createdAt: createdAt(),
    /** Deleted templates stay as rows: destroyed agents still name them, and the audit reads them. */
    deletedAt: timestamp("deleted_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    uniqueIndex("templates_tenant_name_live_idx").on(t.tenantId, t.name).where(sql`${t.deletedAt} is null`),
    index("templates_tenant_idx").on(t.tenantId, t.id),
  ],
);
