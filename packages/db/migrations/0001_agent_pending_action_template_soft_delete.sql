DROP INDEX "templates_tenant_name_idx";--> statement-breakpoint
DROP INDEX "agents_tenant_status_idx";--> statement-breakpoint
ALTER TABLE "templates" ADD COLUMN "deleted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "pending_action" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "pending_action_id" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "pending_action_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "templates_tenant_name_live_idx" ON "templates" USING btree ("tenant_id","name") WHERE "templates"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "agents_tenant_status_id_idx" ON "agents" USING btree ("tenant_id","status","id");--> statement-breakpoint
CREATE INDEX "agents_tenant_template_id_idx" ON "agents" USING btree ("tenant_id","template_id","id");