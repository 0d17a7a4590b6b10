/**
 * The run state machine: planning → awaiting_approval → applying → completed | denied | failed |
 * cancelled. Every move is a conditional UPDATE on the state it was decided from, and appends its
 * `run_state_changed` event in the same transaction, so the chain records each transition with its
 * time and actor, and of two racing moves exactly one happens.
 */
import { and, eq, inArray } from "drizzle-orm";
import { runs, TERMINAL_RUN_STATES, type Executor, type RunState } from "@clawea/db";
import { appendRunEvent } from "./run-chain.js";

export type RunRow = typeof runs.$inferSelect;

const NEXT: Readonly<Record<RunState, readonly RunState[]>> = {
  planning: ["awaiting_approval", "failed", "cancelled"],
  awaiting_approval: ["applying", "denied", "failed", "cancelled"],
  applying: ["completed", "failed", "cancelled"],
  completed: [],
  denied: [],
  failed: [],
  cancelled: [],
};

export function canMove(from: RunState, to: RunState): boolean {
  return NEXT[from].includes(to);
}

export const isTerminal = (state: RunState): boolean => TERMINAL_RUN_STATES.includes(state);

export interface MoveRunInput {
  tenantId: string;
  runId: string;
  to: RunState;
  actor: string;
  now: Date;
  /** Columns set with the move (phase, plan, reason code, …). */
  patch?: Partial<Omit<RunRow, "id" | "tenantId" | "state">>;
  /** Extra facts for the event (reason code, plan hash, approval id…). */
  detail?: Record<string, unknown>;
}

/**
 * Moves the run to `to` if its current state may move there. Returns the updated row, or null when
 * the run is missing or its state forbids the move (the caller decides whether that is a conflict).
 */
export async function moveRun(tx: Executor, input: MoveRunInput): Promise<RunRow | null> {
  const from = (Object.keys(NEXT) as RunState[]).filter((state) => canMove(state, input.to));
  const phase = input.to === "planning" ? "plan" : input.to === "applying" ? "apply" : null;
  const [row] = await tx
    .update(runs)
    .set({
      ...input.patch,
      state: input.to,
      phase: input.patch?.phase !== undefined ? input.patch.phase : phase,
      updatedAt: input.now,
      ...(isTerminal(input.to) ? { completedAt: input.now } : {}),
    })
    .where(and(eq(runs.id, input.runId), eq(runs.tenantId, input.tenantId), inArray(runs.state, from)))
    .returning();
  if (!row) return null;
  await appendRunEvent(tx, {
    tenantId: input.tenantId,
    runId: input.runId,
    eventType: "run_state_changed",
    actor: input.actor,
    payload: { state: input.to, ...input.detail },
    now: input.now,
  });
  return row;
}
