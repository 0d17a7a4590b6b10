/**
 * Compute metering as `compute_seconds` usage events. Two sources, told apart by `run_id`:
 * - per agent (`run_id` null): the CPU time its sandbox used, from the provider's cumulative counter,
 *   sampled by every health check (`cpuDeltaMillis`);
 * - per run: the wall time of the run's execs in the sandbox, reported by the run handlers through
 *   `recordRunCompute`.
 * A run's CPU is also inside its agent's counter, so the two are views of one bill, not addends.
 */
import { and, eq } from "drizzle-orm";
import { agents, usageEvents, type Executor } from "@clawea/db";

/**
 * The CPU used since the previous sample. A counter that went backwards was reset (the sandbox was
 * re-created, or the provider counts only live processes), so all of it is new.
 */
export function cpuDeltaMillis(previous: number | null, current: number): number {
  if (!Number.isFinite(current) || current < 0) return 0;
  if (previous === null || current < previous) return current;
  return current - previous;
}

export interface RunCompute {
  tenantId: string;
  agentId: string;
  runId: string;
  /** Wall-clock seconds the run's exec took (`ExecResult.durationMs / 1000`). */
  seconds: number;
  /** When the exec ended. */
  at: Date;
}

/**
 * Meters one exec of a run. Call it once per exec, after the exec: a retried phase execs again and is
 * metered again, which is compute the tenant did use. Takes the caller's transaction if it has one.
 */
export async function recordRunCompute(db: Executor, input: RunCompute): Promise<void> {
  if (!Number.isFinite(input.seconds) || input.seconds < 0) throw new RangeError(`compute seconds must be a finite number >= 0, got ${input.seconds}`);
  if (input.seconds === 0) return;
  // The template groups usage by template for finance; the run handlers need not know it.
  const [agent] = await db
    .select({ templateId: agents.templateId })
    .from(agents)
    .where(and(eq(agents.tenantId, input.tenantId), eq(agents.id, input.agentId)));
  await db.insert(usageEvents).values({
    tenantId: input.tenantId,
    agentId: input.agentId,
    templateId: agent?.templateId ?? null,
    runId: input.runId,
    kind: "compute_seconds",
    quantity: input.seconds,
    occurredAt: input.at,
  });
}
