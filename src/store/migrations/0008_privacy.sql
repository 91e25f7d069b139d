-- Privacy (#19): optional, per-deployment request logging (off by default) with a retention period.
ALTER TABLE "deployments" ADD COLUMN "request_log_enabled" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "deployments" ADD COLUMN "request_log_retention_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
CREATE TABLE "request_logs" (
	"request_id" text PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"key_id" text,
	"customer_id" text,
	"endpoint" text NOT NULL,
	"model" text NOT NULL,
	"prompt_text" text NOT NULL,
	"completion_text" text NOT NULL,
	"status" text NOT NULL,
	"http_status" integer NOT NULL,
	"streamed" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);--> statement-breakpoint
CREATE INDEX "request_logs_deployment_created" ON "request_logs" USING btree ("deployment_id","created_at");--> statement-breakpoint
CREATE INDEX "request_logs_customer" ON "request_logs" USING btree ("customer_id");
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "erased_at" timestamp with time zone;
