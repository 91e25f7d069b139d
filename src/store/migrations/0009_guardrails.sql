CREATE TABLE "guardrails" (
	"id" text PRIMARY KEY NOT NULL,
	"deployment_id" text NOT NULL,
	"name" text NOT NULL,
	"stage" text NOT NULL,
	"kind" text NOT NULL,
	"action" text NOT NULL,
	"config" jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "guardrails_deployment_name" UNIQUE("deployment_id","name")
);
--> statement-breakpoint
ALTER TABLE "guardrails" ADD CONSTRAINT "guardrails_deployment_id_deployments_id_fk" FOREIGN KEY ("deployment_id") REFERENCES "public"."deployments"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
CREATE INDEX "guardrails_deployment" ON "guardrails" USING btree ("deployment_id","position");
--> statement-breakpoint
CREATE INDEX "usage_events_guardrail" ON "usage_events" USING btree ("deployment_id","occurred_at") WHERE "endpoint" = 'guardrail';
