CREATE TABLE "log_leaves" (
	"leaf_index" bigint PRIMARY KEY NOT NULL,
	"leaf_hash_b64u" text NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text,
	"appended_at" timestamp with time zone NOT NULL,
	CONSTRAINT "log_leaves_leaf_hash_key" UNIQUE("leaf_hash_b64u")
);
--> statement-breakpoint
CREATE TABLE "log_nodes" (
	"level" smallint NOT NULL,
	"node_index" bigint NOT NULL,
	"hash_b64u" text NOT NULL,
	CONSTRAINT "log_nodes_pkey" PRIMARY KEY("level","node_index")
);
--> statement-breakpoint
CREATE TABLE "log_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"tree_size" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "log_state_single_row" CHECK ("log_state"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "log_tree_heads" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash_b64u" text NOT NULL,
	"signed" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "log_leaves_tenant_idx" ON "log_leaves" USING btree ("tenant_id","leaf_index");--> statement-breakpoint
INSERT INTO "log_state" ("id", "tree_size") VALUES (1, 0) ON CONFLICT DO NOTHING;