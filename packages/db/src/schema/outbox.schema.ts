/** Jobs written in the same transaction as the change that causes them, relayed to BullMQ after commit. */
import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { createdAt } from "./columns.js";

export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    queue: text("queue").notNull(),
    jobName: text("job_name").notNull(),
    /** Deterministic: the id of the action, so a relay retried after a crash enqueues nothing twice. */
    jobId: text("job_id").notNull().unique(),
    payload: jsonb("payload").notNull(),
    createdAt: createdAt(),
    relayedAt: timestamp("relayed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("outbox_pending_idx").on(t.id).where(sql`${t.relayedAt} is null`)],
);
