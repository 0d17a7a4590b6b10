/**
 * Runs and their governance: the event chain (the run's evidence backbone, appended by whichever plane
 * sees the event), the one approval per run, standing scope grants ("Approve for scope"), card
 * deliveries and the callbacks already consumed (replay protection).
 */
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { agents } from "./agents.schema.js";
import { createdAt } from "./columns.js";
import { tenants } from "./tenants.schema.js";

export const RUN_STATES = ["planning", "awaiting_approval", "applying", "completed", "denied", "failed", "cancelled"] as const;
export type RunState = (typeof RUN_STATES)[number];
export const TERMINAL_RUN_STATES: readonly RunState[] = ["completed", "denied", "failed", "cancelled"];

export const runs = pgTable(
  "runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    task: text("task").notNull(),
    missionId: text("mission_id"),
    inputs: jsonb("inputs").notNull().default({}),
    state: text("state").$type<RunState>().notNull(),
    /** The phase whose CST is live (`plan`, `apply`), null once the run is over. */
    phase: text("phase").$type<"plan" | "apply">(),
    /** The WPC in force when the run started; the run is judged under it throughout. */
    policyHash: text("policy_hash").notNull(),
    requestedByKeyId: text("requested_by_key_id"),
    plan: jsonb("plan"),
    planHash: text("plan_hash"),
    scopeHash: text("scope_hash"),
    /** The apply CST's jti, so a cancel or a changed plan can revoke it. */
    applyJti: text("apply_jti"),
    reasonCode: text("reason_code"),
    /** Deny: the intended actions that were refused, machine-readable, fed back to the agent. */
    refused: jsonb("refused"),
    /** Links and hashes of the evidence the data plane produced (proof bundle, attestation, log index). */
    evidence: jsonb("evidence"),
    /** Head of the event chain: the next event links to it. */
    chainHead: text("chain_head"),
    chainLength: integer("chain_length").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [
    // Lists page newest first by id (time-ordered) within a tenant and optional filter.
    index("runs_tenant_id_idx").on(t.tenantId, t.id),
    index("runs_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("runs_tenant_agent_idx").on(t.tenantId, t.agentId, t.id),
    index("runs_tenant_state_idx").on(t.tenantId, t.state, t.id),
    index("runs_tenant_policy_idx").on(t.tenantId, t.policyHash, t.id),
    index("runs_tenant_mission_idx").on(t.tenantId, t.missionId, t.id).where(sql`mission_id is not null`),
    index("runs_agent_idx").on(t.agentId),
  ],
);

/** The run's Clawsig event chain, one row per event; `seq` orders it and the hashes link it. */
export const runEvents = pgTable(
  "run_events",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    tenantId: text("tenant_id").notNull(),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The exact RFC 3339 string that entered the hash. */
    timestamp: text("timestamp").notNull(),
    actor: text("actor").notNull(),
    payload: jsonb("payload").notNull(),
    payloadHash: text("payload_hash").notNull(),
    prevHash: text("prev_hash"),
    eventHash: text("event_hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] }), index("run_events_tenant_idx").on(t.tenantId)],
);

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired", "cancelled"] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export const approvals = pgTable(
  "approvals",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    status: text("status").$type<ApprovalStatus>().notNull(),
    planHash: text("plan_hash").notNull(),
    policyHash: text("policy_hash").notNull(),
    /** What the plan asks for: `{scope_hash_b64u, side_effects}`. */
    requestedScope: jsonb("requested_scope").notNull(),
    /** What the approver granted (equal to or narrower than asked). */
    grantedScope: jsonb("granted_scope"),
    grantedScopeHash: text("granted_scope_hash"),
    mode: text("mode").$type<"once" | "scope">(),
    /** Set when a standing grant approved the run without a card. */
    grantId: text("grant_id"),
    requestedByKeyId: text("requested_by_key_id"),
    decidedBy: text("decided_by"),
    decidedVia: text("decided_via"),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
    reason: text("reason"),
    receipt: jsonb("receipt"),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("approvals_run_idx").on(t.runId),
    index("approvals_tenant_status_idx").on(t.tenantId, t.status, t.id),
  ],
);

/** "Approve for scope": later runs of the agent whose plans stay inside `scope` are approved until `expires_at`. */
export const approvalGrants = pgTable(
  "approval_grants",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    policyHash: text("policy_hash").notNull(),
    scope: jsonb("scope").notNull(),
    scopeHash: text("scope_hash").notNull(),
    approvalId: text("approval_id").notNull(),
    grantedBy: text("granted_by").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
    createdAt: createdAt(),
  },
  (t) => [index("approval_grants_agent_idx").on(t.tenantId, t.agentId, t.expiresAt), index("approval_grants_agent_fk_idx").on(t.agentId)],
);

/** One row per channel a card went to: what was sent and where it lives there (to update it later). */
export const channelDeliveries = pgTable(
  "channel_deliveries",
  {
    approvalId: text("approval_id")
      .notNull()
      .references(() => approvals.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    tenantId: text("tenant_id").notNull(),
    ok: integer("ok").notNull(),
    externalRef: jsonb("external_ref"),
    reasonCode: text("reason_code"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.approvalId, t.channel] }), index("channel_deliveries_tenant_idx").on(t.tenantId)],
);

/** Callbacks already acted on, by the channel's replay key: a replayed callback finds its row and is refused. */
export const channelCallbacks = pgTable("channel_callbacks", {
  replayKey: text("replay_key").primaryKey(),
  tenantId: text("tenant_id").notNull(),
  approvalId: text("approval_id").notNull(),
  receivedAt: timestamp("received_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Per-tenant approval rules and channel settings (secrets are referenced by name, never stored here). */
export const tenantApprovalSettings = pgTable("tenant_approval_settings", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  approverRoles: text("approver_roles").array().notNull().default(["admin", "security"]),
  allowSelfApproval: integer("allow_self_approval").notNull().default(0),
  approvalTtlSeconds: integer("approval_ttl_seconds").notNull().default(86_400),
  scopeGrantTtlSeconds: integer("scope_grant_ttl_seconds").notNull().default(3_600),
  channels: jsonb("channels").notNull().default({}),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

/** Content-addressed artifacts of runs; the bytes live in the artifact store under `storage_key`. */
export const artifacts = pgTable(
  "artifacts",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    sha256: text("sha256_b64u").notNull(),
    contentType: text("content_type").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sha256] })],
);
