/** Runs as the data plane reads them outside a handler. */
import { and, eq } from "drizzle-orm";
import { runs, type Db } from "@clawea/db";

export function runsRepoFor(db: Db) {
  return {
    async get(tenantId: string, runId: string) {
      const [row] = await db
        .select()
        .from(runs)
        .where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)));
      return row ?? null;
    },
  };
}
