/** The WPC registry: documents stored immutable and content-addressed by their JCS hash, per tenant. */
import { index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { tenants } from "./tenants.schema.js";

export const policies = pgTable(
  "policies",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    hash: text("hash").notNull(),
    policyVersion: text("policy_version").notNull(),
    name: text("name"),
    document: jsonb("document").notNull(),
    createdAt: createdAt(),
    createdByKeyId: text("created_by_key_id"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.hash] }), index("policies_tenant_created_idx").on(t.tenantId, t.createdAt)],
);
