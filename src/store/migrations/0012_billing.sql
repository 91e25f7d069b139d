-- Customer billing (#16): plan history, tax rates by region, prepaid credits, invoices with gapless numbers.
ALTER TABLE customers ADD COLUMN billing_mode text DEFAULT 'postpaid' NOT NULL;
--> statement-breakpoint
ALTER TABLE customers ADD COLUMN low_balance_micros bigint;
--> statement-breakpoint
ALTER TABLE customers ADD COLUMN prepaid_since timestamp with time zone;
--> statement-breakpoint
CREATE TABLE customer_plans (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  plan_id text NOT NULL REFERENCES price_plans(id),
  starts_at timestamp with time zone NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX customer_plans_customer_start ON customer_plans (customer_id, starts_at);
--> statement-breakpoint
CREATE TABLE tax_rates (
  region text PRIMARY KEY,
  rate_bps integer NOT NULL,
  updated_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE credit_entries (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  kind text NOT NULL,
  amount_micros bigint NOT NULL,
  note text DEFAULT '' NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX credit_entries_customer ON credit_entries (customer_id, created_at);
--> statement-breakpoint
CREATE TABLE invoices (
  id text PRIMARY KEY,
  customer_id text NOT NULL REFERENCES customers(id),
  month text NOT NULL,
  status text DEFAULT 'final' NOT NULL,
  number text NOT NULL,
  bill_to_kind text NOT NULL,
  bill_to_partner_id text,
  currency text NOT NULL,
  subtotal_micros bigint NOT NULL,
  tax_rate_bps integer NOT NULL,
  tax_micros bigint NOT NULL,
  credits_micros bigint NOT NULL,
  total_micros bigint NOT NULL,
  due_micros bigint NOT NULL,
  lines jsonb DEFAULT '[]'::jsonb NOT NULL,
  covered_seq bigint NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  finalized_at timestamp with time zone NOT NULL,
  paid_at timestamp with time zone,
  voided_at timestamp with time zone,
  void_reason text,
  CONSTRAINT invoices_customer_month UNIQUE (customer_id, month),
  CONSTRAINT invoices_number UNIQUE (number)
);
--> statement-breakpoint
CREATE INDEX invoices_month ON invoices (month, status);
--> statement-breakpoint
CREATE TABLE invoice_counters (
  year integer PRIMARY KEY,
  last integer NOT NULL
);
