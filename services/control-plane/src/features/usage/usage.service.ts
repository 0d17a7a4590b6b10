/** The metering read side: what a tenant used in a range, by agent, template or day, as JSON or CSV. */
import type { Db } from "@clawea/db";
import { ApiError } from "../../http/problem.js";
import { rangeProblem, usageCsv, type UsageRow } from "./usage.domain.js";
import { usageRepo } from "./usage.repo.js";
import type { UsageGrouping } from "./usage.schemas.js";

export interface UsageDeps {
  db: Db;
}

export interface UsageQuery {
  from: string;
  to: string;
  group_by: UsageGrouping;
  limit?: number;
  cursor?: string;
}

/**
 * The report is an aggregate computed per request, so its cursor is a position in the report's fixed
 * order (group, kind, model), bound to the query it came from so it cannot page another report.
 */
function encodeCursor(query: UsageQuery, offset: number): string {
  return Buffer.from(JSON.stringify([offset, query.from, query.to, query.group_by])).toString("base64url");
}

function decodeOffset(query: UsageQuery): number {
  if (query.cursor === undefined) return 0;
  try {
    const [offset, from, to, groupBy] = JSON.parse(Buffer.from(query.cursor, "base64url").toString("utf8")) as unknown[];
    if (Number.isSafeInteger(offset) && (offset as number) >= 0 && from === query.from && to === query.to && groupBy === query.group_by) return offset as number;
  } catch {
    // fall through
  }
  throw new ApiError("VALIDATION_FAILED", "cursor is not one this report issued");
}

export function createUsageService({ db }: UsageDeps) {
  function rangeOf(query: UsageQuery): { from: Date; to: Date } {
    const from = new Date(query.from);
    const to = new Date(query.to);
    const problem = rangeProblem(from, to);
    if (problem) throw new ApiError("VALIDATION_FAILED", problem);
    return { from, to };
  }

  async function rowsFor(tenantId: string, query: UsageQuery): Promise<{ from: Date; to: Date; rows: UsageRow[] }> {
    const { from, to } = rangeOf(query);
    return { from, to, rows: await usageRepo.aggregate(db, tenantId, from, to, query.group_by) };
  }

  return {
    async report(tenantId: string, query: UsageQuery) {
      const { from, to } = rangeOf(query);
      const limit = query.limit ?? 1000;
      const offset = decodeOffset(query);
      const rows = await usageRepo.aggregate(db, tenantId, from, to, query.group_by, { offset, limit: limit + 1 });
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        group_by: query.group_by,
        rows: rows.slice(0, limit),
        next_cursor: rows.length > limit ? encodeCursor(query, offset + limit) : null,
      };
    },

    /** For finance: a header row, then one line per group, kind and model. */
    async reportCsv(tenantId: string, query: UsageQuery) {
      const { from, to, rows } = await rowsFor(tenantId, query);
      const day = (date: Date) => date.toISOString().slice(0, 10);
      return { filename: `usage-${query.group_by}-${day(from)}-${day(to)}.csv`, csv: usageCsv(query.group_by, rows) };
    },
  };
}
