CREATE TABLE "cst_revocations" (
	"jti" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"revoked_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "egress_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"run_id" text NOT NULL,
	"phase" text NOT NULL,
	"scheme" text NOT NULL,
	"host" text NOT NULL,
	"port" integer NOT NULL,
	"method" text,
	"decision" text NOT NULL,
	"reason_code" text,
	"side_effect" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "gateway_receipts" (
	"receipt_id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"run_id" text NOT NULL,
	"request_key" text,
	"status" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cst_revocations" ADD CONSTRAINT "cst_revocations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "egress_records" ADD CONSTRAINT "egress_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gateway_receipts" ADD CONSTRAINT "gateway_receipts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cst_revocations_tenant_idx" ON "cst_revocations" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "egress_records_run_idx" ON "egress_records" USING btree ("tenant_id","run_id","id");--> statement-breakpoint
CREATE INDEX "gateway_receipts_run_idx" ON "gateway_receipts" USING btree ("tenant_id","run_id","created_at");--> statement-breakpoint
CREATE INDEX "gateway_receipts_request_key_idx" ON "gateway_receipts" USING btree ("tenant_id","run_id","request_key");