/** Idempotency-Key records: the first answer to a POST, replayed for retries of the same request. */
import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    /** Tenant id, or "platform" for bootstrap-key calls. */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    responseStatus: integer("response_status"),
    responseBody: jsonb("response_body"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);
