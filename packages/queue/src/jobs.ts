/**
 * The job catalog: every job the planes exchange, its queue and its payload schema. The control
 * plane writes these through the outbox; the data plane's workers consume them.
 */
import { Type, type Static, type TSchema } from "@sinclair/typebox";

export const QUEUES = { agents: "clawea-agents", runs: "clawea-runs", approvals: "clawea-approvals" } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const AgentAction = Type.Object(
  {
    tenant_id: Type.String(),
    agent_id: Type.String(),
    /** The id of the action that caused the job; also the BullMQ job id, so retries enqueue nothing twice. */
    action_id: Type.String(),
    requested_at: Type.String({ format: "date-time" }),
  },
  { additionalProperties: false },
);

const PolicyUpdate = Type.Object(
  {
    tenant_id: Type.String(),
    agent_id: Type.String(),
    action_id: Type.String(),
    requested_at: Type.String({ format: "date-time" }),
    policy_hash: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const RunAction = Type.Object(
  {
    tenant_id: Type.String(),
    run_id: Type.String(),
    action_id: Type.String(),
    requested_at: Type.String({ format: "date-time" }),
    /** The phase's CST, sealed under the KEK and bound to the run: tokens never sit in a queue in clear. */
    cst_sealed: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const JOBS = {
  "agent.deploy": { queue: QUEUES.agents, payload: AgentAction },
  "agent.sleep": { queue: QUEUES.agents, payload: AgentAction },
  "agent.wake": { queue: QUEUES.agents, payload: AgentAction },
  "agent.destroy": { queue: QUEUES.agents, payload: AgentAction },
  "agent.policy_update": { queue: QUEUES.agents, payload: PolicyUpdate },
  "agent.health": { queue: QUEUES.agents, payload: AgentAction },
  /** Phase A: run the agent on a scratch copy with the plan CST; store the plan. */
  "run.plan": { queue: QUEUES.runs, payload: RunAction },
  /** Phase B: run the agent with the apply CST; apply the approved workspace diff. */
  "run.apply": { queue: QUEUES.runs, payload: RunAction },
  /** Close the chain and build the evidence of a run that ended without an apply (denied, cancelled). */
  "run.finalize": { queue: QUEUES.runs, payload: RunAction },
  /** A plan awaits approval: approve it by a standing grant, or send the card (control plane). */
  "approval.request": { queue: QUEUES.approvals, payload: RunAction },
} as const satisfies Record<string, { queue: QueueName; payload: TSchema }>;

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = Static<(typeof JOBS)[N]["payload"]>;

export interface Job<N extends JobName = JobName> {
  name: N;
  payload: JobPayload<N>;
  /** Deterministic id: the action's id. BullMQ ignores a second add with the same id. */
  jobId: string;
}

/** BullMQ forbids ':' in custom job ids; ours are `<job name>.<action id>` with the dot-free action id. */
export function jobIdFor(name: JobName, actionId: string): string {
  return `${name.replace(".", "-")}-${actionId}`;
}

/**
 * Retries for every job, in BullMQ's shape. BullMQ takes attempts and backoff from the job, i.e. from
 * whoever adds it: the outbox relay's queues are built with these as `defaultJobOptions`. Failed jobs
 * are kept: they are the record of what could not be done.
 */
export const JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: false,
} as const;
