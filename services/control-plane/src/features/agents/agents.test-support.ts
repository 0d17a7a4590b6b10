// Test-only: what the data plane and the other features would write, written straight to the
// database, and the answers the agent and template tests compare.
import { randomBytes } from "node:crypto";
import { ClaweaApiError } from "@clawea/sdk";
import type { AgentStatus } from "@clawea/db";
import type { TestPlatform } from "../../app.test-support.js";


/** The problem a failed call answered with. */
export async function problemOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ClaweaApiError) return error.problem;
    throw error;
  }
  throw new Error("the call succeeded");
}

/** A policy row as the policies feature stores it; returns its hash. */
export async function insertPolicy(platform: TestPlatform, tenantId: string): Promise<string> {
  const hash = randomBytes(32).toString("base64url");
  await platform.database.pool.query("insert into policies (tenant_id, hash, policy_version, document) values ($1, $2, '1', '{}')", [tenantId, hash]);
  return hash;
}

export async function insertSecret(platform: TestPlatform, tenantId: string, name: string): Promise<void> {
  await platform.database.pool.query("insert into secrets (tenant_id, name, kind, sealed) values ($1, $2, 'provider_key', 'v1.1.x.y')", [tenantId, name]);
}

/** The data plane reporting an outcome: the new status, the pending action done, usage as measured. */
export async function reportFromDataPlane(
  platform: TestPlatform,
  agentId: string,
  status: AgentStatus,
  health: { sandboxId?: string; cpu?: number; memory?: number; errorCode?: string } = {},
): Promise<void> {
  await platform.database.pool.query(
    `update agents set status = $2, pending_action = null, pending_action_id = null, pending_action_at = null,
       sandbox_id = $3, cpu_usage_millis = $4, memory_usage_mb = $5, last_error_code = $6, last_active_at = now(), updated_at = now()
     where id = $1`,
    [agentId, status, health.sandboxId ?? null, health.cpu ?? null, health.memory ?? null, health.errorCode ?? null],
  );
}

/** Row counts of what the agent and template routes write, for "nothing was written" checks. */
export async function counts(platform: TestPlatform, tenantId: string): Promise<{ agents: number; templates: number; history: number; outbox: number }> {
  const { rows } = await platform.database.pool.query(
    `select (select count(*)::int from agents where tenant_id = $1) as agents,
            (select count(*)::int from templates where tenant_id = $1) as templates,
            (select count(*)::int from agent_policy_history where tenant_id = $1) as history,
            (select count(*)::int from outbox where tenant_id = $1) as outbox`,
    [tenantId],
  );
  return rows[0];
}

/** Waits for the relay to move a job to the agents queue. */
export async function jobInQueue(platform: TestPlatform, jobId: string, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await platform.agentsQueue.getJob(jobId);
    if (job) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} never reached the queue`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
