/** egress_records: every egress attempt of a run, allowed, denied or failed: part of the run's evidence. */
import { and, asc, eq } from "drizzle-orm";
import { egressRecords, type Executor } from "@clawea/db";
import type { ReasonCode } from "@clawea/protocol";
import type { IntendedSideEffect, RunPhase, ScopeEntry } from "@clawea/policy";

/** `error`: the policy allowed it but the destination could not be reached, so nothing was performed. */
export type EgressDecision = "allow" | "deny" | "error";

export interface EgressRecordInput {
  tenantId: string;
  agentId: string;
  runId: string;
  phase: RunPhase;
  scheme: string;
  host: string;
  port: number;
  /** `CONNECT` for a tunnel. */
  method: string;
  decision: EgressDecision;
  reasonCode: ReasonCode | null;
  /** Plan phase: the intended side effect; apply phase: the approved entry the attempt matched. */
  sideEffect: IntendedSideEffect | ScopeEntry | null;
  at: Date;
}

export type EgressRecord = typeof egressRecords.$inferSelect;

export async function insertEgressRecord(db: Executor, input: EgressRecordInput): Promise<number> {
  const [row] = await db
    .insert(egressRecords)
    .values({
      tenantId: input.tenantId,
      agentId: input.agentId,
      runId: input.runId,
      phase: input.phase,
      scheme: input.scheme,
      host: input.host,
      port: input.port,
      method: input.method,
      decision: input.decision,
      reasonCode: input.reasonCode,
      sideEffect: input.sideEffect,
      createdAt: input.at,
    })
    .returning({ id: egressRecords.id });
  return row!.id;
}

/** An allowed attempt whose destination then failed: the record says so before the client hears it. */
export async function markEgressFailed(db: Executor, id: number, reasonCode: ReasonCode): Promise<void> {
  await db.update(egressRecords).set({ decision: "error" satisfies EgressDecision, reasonCode }).where(eq(egressRecords.id, id));
}

/** A run's egress attempts in the order they happened. */
export async function listEgressRecords(db: Executor, tenantId: string, runId: string): Promise<EgressRecord[]> {
  return db
    .select()
    .from(egressRecords)
    .where(and(eq(egressRecords.tenantId, tenantId), eq(egressRecords.runId, runId)))
    .orderBy(asc(egressRecords.id));
}
