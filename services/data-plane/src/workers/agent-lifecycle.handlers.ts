/**
 * What each `clawea-agents` job does to the sandbox and to the agent row.
 *
 * The contract with the control plane (agents.service.ts): a lifecycle job (deploy, sleep, wake,
 * destroy) sets the agent's new status and clears `pending_action*` only while `pending_action_id` is
 * still the job's `action_id`. A job whose action is no longer pending (superseded by a destroy, or
 * already carried out by an earlier attempt that crashed before acknowledging) completes as a no-op,
 * so every handler is safe to run twice: `create` is idempotent by id, `stop`/`start`/`destroy` are
 * repeatable, and every write is conditional.
 *
 * Faults: a retryable `SandboxError` (or an unexpected error, e.g. the database blinking) is rethrown
 * for BullMQ to retry with backoff; a non-retryable one, or any fault on the job's last attempt, is
 * recorded on the agent (`failed` + `last_error_code`, pending cleared) and ends the job at once with
 * `UnrecoverableError`.
 *
 * `agent.health` (sampling, metering, crash restarts, idle sleep) lives in `lifecycle/agent-health.ts`.
 */
import { UnrecoverableError } from "bullmq";
import { and, eq, isNull, sql } from "drizzle-orm";
import { agents, type Db } from "@clawea/db";
import type { JobPayload } from "@clawea/queue";
import type { Logger } from "pino";
import { createAgentHealthCheck, type HealthEvent } from "../lifecycle/agent-health.js";
import { classify, PermanentFault, type ReasonCode } from "../lifecycle/faults.js";
import { sandboxSpecFor } from "../lifecycle/sandbox-spec.js";
import type { SandboxProvider, SandboxSpec } from "../sandbox/sandbox.provider.js";

export interface LifecycleDeps {
  db: Db;
  provider: SandboxProvider;
  now: () => Date;
  gateway: SandboxSpec["gateway"];
  logger: Logger;
  /** Failed sandbox restarts in a row after which the health check fails the agent (default 3). */
  maxRestartFailures?: number;
}

/** What the worker knows about the attempt a handler runs in. */
export interface JobContext {
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  /** No retry follows a failure of this attempt. */
  finalAttempt: boolean;
}

export type HandlerOutcome =
  /** `health`: what a health check did (sampled, restarted, put to sleep...). */
  | { outcome: "done"; status: AgentRow["status"]; health?: HealthEvent }
  /** The job's action is no longer the agent's pending one (superseded or already done). */
  | { outcome: "superseded" }
  /** Nothing to do: the agent is gone or not in a state the job applies to. */
  | { outcome: "skipped"; reason: string };

/** The jobs of the `clawea-agents` queue. */
export type AgentJobName = "agent.deploy" | "agent.sleep" | "agent.wake" | "agent.destroy" | "agent.policy_update" | "agent.health";
export type AgentJobHandlers = { [N in AgentJobName]: (payload: JobPayload<N>, context: JobContext) => Promise<HandlerOutcome> };

type AgentRow = typeof agents.$inferSelect;
type LifecycleJob = "agent.deploy" | "agent.sleep" | "agent.wake" | "agent.destroy";

export function createAgentLifecycleHandlers({ db, provider, now, gateway, logger, maxRestartFailures = 3 }: LifecycleDeps): AgentJobHandlers {
  async function load(tenantId: string, agentId: string): Promise<AgentRow | undefined> {
    const rows = await db
      .select()
      .from(agents)
      .where(and(eq(agents.tenantId, tenantId), eq(agents.id, agentId)))
      .limit(1);
    return rows[0];
  }

  const ownsAction = (payload: { tenant_id: string; agent_id: string; action_id: string }) =>
    and(eq(agents.tenantId, payload.tenant_id), eq(agents.id, payload.agent_id), eq(agents.pendingActionId, payload.action_id));

  const clearPending = { pendingAction: null, pendingActionId: null, pendingActionAt: null } as const;

  /** Records a fault as the agent's terminal state for this action (only while the action is still ours). */
  async function recordFailure(payload: JobPayload<LifecycleJob>, code: ReasonCode): Promise<boolean> {
    const updated = await db
      .update(agents)
      .set({ status: "failed", lastErrorCode: code, updatedAt: now(), ...clearPending })
      .where(ownsAction(payload))
      .returning({ id: agents.id });
    return updated.length > 0;
  }

  /**
   * The shape every lifecycle job shares: the action must still be pending; `act` drives the sandbox
   * and returns the row's new columns; the write is conditional on the action id.
   */
  function lifecycle<N extends LifecycleJob>(
    name: N,
    act: (row: AgentRow, log: Logger) => Promise<Partial<typeof agents.$inferInsert> & { status: AgentRow["status"] }>,
  ) {
    return async (payload: JobPayload<N>, context: JobContext): Promise<HandlerOutcome> => {
      const log = logger.child({ job: name, job_id: context.jobId, attempt: context.attempt, agent_id: payload.agent_id, action_id: payload.action_id });
      const row = await load(payload.tenant_id, payload.agent_id);
      if (!row || row.pendingActionId !== payload.action_id) {
        log.info("action no longer pending: nothing to do");
        return { outcome: "superseded" };
      }
      try {
        const columns = await act(row, log);
        const updated = await db
          .update(agents)
          .set({ ...columns, lastErrorCode: null, updatedAt: now(), ...clearPending })
          .where(ownsAction(payload))
          .returning({ id: agents.id });
        if (updated.length === 0) {
          log.info("action superseded while it ran");
          return { outcome: "superseded" };
        }
        log.info({ status: columns.status }, "agent action done");
        return { outcome: "done", status: columns.status };
      } catch (error) {
        const { code, retryable } = classify(error);
        if (retryable && !context.finalAttempt) {
          log.warn({ err: error, reason_code: code }, "transient fault; BullMQ retries with backoff");
          throw error;
        }
        if (!(await recordFailure(payload, code))) {
          log.info({ reason_code: code }, "action superseded while it failed");
          return { outcome: "superseded" };
        }
        log.error({ err: error, reason_code: code }, "agent action failed");
        throw new UnrecoverableError(code);
      }
    };
  }

  const sandboxOf = (row: AgentRow): string => {
    if (!row.sandboxId) throw new PermanentFault("SANDBOX_ID_MISSING", `agent ${row.id} has no sandbox`);
    return row.sandboxId;
  };

  return {
    "agent.deploy": lifecycle("agent.deploy", async (row) => {
      const info = await provider.create(sandboxSpecFor(row, gateway));
      return { status: "running", sandboxId: info.id, lastActiveAt: now() };
    }),

    "agent.sleep": lifecycle("agent.sleep", async (row) => {
      await provider.stop(sandboxOf(row));
      return { status: "sleeping" };
    }),

    "agent.wake": lifecycle("agent.wake", async (row) => {
      await provider.start(sandboxOf(row));
      return { status: "running", lastActiveAt: now() };
    }),

    "agent.destroy": lifecycle("agent.destroy", async (row) => {
      // A deploy that crashed after `create` but before recording it left a sandbox under the agent's id.
      await provider.destroy(row.sandboxId ?? row.id);
      return { status: "destroyed" };
    }),

    /**
     * The gateway reads the agent's policy hash on every request, so enforcement follows the row; this
     * job confirms the row holds the assigned hash and touches it. A newer assignment has its own job.
     */
    async "agent.policy_update"(payload, context) {
      const log = logger.child({ job: "agent.policy_update", job_id: context.jobId, agent_id: payload.agent_id, action_id: payload.action_id });
      const hashMatches = payload.policy_hash === null ? isNull(agents.policyHash) : eq(agents.policyHash, payload.policy_hash);
      const updated = await db
        .update(agents)
        .set({ updatedAt: now() })
        .where(and(eq(agents.tenantId, payload.tenant_id), eq(agents.id, payload.agent_id), hashMatches, sql`${agents.status} <> 'destroyed'`))
        .returning({ status: agents.status });
      const row = updated[0];
      if (!row) {
        log.info("policy assignment superseded or agent gone: nothing to do");
        return { outcome: "superseded" };
      }
      log.info({ policy_hash: payload.policy_hash }, "agent enforces policy");
      return { outcome: "done", status: row.status };
    },

    "agent.health": createAgentHealthCheck({ db, provider, now, gateway, logger, maxRestartFailures }),
  };
}
