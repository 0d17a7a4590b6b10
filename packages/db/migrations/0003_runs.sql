CREATE TABLE "approval_grants" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"policy_hash" text NOT NULL,
	"scope" jsonb NOT NULL,
	"scope_hash" text NOT NULL,
	"approval_id" text NOT NULL,
	"granted_by" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"run_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"status" text NOT NULL,
	"plan_hash" text NOT NULL,
	"policy_hash" text NOT NULL,
	"requested_scope" jsonb NOT NULL,
	"granted_scope" jsonb,
	"granted_scope_hash" text,
	"mode" text,
	"grant_id" text,
	"requested_by_key_id" text,
	"decided_by" text,
	"decided_via" text,
	"decided_at" timestamp with time zone,
	"reason" text,
	"receipt" jsonb,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "artifacts" (
	"tenant_id" text NOT NULL,
	"sha256_b64u" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "artifacts_tenant_id_sha256_b64u_pk" PRIMARY KEY("tenant_id","sha256_b64u")
);
--> statement-breakpoint
CREATE TABLE "channel_callbacks" (
	"replay_key" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"approval_id" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_deliveries" (
	"approval_id" text NOT NULL,
	"channel" text NOT NULL,
	"tenant_id" text NOT NULL,
	"ok" integer NOT NULL,
	"external_ref" jsonb,
	"reason_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "channel_deliveries_approval_id_channel_pk" PRIMARY KEY("approval_id","channel")
);
--> statement-breakpoint
CREATE TABLE "run_events" (
	"run_id" text NOT NULL,
	"seq" integer NOT NULL,
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"event_type" text NOT NULL,
	"timestamp" text NOT NULL,
	"actor" text NOT NULL,
	"payload" jsonb NOT NULL,
	"payload_hash" text NOT NULL,
	"prev_hash" text,
	"event_hash" text NOT NULL,
	CONSTRAINT "run_events_run_id_seq_pk" PRIMARY KEY("run_id","seq")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"task" text NOT NULL,
	"mission_id" text,
	"inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"state" text NOT NULL,
	"phase" text,
	"policy_hash" text NOT NULL,
	"requested_by_key_id" text,
	"plan" jsonb,
	"plan_hash" text,
	"scope_hash" text,
	"apply_jti" text,
	"reason_code" text,
	"refused" jsonb,
	"evidence" jsonb,
	"chain_head" text,
	"chain_length" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "tenant_approval_settings" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"approver_roles" text[] DEFAULT '{"admin","security"}' NOT NULL,
	"allow_self_approval" integer DEFAULT 0 NOT NULL,
	"approval_ttl_seconds" integer DEFAULT 86400 NOT NULL,
	"scope_grant_ttl_seconds" integer DEFAULT 3600 NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "approval_grants" ADD CONSTRAINT "approval_grants_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approval_grants" ADD CONSTRAINT "approval_grants_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "approvals" ADD CONSTRAINT "approvals_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "artifacts" ADD CONSTRAINT "artifacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_deliveries" ADD CONSTRAINT "channel_deliveries_approval_id_approvals_id_fk" FOREIGN KEY ("approval_id") REFERENCES "public"."approvals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_approval_settings" ADD CONSTRAINT "tenant_approval_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "approval_grants_agent_idx" ON "approval_grants" USING btree ("tenant_id","agent_id","expires_at");--> statement-breakpoint
CREATE INDEX "approval_grants_agent_fk_idx" ON "approval_grants" USING btree ("agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "approvals_run_idx" ON "approvals" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "approvals_tenant_status_idx" ON "approvals" USING btree ("tenant_id","status","id");--> statement-breakpoint
CREATE INDEX "channel_deliveries_tenant_idx" ON "channel_deliveries" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "run_events_tenant_idx" ON "run_events" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "runs_tenant_created_idx" ON "runs" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "runs_tenant_agent_idx" ON "runs" USING btree ("tenant_id","agent_id","id");--> statement-breakpoint
CREATE INDEX "runs_tenant_state_idx" ON "runs" USING btree ("tenant_id","state","id");--> statement-breakpoint
CREATE INDEX "runs_tenant_policy_idx" ON "runs" USING btree ("tenant_id","policy_hash","id");--> statement-breakpoint
CREATE INDEX "runs_tenant_mission_idx" ON "runs" USING btree ("tenant_id","mission_id","id") WHERE mission_id is not null;--> statement-breakpoint
CREATE INDEX "runs_agent_idx" ON "runs" USING btree ("agent_id");