CREATE TABLE "customer_months" (
	"month" date NOT NULL,
	"customer_id" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"ok_requests" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"price_micros" bigint DEFAULT 0 NOT NULL,
	"partner_price_micros" bigint DEFAULT 0 NOT NULL,
	"active_days" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "customer_months_month_customer_id_pk" PRIMARY KEY("month","customer_id")
);
--> statement-breakpoint
CREATE TABLE "kpi_monthly" (
	"month" date NOT NULL,
	"cohort_month" date NOT NULL,
	"channel_id" text DEFAULT '' NOT NULL,
	"partner_id" text DEFAULT '' NOT NULL,
	"campaign_id" text DEFAULT '' NOT NULL,
	"segment_id" text DEFAULT '' NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"active_customers" integer DEFAULT 0 NOT NULL,
	"active_days" integer DEFAULT 0 NOT NULL,
	"retained_customers" integer DEFAULT 0 NOT NULL,
	"prev_active_customers" integer DEFAULT 0 NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"price_micros" bigint DEFAULT 0 NOT NULL,
	"partner_price_micros" bigint DEFAULT 0 NOT NULL,
	"retained_price_micros" bigint DEFAULT 0 NOT NULL,
	"prev_price_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_monthly_month_cohort_month_channel_id_partner_id_campaign_id_segment_id_region_pk" PRIMARY KEY("month","cohort_month","channel_id","partner_id","campaign_id","segment_id","region")
);
--> statement-breakpoint
CREATE TABLE "rollup_gaps" (
	"name" text NOT NULL,
	"from_seq" bigint NOT NULL,
	"to_seq" bigint NOT NULL,
	"noted_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rollup_gaps_name_from_seq_pk" PRIMARY KEY("name","from_seq")
);
--> statement-breakpoint
CREATE TABLE "rollup_watermarks" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_daily" (
	"day" date NOT NULL,
	"customer_id" text DEFAULT '' NOT NULL,
	"channel_id" text DEFAULT '' NOT NULL,
	"partner_id" text DEFAULT '' NOT NULL,
	"campaign_id" text DEFAULT '' NOT NULL,
	"model" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"ok_requests" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"price_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_daily_day_customer_id_channel_id_partner_id_campaign_id_model_pk" PRIMARY KEY("day","customer_id","channel_id","partner_id","campaign_id","model")
);
--> statement-breakpoint
CREATE INDEX "usage_daily_customer_day" ON "usage_daily" USING btree ("customer_id","day");