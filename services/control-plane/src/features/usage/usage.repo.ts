/** Usage aggregated in SQL over one tenant's events in a time range. */
import { and, asc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { usageEvents, type Executor } from "@clawea/db";
import type { UsageRow } from "./usage.domain.js";
import type { UsageGrouping } from "./usage.schemas.js";

const GROUP_EXPRESSIONS: Record<UsageGrouping, SQL<string | null>> = {
  agent: sql<string | null>`${usageEvents.agentId}`,
  template: sql<string | null>`${usageEvents.templateId}`,
  day: sql<string>`to_char(${usageEvents.occurredAt} at time zone 'UTC', 'YYYY-MM-DD')`,
};

export const usageRepo = {
  /** `page` limits the rows (offset into the report's fixed order); without it, the whole report. */
  async aggregate(ex: Executor, tenantId: string, from: Date, to: Date, groupBy: UsageGrouping, page?: { offset: number; limit: number }): Promise<UsageRow[]> {
    const group = GROUP_EXPRESSIONS[groupBy];
    const query = ex
      .select({
        group: group.as("group"),
        kind: usageEvents.kind,
        model: usageEvents.model,
        quantity: sql<number>`sum(${usageEvents.quantity})`.mapWith(Number).as("quantity"),
      })
      .from(usageEvents)
      .where(and(eq(usageEvents.tenantId, tenantId), gte(usageEvents.occurredAt, from), lt(usageEvents.occurredAt, to)))
      .groupBy(group, usageEvents.kind, usageEvents.model)
      .orderBy(sql`${group} asc nulls last`, asc(usageEvents.kind), sql`${usageEvents.model} asc nulls last`);
    return page ? query.offset(page.offset).limit(page.limit) : query;
  },
};
