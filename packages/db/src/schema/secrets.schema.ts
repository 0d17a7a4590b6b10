/** Tenant secrets, sealed with AES-256-GCM under the key-encryption key; no route ever returns them. */
import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { tenants } from "./tenants.schema.js";

export const secrets = pgTable(
  "secrets",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").notNull(),
    sealed: text("sealed").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedByKeyId: text("updated_by_key_id"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);
