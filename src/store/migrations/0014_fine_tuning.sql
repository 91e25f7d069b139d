-- OpenAI-compatible fine-tuning (#20): files, jobs, their events and checkpoints; customer-only deployments;
-- training tokens as their own billable kind (a column of the ledger, a price of the plan).
ALTER TABLE price_plans ADD COLUMN training_per_1m_micros bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE usage_events ADD COLUMN training_tokens bigint DEFAULT 0 NOT NULL;
--> statement-breakpoint
ALTER TABLE deployments ADD COLUMN owner_customer_id text;
--> statement-breakpoint
CREATE TABLE fine_tuning_files (
  id text PRIMARY KEY,
  customer_id text NOT NULL,
  partner_id text,
  key_id text,
  filename text NOT NULL,
  purpose text NOT NULL,
  bytes integer NOT NULL,
  examples integer NOT NULL,
  content text NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX fine_tuning_files_customer ON fine_tuning_files (customer_id, created_at);
--> statement-breakpoint
CREATE TABLE fine_tuning_jobs (
  id text PRIMARY KEY,
  customer_id text NOT NULL,
  partner_id text,
  key_id text,
  base_model text NOT NULL,
  base_version_id text NOT NULL,
  training_file_id text NOT NULL,
  validation_file_id text,
  hyperparameters jsonb NOT NULL,
  suffix text,
  seed integer NOT NULL,
  metadata jsonb,
  status text DEFAULT 'validating_files' NOT NULL,
  run_id text,
  fine_tuned_model text,
  model_version_id text,
  trained_tokens bigint,
  error jsonb,
  created_at timestamp with time zone DEFAULT now() NOT NULL,
  started_at timestamp with time zone,
  finished_at timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX fine_tuning_jobs_customer ON fine_tuning_jobs (customer_id, created_at);
--> statement-breakpoint
CREATE INDEX fine_tuning_jobs_status ON fine_tuning_jobs (status);
--> statement-breakpoint
CREATE TABLE fine_tuning_events (
  seq bigserial PRIMARY KEY,
  id text NOT NULL UNIQUE,
  job_id text NOT NULL,
  level text NOT NULL,
  type text NOT NULL,
  message text NOT NULL,
  data jsonb,
  created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX fine_tuning_events_job ON fine_tuning_events (job_id, seq);
--> statement-breakpoint
CREATE TABLE fine_tuning_checkpoints (
  id text PRIMARY KEY,
  job_id text NOT NULL,
  model text NOT NULL,
  model_version_id text NOT NULL,
  step_number integer NOT NULL,
  metrics jsonb NOT NULL,
  created_at timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX fine_tuning_checkpoints_job ON fine_tuning_checkpoints (job_id, step_number);
