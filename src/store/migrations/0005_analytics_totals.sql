CREATE TABLE "kpi_month_totals" (
	"month" date PRIMARY KEY NOT NULL,
	"active_customers" integer DEFAULT 0 NOT NULL,
	"active_days" integer DEFAULT 0 NOT NULL,
	"retained_customers" integer DEFAULT 0 NOT NULL,
	"prev_active_customers" integer DEFAULT 0 NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"tokens" bigint DEFAULT 0 NOT NULL,
	"cost_micros" bigint DEFAULT 0 NOT NULL,
	"price_micros" bigint DEFAULT 0 NOT NULL,
	"partner_influenced_micros" bigint DEFAULT 0 NOT NULL,
	"retained_price_micros" bigint DEFAULT 0 NOT NULL,
	"prev_price_micros" bigint DEFAULT 0 NOT NULL,
	"segments_reached" integer DEFAULT 0 NOT NULL,
	"regions_reached" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kpi_partner_months" (
	"month" date NOT NULL,
	"channel_id" text NOT NULL,
	"partner_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"price_micros" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "kpi_partner_months_month_channel_id_partner_id_campaign_id_pk" PRIMARY KEY("month","channel_id","partner_id","campaign_id")
);
