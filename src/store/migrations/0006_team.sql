CREATE TABLE "admin_users" (
	"id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"role" text NOT NULL,
	"password_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "admin_users_role_check" CHECK ("role" IN ('owner', 'finance', 'partner_manager', 'marketing', 'engineer', 'viewer'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_email_lower" ON "admin_users" USING btree (lower("email"));
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "admin_sessions_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "admin_sessions_user_id_admin_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "admin_users"("id") ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX "admin_sessions_user" ON "admin_sessions" USING btree ("user_id");
--> statement-breakpoint
ALTER TABLE "admin_tokens" ADD COLUMN "user_id" text REFERENCES "admin_users"("id") ON DELETE cascade;
--> statement-breakpoint
ALTER TABLE "admin_tokens" ADD COLUMN "scope" text CONSTRAINT "admin_tokens_scope_check" CHECK ("scope" IN ('owner', 'finance', 'partner_manager', 'marketing', 'engineer', 'viewer'));
--> statement-breakpoint
ALTER TABLE "admin_tokens" ADD COLUMN "expires_at" timestamp with time zone;
--> statement-breakpoint
CREATE INDEX "admin_tokens_user" ON "admin_tokens" USING btree ("user_id");
