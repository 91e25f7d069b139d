ALTER TABLE "deployments" ADD COLUMN "provider" text DEFAULT 'openai-compatible' NOT NULL;
--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "api_version" text;
