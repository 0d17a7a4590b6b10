/** API shapes for agents, their health and the fleet summary. */
import { Type, type Static } from "@sinclair/typebox";
import { AGENT_ACTIONS, AGENT_STATUSES, type AgentAction as AgentActionValue, type AgentStatus as AgentStatusName } from "@clawea/db";
import { PageQuery } from "../../http/pagination.js";
import {
  Config,
  Model,
  Name,
  RESOURCE_BOUNDS,
  Resources,
  Runtime,
  SecretRefs,
  SleepAfterSeconds,
  TEMPLATE_ID_PATTERN,
} from "../templates/templates.schemas.js";

const Timestamp = Type.String({ format: "date-time" });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const AgentStatus = Type.Unsafe<AgentStatusName>({ type: "string", enum: [...AGENT_STATUSES] });
export const AgentActionName = Type.Unsafe<AgentActionValue>({ type: "string", enum: [...AGENT_ACTIONS] });
export const TemplateId = Type.String({ pattern: TEMPLATE_ID_PATTERN });

export const PendingAction = Type.Object(
  {
    action: AgentActionName,
    action_id: Type.String({ description: "Also names the job: `jobIdFor(\"agent.<action>\", action_id)`." }),
    requested_at: Timestamp,
  },
  { $id: "PendingAction", additionalProperties: false, description: "Requested of the data plane and not yet carried out." },
);

export const Agent = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    template_id: Type.String(),
    status: AgentStatus,
    pending_action: Nullable(PendingAction),
    did: Type.String({ description: "The agent's did:key; its private key never leaves the platform's sealed store." }),
    policy_hash: Nullable(Type.String()),
    runtime: Runtime,
    model: Type.String(),
    resources: Resources,
    sleep_after_seconds: Type.Integer(),
    stateless: Type.Boolean(),
    secret_refs: Type.Array(Type.String()),
    config: Type.Record(Type.String(), Type.Unknown()),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: "Agent", additionalProperties: false },
);
export type Agent = Static<typeof Agent>;

export const CreateAgent = Type.Object(
  {
    template_id: TemplateId,
    name: Name,
    overrides: Type.Optional(
      Type.Object(
        {
          model: Type.Optional(Model),
          resources: Type.Optional(
            Type.Object(
              {
                cpu_millis: Type.Optional(Type.Integer(RESOURCE_BOUNDS.cpu_millis)),
                memory_mb: Type.Optional(Type.Integer(RESOURCE_BOUNDS.memory_mb)),
                disk_mb: Type.Optional(Type.Integer(RESOURCE_BOUNDS.disk_mb)),
              },
              { additionalProperties: false },
            ),
          ),
          sleep_after_seconds: Type.Optional(SleepAfterSeconds),
          stateless: Type.Optional(Type.Boolean()),
          secret_refs: Type.Optional(SecretRefs),
          config: Type.Optional(Config),
        },
        {
          additionalProperties: false,
          description: "Replace the template's settings for this agent; `resources` and `config` merge over the template's.",
        },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CreateAgent = Static<typeof CreateAgent>;

export const AgentIdParams = Type.Object({ agent_id: Type.String({ pattern: "^agt_[0-9a-f]{32}$" }) }, { additionalProperties: false });

export const ListAgentsQuery = Type.Object(
  { ...PageQuery.properties, status: Type.Optional(AgentStatus), template_id: Type.Optional(TemplateId) },
  { additionalProperties: false },
);

export const AgentHealth = Type.Object(
  {
    agent_id: Type.String(),
    status: AgentStatus,
    pending_action: Nullable(PendingAction),
    last_active_at: Nullable(Timestamp),
    cpu_usage_millis: Nullable(Type.Number()),
    memory_usage_mb: Nullable(Type.Number()),
    sandbox_id: Nullable(Type.String()),
    last_error_code: Nullable(Type.String({ description: "Reason code of the data plane's last failure." })),
    restart_count: Type.Integer({ minimum: 0, description: "Times the data plane restarted a crashed sandbox." }),
    failure_count: Type.Integer({ minimum: 0, description: "Health checks that found the sandbox dead or unreachable." }),
    last_restart_at: Nullable(Timestamp),
    last_failure_at: Nullable(Timestamp),
    last_failure_code: Nullable(Type.String()),
    updated_at: Timestamp,
  },
  { $id: "AgentHealth", additionalProperties: false, description: "As the data plane last reported it." },
);

const Count = Type.Integer({ minimum: 0 });

export const FleetSummary = Type.Object(
  {
    total: Type.Integer({ description: "Agents that are not destroyed." }),
    by_status: Type.Object(
      Object.fromEntries(AGENT_STATUSES.map((status) => [status, Count])) as { [S in AgentStatusName]: typeof Count },
      { additionalProperties: false, description: "Every agent, destroyed ones too." },
    ),
    by_template: Type.Array(
      Type.Object({ template_id: Type.String(), template_name: Type.String(), agents: Count }, { additionalProperties: false }),
      { description: "Agents that are not destroyed, per template, most used first." },
    ),
    resources: Type.Object(
      { cpu_millis: Count, memory_mb: Count, disk_mb: Count },
      { additionalProperties: false, description: "Resource totals of agents that are not destroyed." },
    ),
  },
  { $id: "FleetSummary", additionalProperties: false },
);
export type FleetSummary = Static<typeof FleetSummary>;
