/** Tenants and their API keys (stored only as hashes). */
import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  defaultPolicyHash: text("default_policy_hash"),
  createdAt: createdAt(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    roles: text("roles").array().notNull(),
    /** b64u SHA-256 of the key's secret part; the secret itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
    createdByKeyId: text("created_by_key_id"),
  },
  (t) => [index("api_keys_tenant_idx").on(t.tenantId, t.id)],
);
