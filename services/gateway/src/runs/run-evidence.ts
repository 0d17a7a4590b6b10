/**
 * What the gateway reads and writes of runs: the approved scope an apply-phase CST pins (from the
 * run's approval), and the `llm_call` events its receipts bind to (appended to the run's chain).
 */
import { and, eq } from "drizzle-orm";
import { approvals, type Db } from "@clawea/db";
import type { ApprovedScope } from "@clawea/policy";
import { createChainAppender, type AppendTiming } from "@clawea/runs";
import type { RunContext } from "../auth/run-context.js";
import type { ChainCommit } from "../config.js";

/** The scope granted to the run's approval, or null when the run has none approved. */
export function approvedScopeFor(db: Db) {
  return async (run: RunContext): Promise<ApprovedScope | null> => {
    const [row] = await db
      .select({ granted: approvals.grantedScope, status: approvals.status })
      .from(approvals)
      .where(and(eq(approvals.tenantId, run.tenantId), eq(approvals.runId, run.runId)));
    if (!row || row.status !== "approved" || row.granted === null) return null;
    return row.granted as ApprovedScope;
  };
}

/**
 * Appends `llm_call` events and resolves each with its hash; null when the run has no row here (a run
 * this platform did not start). Batched, one conditional statement per batch in the usual case (see
 * `createChainAppender`): fifty calls in flight share one write instead of each holding the run's lock
 * for a five-round-trip transaction; a stream's event may wait for company (`timing`). `async`:
 * committed without waiting for the WAL flush, which the call's receipt batch (a synchronous commit,
 * written just behind the answer) then forces.
 */
export function chainEventFor(db: Db, now: () => Date, commit: ChainCommit) {
  const appender = createChainAppender(db, { synchronousCommit: commit === "sync" });
  return async (run: RunContext, payload: Record<string, unknown>, timing?: AppendTiming): Promise<string | null> => {
    const event = await appender.append({ tenantId: run.tenantId, runId: run.runId, eventType: "llm_call", actor: "gateway", payload, now: now() }, timing);
    return event?.event_hash_b64u ?? null;
  };
}
