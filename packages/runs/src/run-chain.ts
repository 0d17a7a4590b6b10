/**
 * Appending to a run's event chain. Every plane appends (the control plane on state changes and
 * approvals, the gateway on model calls and egress, the data plane on tool calls and run end), so the
 * chain's head is one locked row: the run's. Events of one run are thereby serialised and linked in
 * commit order; runs never wait for each other.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { nextEvent, type ChainEvent } from "@clawea/protocol";
import { newId, runEvents, runs, type Executor } from "@clawea/db";

/** The run is not one of the tenant's: nothing was appended. */
export class RunNotFoundError extends Error {
  override readonly name = "RunNotFoundError";
  constructor(readonly runId: string) {
    super(`run ${runId} not found for its tenant`);
  }
}

export interface AppendEventInput {
  tenantId: string;
  runId: string;
  eventType: string;
  /** Who caused it: `key:<id>`, `gateway`, `data-plane`, `slack:<user>`, … */
  actor: string;
  payload: Record<string, unknown>;
  now: Date;
}

export interface AppendedEvent extends ChainEvent {
  seq: number;
  actor: string;
  payload: Record<string, unknown>;
}

/** Appends one event; run it inside the caller's transaction when the event must commit with other writes. */
export async function appendRunEvent(tx: Executor, input: AppendEventInput): Promise<AppendedEvent> {
  const locked = await tx.execute<{ chain_head: string | null; chain_length: number }>(
    sql`select chain_head, chain_length from runs where id = ${input.runId} and tenant_id = ${input.tenantId} for update`,
  );
  const head = locked.rows[0];
  if (!head) throw new RunNotFoundError(input.runId);
  const prev = head.chain_head === null ? [] : [{ event_hash_b64u: head.chain_head } as ChainEvent];
  const event = nextEvent(prev, input.runId, {
    event_id: newId("event"),
    event_type: input.eventType,
    timestamp: input.now.toISOString(),
    payload: input.payload,
  });
  const seq = head.chain_length;
  await tx.insert(runEvents).values({
    runId: input.runId,
    seq,
    tenantId: input.tenantId,
    eventId: event.event_id,
    eventType: event.event_type,
    timestamp: event.timestamp,
    actor: input.actor,
    payload: input.payload,
    payloadHash: event.payload_hash_b64u,
    prevHash: event.prev_hash_b64u,
    eventHash: event.event_hash_b64u,
  });
  await tx
    .update(runs)
    .set({ chainHead: event.event_hash_b64u, chainLength: seq + 1 })
    .where(and(eq(runs.id, input.runId), eq(runs.tenantId, input.tenantId)));
  return { ...event, seq, actor: input.actor, payload: input.payload };
}

/** The chain in order, `fromSeq` onwards. */
export async function readRunEvents(db: Executor, tenantId: string, runId: string, fromSeq = 0): Promise<AppendedEvent[]> {
  const rows = await db
    .select()
    .from(runEvents)
    .where(and(eq(runEvents.tenantId, tenantId), eq(runEvents.runId, runId), sql`${runEvents.seq} >= ${fromSeq}`))
    .orderBy(asc(runEvents.seq));
  return rows.map((row) => ({
    event_id: row.eventId,
    run_id: row.runId,
    event_type: row.eventType,
    timestamp: row.timestamp,
    payload_hash_b64u: row.payloadHash,
    prev_hash_b64u: row.prevHash,
    event_hash_b64u: row.eventHash,
    seq: row.seq,
    actor: row.actor,
    payload: row.payload as Record<string, unknown>,
  }));
}
