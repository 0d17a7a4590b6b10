/** Agents, their lifecycle state and health, and which WPC each had when. */
import { sql } from "drizzle-orm";
import { boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { createdAt } from "./columns.js";
import { templates } from "./templates.schema.js";
import { tenants } from "./tenants.schema.js";

export const AGENT_STATUSES = ["provisioning", "running", "sleeping", "destroyed", "failed"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Lifecycle actions the control plane has asked of the data plane and that it has not yet carried out. */
export const AGENT_ACTIONS = ["deploy", "sleep", "wake", "destroy"] as const;
export type AgentAction = (typeof AGENT_ACTIONS)[number];

export const agents = pgTable(
  "agents",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    templateId: text("template_id")
      .notNull()
      .references(() => templates.id),
    name: text("name").notNull(),
    status: text("status").$type<AgentStatus>().notNull(),
    did: text("did").notNull(),
    /** The agent's Ed25519 seed, sealed under the KEK: the data plane signs proof bundles with it. */
    signingKeySealed: text("signing_key_sealed").notNull(),
    policyHash: text("policy_hash"),
    runtime: text("runtime").notNull(),
    model: text("model").notNull(),
    cpuMillis: integer("cpu_millis").notNull(),
    memoryMb: integer("memory_mb").notNull(),
    diskMb: integer("disk_mb").notNull(),
    sleepAfterSeconds: integer("sleep_after_seconds").notNull(),
    stateless: boolean("stateless").notNull(),
    secretRefs: text("secret_refs").array().notNull().default([]),
    config: jsonb("config").notNull().default({}),
    sandboxId: text("sandbox_id"),
    lastActiveAt: timestamp("last_active_at", { withTimezone: true, mode: "date" }),
    cpuUsageMillis: doublePrecision("cpu_usage_millis"),
    memoryUsageMb: doublePrecision("memory_usage_mb"),
    lastErrorCode: text("last_error_code"),
    /** Sandboxes the data plane's health check found gone or dead under a running agent. */
    failureCount: integer("failure_count").notNull().default(0),
    /** Of those, the ones it brought back (re-created by id, or started again). */
    restartCount: integer("restart_count").notNull().default(0),
    /** Restarts that failed in a row; at the data plane's limit the agent is `failed` (`SANDBOX_RESTART_FAILED`). */
    consecutiveRestartFailures: integer("consecutive_restart_failures").notNull().default(0),
    lastRestartAt: timestamp("last_restart_at", { withTimezone: true, mode: "date" }),
    lastFailureAt: timestamp("last_failure_at", { withTimezone: true, mode: "date" }),
    /** What the last failure was (`SANDBOX_NOT_FOUND`, ...), kept while the agent runs again. */
    lastFailureCode: text("last_failure_code"),
    /**
     * The lifecycle action requested and not yet done: set by the control plane with the job, cleared
     * by the data plane when it reports the outcome (only while `pending_action_id` is still its job's).
     */
    pendingAction: text("pending_action").$type<AgentAction>(),
    pendingActionId: text("pending_action_id"),
    pendingActionAt: timestamp("pending_action_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    createdByKeyId: text("created_by_key_id"),
    /**
     * The row as the API's `Agent` and `AgentHealth` bodies, written by the `agents_render_json` trigger on
     * every insert and update (migration 0007), so the hottest reads send stored text and never render.
     * Never set them: whatever is written is replaced.
     */
    apiJson: text("api_json").notNull().default(""),
    healthJson: text("health_json").notNull().default(""),
  },
  (t) => [
    index("agents_tenant_id_idx").on(t.tenantId, t.id),
    // Lists filtered by status or template page by id within the filter.
    index("agents_tenant_status_id_idx").on(t.tenantId, t.status, t.id),
    index("agents_tenant_template_id_idx").on(t.tenantId, t.templateId, t.id),
    index("agents_template_idx").on(t.templateId),
    // The data plane's health sweep pages through every tenant's running agents by id.
    index("agents_running_id_idx").on(t.id).where(sql`status = 'running'`),
  ],
);

export const agentPolicyHistory = pgTable(
  "agent_policy_history",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    policyHash: text("policy_hash"),
    effectiveFrom: timestamp("effective_from", { withTimezone: true, mode: "date" }).notNull(),
    effectiveTo: timestamp("effective_to", { withTimezone: true, mode: "date" }),
    assignedByKeyId: text("assigned_by_key_id"),
  },
  (t) => [index("agent_policy_history_agent_idx").on(t.agentId, t.effectiveFrom), index("agent_policy_history_tenant_idx").on(t.tenantId)],
);
