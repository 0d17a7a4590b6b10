/**
 * The periodic health check of one running agent (`agent.health`, fanned out by the health sweep):
 * samples its sandbox and meters the CPU it used, restarts a sandbox that is gone or dead, and puts an
 * agent to sleep once it has been idle for its `sleep_after_seconds`.
 *
 * The control plane's contract holds here too: the check acts only on a `running` agent with no
 * `pending_action`, and every write is conditional on the row as the check read it (status, sandbox,
 * no pending action, last CPU sample, restart failures), so a request or another check that lands
 * meanwhile wins and this one becomes a no-op. Where the check had already driven the sandbox (a
 * restart, an idle stop) when it lost, it brings the sandbox to what the row now asks for.
 */
import { UnrecoverableError } from "bullmq";
import { and, eq, inArray, isNull, notExists, sql, type SQL } from "drizzle-orm";
import type { Logger } from "pino";
import { agents, runs, usageEvents, type Db } from "@clawea/db";
import type { JobPayload } from "@clawea/queue";
import { SandboxError, type SandboxProvider, type SandboxSpec, type SandboxStats } from "../sandbox/sandbox.provider.js";
import type { HandlerOutcome, JobContext } from "../workers/agent-lifecycle.handlers.js";
import { agentActivity, UNFINISHED_RUN_STATES } from "./activity.repo.js";
import { classify } from "./faults.js";
import { cpuDeltaMillis } from "./metering.js";
import { sandboxSpecFor } from "./sandbox-spec.js";

export interface HealthDeps {
  db: Db;
  provider: SandboxProvider;
  now: () => Date;
  gateway: SandboxSpec["gateway"];
  logger: Logger;
  /** Failed restarts in a row after which the agent is `failed` with `SANDBOX_RESTART_FAILED`. */
  maxRestartFailures: number;
}

/** What one check did, in the job's return value. */
export type HealthEvent = "sampled" | "restarted" | "restart_failed" | "slept" | "provider_unavailable";

type AgentRow = typeof agents.$inferSelect;
type Columns = Partial<{ [K in keyof typeof agents.$inferInsert]: (typeof agents.$inferInsert)[K] | SQL }>;
type SandboxState = "running" | "stopped" | "absent";

const MIB = 1024 * 1024;

/** The sandbox state an agent row asks for: its pending action's outcome, else its status's; null for "leave it". */
function wantedState(row: AgentRow): SandboxState | null {
  switch (row.pendingAction ?? row.status) {
    case "destroy":
    case "destroyed":
      return "absent";
    case "sleep":
    case "sleeping":
      return "stopped";
    case "deploy":
    case "wake":
    case "running":
    case "provisioning":
      return "running";
    case "failed":
      return null;
  }
}

export function createAgentHealthCheck({ db, provider, now, gateway, logger, maxRestartFailures }: HealthDeps) {
  async function load(tenantId: string, agentId: string): Promise<AgentRow | undefined> {
    const rows = await db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)))
      .limit(1);
    return rows[0];
  }

  /** The row as this check read it: every write of the check is conditional on it. */
  const unchanged = (row: AgentRow, sandboxId: string): SQL =>
    and(
      eq(agents.tenantId, row.tenantId),
      eq(agents.id, row.id),
      eq(agents.status, "running"),
      eq(agents.sandboxId, sandboxId),
      isNull(agents.pendingActionId),
      row.cpuUsageMillis === null ? isNull(agents.cpuUsageMillis) : eq(agents.cpuUsageMillis, row.cpuUsageMillis),
      eq(agents.consecutiveRestartFailures, row.consecutiveRestartFailures),
    )!;

  /** Writes the sample (plus `columns`) and meters the CPU used since the row's last sample, in one transaction. */
  async function writeSample(row: AgentRow, sandboxId: string, stats: SandboxStats, at: Date, columns: Columns): Promise<boolean> {
    const deltaMs = cpuDeltaMillis(row.cpuUsageMillis, stats.cpuMillisUsed);
    return db.transaction(async (tx) => {
      const updated = await tx
        .update(agents)
        .set({ cpuUsageMillis: stats.cpuMillisUsed, memoryUsageMb: stats.memoryBytes / MIB, updatedAt: at, ...columns })
        .where(unchanged(row, sandboxId))
        .returning({ id: agents.id });
      if (updated.length === 0) return false;
      if (deltaMs > 0) {
        await tx.insert(usageEvents).values({ tenantId: row.tenantId, agentId: row.id, templateId: row.templateId, runId: null, kind: "compute_seconds", quantity: deltaMs / 1000, occurredAt: at });
      }
      return true;
    });
  }

  /**
   * After losing a race to a request: its job may have driven the sandbox before this check did, so
   * bring the sandbox to what the row asks for now. `left` is the state this check left it in.
   */
  async function reconcile(row: AgentRow, sandboxId: string, left: SandboxState | null, log: Logger): Promise<void> {
    const current = await load(row.tenantId, row.id);
    if (current && current.sandboxId !== null && current.sandboxId !== sandboxId) return;
    const wanted = current ? wantedState(current) : "absent";
    if (wanted === null || wanted === left) return;
    try {
      if (wanted === "absent") await provider.destroy(sandboxId);
      else if (wanted === "stopped") await provider.stop(sandboxId);
      else await provider.start(sandboxId);
      log.info({ wanted }, "a concurrent request won; the sandbox follows the agent row");
    } catch (error) {
      log.warn({ err: error, wanted }, "could not bring the sandbox to what the agent row asks; its pending job or the next check will");
    }
  }

  /** The sandbox is gone or dead under a running agent: create it again by id (or start it) and count. */
  async function restart(row: AgentRow, sandboxId: string, fault: unknown, log: Logger): Promise<HandlerOutcome> {
    const detected = classify(fault).code;
    log.warn({ err: fault, reason_code: detected }, "sandbox gone or dead under a running agent: restarting it");
    let stats: SandboxStats;
    try {
      // A dead sandbox may not stop cleanly and a vanished one cannot; create/start below decide.
      await provider.stop(sandboxId).catch(() => undefined);
      const info = await provider.create(sandboxSpecFor(row, gateway, sandboxId));
      if (info.state !== "running") await provider.start(info.id);
      // Only a sandbox that answers again counts as restarted.
      stats = await provider.stats(info.id);
    } catch (error) {
      return restartFailed(row, sandboxId, error, log);
    }
    const at = now();
    const wrote = await writeSample(row, sandboxId, stats, at, {
      failureCount: sql`${agents.failureCount} + 1`,
      restartCount: sql`${agents.restartCount} + 1`,
      consecutiveRestartFailures: 0,
      lastRestartAt: at,
      lastFailureAt: at,
      lastFailureCode: detected,
    });
    if (!wrote) {
      await reconcile(row, sandboxId, "running", log);
      return { outcome: "superseded" };
    }
    log.info({ reason_code: detected, restarts: row.restartCount + 1 }, "sandbox restarted");
    return { outcome: "done", status: "running", health: "restarted" };
  }

  async function restartFailed(row: AgentRow, sandboxId: string, error: unknown, log: Logger): Promise<HandlerOutcome> {
    const code = classify(error).code;
    const failures = row.consecutiveRestartFailures + 1;
    const giveUp = failures >= maxRestartFailures;
    const at = now();
    const updated = await db
      .update(agents)
      .set({
        failureCount: sql`${agents.failureCount} + 1`,
        consecutiveRestartFailures: failures,
        lastFailureAt: at,
        lastFailureCode: code,
        updatedAt: at,
        ...(giveUp ? { status: "failed" as const, lastErrorCode: "SANDBOX_RESTART_FAILED" } : {}),
      })
      .where(unchanged(row, sandboxId))
      .returning({ id: agents.id });
    if (updated.length === 0) {
      await reconcile(row, sandboxId, null, log);
      return { outcome: "superseded" };
    }
    if (giveUp) {
      log.error({ err: error, reason_code: "SANDBOX_RESTART_FAILED", failures }, "restarts keep failing: the agent is failed");
      throw new UnrecoverableError("SANDBOX_RESTART_FAILED");
    }
    log.warn({ err: error, reason_code: code, failures, limit: maxRestartFailures }, "sandbox restart failed; the next check tries again");
    return { outcome: "done", status: "running", health: "restart_failed" };
  }

  /**
   * `agent.sleep`'s outcome, reached on the data plane's own initiative: the row moves first
   * (conditional on the agent still being idle, untouched and without an unfinished run, so a run
   * started meanwhile finds it asleep rather than its sandbox stopped under it), then the sandbox stops.
   */
  async function sleepIdle(row: AgentRow, sandboxId: string, log: Logger): Promise<HandlerOutcome> {
    const at = now();
    const idleSince = new Date(at.getTime() - row.sleepAfterSeconds * 1000).toISOString();
    const unfinishedRun = db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.tenantId, row.tenantId), eq(runs.agentId, row.id), inArray(runs.state, UNFINISHED_RUN_STATES)));
    const claimed = await db
      .update(agents)
      .set({ status: "sleeping", updatedAt: at })
      .where(
        and(
          eq(agents.tenantId, row.tenantId),
          eq(agents.id, row.id),
          eq(agents.status, "running"),
          eq(agents.sandboxId, sandboxId),
          isNull(agents.pendingActionId),
          sql`coalesce(${agents.lastActiveAt}, ${agents.createdAt}) <= ${idleSince}::timestamptz`,
          notExists(unfinishedRun),
        ),
      )
      .returning({ id: agents.id });
    if (claimed.length === 0) return { outcome: "done", status: "running", health: "sampled" };
    try {
      await provider.stop(sandboxId);
    } catch (error) {
      // Give the agent back as running: the next check samples it again, or restarts a vanished sandbox.
      const reverted = await db
        .update(agents)
        .set({ status: "running", updatedAt: now() })
        .where(and(eq(agents.tenantId, row.tenantId), eq(agents.id, row.id), eq(agents.status, "sleeping"), eq(agents.sandboxId, sandboxId), isNull(agents.pendingActionId)))
        .returning({ id: agents.id });
      log.warn({ err: error, reason_code: classify(error).code }, "idle sleep could not stop the sandbox; the agent stays running");
      if (reverted.length === 0) {
        await reconcile(row, sandboxId, null, log);
        return { outcome: "superseded" };
      }
      return { outcome: "done", status: "running", health: "sampled" };
    }
    // A wake requested between the claim and the stop may have started the sandbox before the stop.
    await reconcile(row, sandboxId, "stopped", log);
    log.info({ sleep_after_seconds: row.sleepAfterSeconds }, "idle agent put to sleep");
    return { outcome: "done", status: "sleeping", health: "slept" };
  }

  return async function agentHealth(payload: JobPayload<"agent.health">, context: JobContext): Promise<HandlerOutcome> {
    const log = logger.child({ job: "agent.health", job_id: context.jobId, agent_id: payload.agent_id, action_id: payload.action_id });
    const row = await load(payload.tenant_id, payload.agent_id);
    if (!row || row.status !== "running" || !row.sandboxId || row.pendingActionId !== null) {
      return { outcome: "skipped", reason: row ? `agent is ${row.status}${row.pendingAction ? ` with ${row.pendingAction} pending` : ""}` : "agent not found" };
    }
    const sandboxId = row.sandboxId;
    let stats: SandboxStats;
    try {
      stats = await provider.stats(sandboxId);
    } catch (error) {
      // The provider being unreachable says nothing about the sandbox: restarting would only add load.
      if (error instanceof SandboxError && error.code === "SANDBOX_UNAVAILABLE") {
        log.warn({ err: error, reason_code: error.code }, "sandbox provider unreachable; the next check tries again");
        return { outcome: "done", status: "running", health: "provider_unavailable" };
      }
      return restart(row, sandboxId, error, log);
    }
    const activity = await agentActivity(db, row.tenantId, row.id);
    const at = now();
    const wrote = await writeSample(row, sandboxId, stats, at, {
      consecutiveRestartFailures: 0,
      ...(activity.at === null ? {} : { lastActiveAt: sql`greatest(${agents.lastActiveAt}, ${activity.at.toISOString()}::timestamptz)` }),
    });
    if (!wrote) return { outcome: "superseded" };
    const lastActive = Math.max(row.lastActiveAt?.getTime() ?? row.createdAt.getTime(), activity.at?.getTime() ?? 0);
    if (activity.busy || at.getTime() - lastActive < row.sleepAfterSeconds * 1000) return { outcome: "done", status: "running", health: "sampled" };
    return sleepIdle(row, sandboxId, log);
  };
}
