/** Metering: usage events the gateway and data plane write, read by finance through the API. */
import { bigserial, doublePrecision, index, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { tenants } from "./tenants.schema.js";

export const USAGE_KINDS = ["compute_seconds", "tokens_in", "tokens_out", "verifications"] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    agentId: text("agent_id"),
    templateId: text("template_id"),
    runId: text("run_id"),
    kind: text("kind").$type<UsageKind>().notNull(),
    model: text("model"),
    quantity: doublePrecision("quantity").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("usage_events_tenant_time_idx").on(t.tenantId, t.occurredAt)],
);
