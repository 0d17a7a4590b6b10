/** API shapes for runs, their events and their approvals. */
import { Type, type Static } from "@sinclair/typebox";
import { RUN_STATES, type RunState as RunStateName } from "@clawea/db";
import { PageQuery } from "../../http/pagination.js";

const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const RunState = Type.Unsafe<RunStateName>({ type: "string", enum: [...RUN_STATES] });

export const CreateRun = Type.Object(
  {
    task: Type.String({ minLength: 1, maxLength: 20_000, description: "What the agent should do." }),
    mission_id: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: "^[A-Za-z0-9_.:/-]+$", description: "Binds the run to a mission; carried into its events and evidence." })),
    inputs: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: "Free-form inputs handed to the agent." })),
  },
  { $id: "CreateRun", additionalProperties: false },
);
export type CreateRun = Static<typeof CreateRun>;

export const RunEvent = Type.Object(
  {
    seq: Type.Integer(),
    event_id: Type.String(),
    event_type: Type.String(),
    timestamp: Timestamp,
    actor: Type.String(),
    payload: Type.Record(Type.String(), Type.Unknown()),
    payload_hash_b64u: Type.String(),
    prev_hash_b64u: Nullable(Type.String()),
    event_hash_b64u: Type.String(),
  },
  { $id: "RunEvent", additionalProperties: false },
);

export const RunApproval = Type.Object(
  {
    id: Type.String(),
    status: Type.String(),
    mode: Nullable(Type.String()),
    decided_by: Nullable(Type.String()),
    decided_via: Nullable(Type.String()),
    decided_at: Nullable(Timestamp),
    expires_at: Timestamp,
    granted_scope_hash: Nullable(Type.String()),
    grant_id: Nullable(Type.String()),
    reason: Nullable(Type.String()),
  },
  { $id: "RunApproval", additionalProperties: false },
);

export const RefusedAction = Type.Object(
  { kind: Type.String(), target: Type.String(), reason_code: Type.String() },
  { $id: "RefusedAction", additionalProperties: false },
);

export const Run = Type.Object(
  {
    id: Type.String(),
    agent_id: Type.String(),
    state: RunState,
    phase: Nullable(Type.String()),
    task: Type.String(),
    mission_id: Nullable(Type.String()),
    inputs: Type.Record(Type.String(), Type.Unknown()),
    policy_hash: Type.String(),
    plan: Nullable(Type.Record(Type.String(), Type.Unknown())),
    plan_hash: Nullable(Type.String()),
    scope_hash: Nullable(Type.String()),
    reason_code: Nullable(Type.String()),
    refused: Nullable(Type.Array(RefusedAction)),
    approval: Nullable(RunApproval),
    evidence: Nullable(Type.Record(Type.String(), Type.Unknown())),
    events: Type.Array(RunEvent),
    links: Type.Object({ self: Type.String(), events: Type.String(), audit: Type.String(), export: Type.String() }, { additionalProperties: false }),
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: Nullable(Timestamp),
  },
  { $id: "Run", additionalProperties: false },
);
export type Run = Static<typeof Run>;

export const RunSummaryItem = Type.Object(
  {
    id: Type.String(),
    agent_id: Type.String(),
    state: RunState,
    mission_id: Nullable(Type.String()),
    policy_hash: Type.String(),
    plan_hash: Nullable(Type.String()),
    reason_code: Nullable(Type.String()),
    created_at: Timestamp,
    completed_at: Nullable(Timestamp),
  },
  { $id: "RunSummaryItem", additionalProperties: false },
);

export const RunIdParams = Type.Object({ run_id: Type.String({ pattern: "^run_[0-9a-f]{32}$" }) }, { additionalProperties: false });
export const AgentRunParams = Type.Object({ agent_id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const EventsQuery = Type.Object(
  {
    from_seq: Type.Integer({ minimum: 0, default: 0 }),
    follow: Type.Boolean({ default: true, description: "Keep the stream open until the run ends (SSE)." }),
  },
  { additionalProperties: false },
);
export const ListRunsQuery = Type.Composite([PageQuery, Type.Object({ agent_id: Type.Optional(Type.String()), state: Type.Optional(RunState) })], {
  additionalProperties: false,
});
