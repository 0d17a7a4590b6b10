/** Agent rows and deps for the worker tests: a tenant, agents with a pending action, their runs and receipts, a silent logger. */
import { randomUUID } from "node:crypto";
import pino from "pino";
import { agents, gatewayReceipts, runs, tenants, type AgentAction, type AgentStatus, type Db, type RunState } from "@clawea/db";
import type { JobName, JobPayload } from "@clawea/queue";

export const TENANT = "ten_workers";
export const NOW = new Date("2026-11-25T10:00:00.000Z");
export const GATEWAY = { modelUrl: "http://127.0.0.1:9/v1", egressProxyUrl: "http://127.0.0.1:9" };
export const silentLogger = pino({ level: "silent" });

export const actionId = (): string => `act_${randomUUID().replaceAll("-", "")}`;

export async function insertTenant(db: Db): Promise<void> {
  await db.insert(tenants).values({ id: TENANT, name: "workers" }).onConflictDoNothing();
}

/** An agent in `status` with `pending` requested under a fresh action id. */
export async function insertAgent(
  db: Db,
  options: {
    status?: AgentStatus;
    pending?: AgentAction | null;
    sandboxId?: string | null;
    policyHash?: string | null;
    lastActiveAt?: Date | null;
    sleepAfterSeconds?: number;
    stateless?: boolean;
    createdAt?: Date;
  } = {},
): Promise<{ agentId: string; actionId: string }> {
  const agentId = `agt_${randomUUID().replaceAll("-", "")}`;
  const pending = options.pending === undefined ? "deploy" : options.pending;
  const id = actionId();
  await db.insert(agents).values({
    id: agentId,
    tenantId: TENANT,
    templateId: "tpl_reference_small",
    name: `agent-${agentId.slice(-6)}`,
    status: options.status ?? "provisioning",
    did: `did:key:test-${agentId}`,
    signingKeySealed: "test-not-a-real-sealed-key",
    runtime: "reference",
    model: "openai/gpt-4.1-mini",
    cpuMillis: 500,
    memoryMb: 512,
    diskMb: 1024,
    sleepAfterSeconds: options.sleepAfterSeconds ?? 600,
    stateless: options.stateless ?? true,
    lastActiveAt: options.lastActiveAt ?? null,
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    policyHash: options.policyHash ?? null,
    sandboxId: options.sandboxId ?? null,
    pendingAction: pending,
    pendingActionId: pending ? id : null,
    pendingActionAt: pending ? NOW : null,
  });
  return { agentId, actionId: id };
}

export function payloadFor<N extends JobName>(_name: N, agentId: string, id: string, extra: Partial<JobPayload<N>> = {}): JobPayload<N> {
  return { tenant_id: TENANT, agent_id: agentId, action_id: id, requested_at: NOW.toISOString(), ...extra } as JobPayload<N>;
}

/** A run of `agentId` created at `createdAt` and last moved at `updatedAt`. */
export async function insertRun(db: Db, agentId: string, options: { state: RunState; createdAt: Date; updatedAt?: Date }): Promise<string> {
  const runId = `run_${randomUUID().replaceAll("-", "")}`;
  await db.insert(runs).values({ id: runId, tenantId: TENANT, agentId, task: "t", state: options.state, policyHash: "p", createdAt: options.createdAt, updatedAt: options.updatedAt ?? options.createdAt });
  return runId;
}

/** A gateway receipt of one model call in `runId`. */
export async function insertReceipt(db: Db, agentId: string, runId: string, createdAt: Date): Promise<void> {
  await db.insert(gatewayReceipts).values({ receiptId: `rcpt_${randomUUID()}`, tenantId: TENANT, agentId, runId, status: "ok", envelope: {}, createdAt });
}
