/** Tenant secrets, sealed with AES-256-GCM under the key-encryption key; no route ever returns them. */
import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { tenants } from "./tenants.schema.js";

export const SECRET_KINDS = ["provider_key", "gateway_token", "integration_token"] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export const secrets = pgTable(
  "secrets",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    kind: text("kind").$type<SecretKind>().notNull(),
    sealed: text("sealed").notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedByKeyId: text("updated_by_key_id"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
);
