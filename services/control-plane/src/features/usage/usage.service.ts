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
}

export function createUsageService({ db }: UsageDeps) {
  async function rowsFor(tenantId: string, query: UsageQuery): Promise<{ from: Date; to: Date; rows: UsageRow[] }> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    const problem = rangeProblem(from, to);
    if (problem) throw new ApiError("VALIDATION_FAILED", problem);
    return { from, to, rows: await usageRepo.aggregate(db, tenantId, from, to, query.group_by) };
  }

  return {
    async report(tenantId: string, query: UsageQuery) {
      const { from, to, rows } = await rowsFor(tenantId, query);
      return { from: from.toISOString(), to: to.toISOString(), group_by: query.group_by, rows };
    },

    /** For finance: a header row, then one line per group, kind and model. */
    async reportCsv(tenantId: string, query: UsageQuery) {
      const { from, to, rows } = await rowsFor(tenantId, query);
      const day = (date: Date) => date.toISOString().slice(0, 10);
      return { filename: `usage-${query.group_by}-${day(from)}-${day(to)}.csv`, csv: usageCsv(query.group_by, rows) };
    },
  };
}
