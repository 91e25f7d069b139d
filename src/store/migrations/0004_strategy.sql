CREATE TABLE "ahp_matrices" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"labels" jsonb NOT NULL,
	"matrix" jsonb NOT NULL,
	"consistency_ratio" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ahp_matrices_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "candidate_scores" (
	"candidate_id" text NOT NULL,
	"criterion_id" text NOT NULL,
	"score" double precision NOT NULL,
	CONSTRAINT "candidate_scores_candidate_id_criterion_id_pk" PRIMARY KEY("candidate_id","criterion_id")
);
--> statement-breakpoint
CREATE TABLE "partner_candidates" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"partner_id" text,
	"type" text DEFAULT '' NOT NULL,
	"region" text DEFAULT '' NOT NULL,
	"notes" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'candidate' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_candidates_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "selection_criteria" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "selection_criteria_name_unique" UNIQUE("name")
);
--> statement-breakpoint
ALTER TABLE "candidate_scores" ADD CONSTRAINT "candidate_scores_candidate_id_partner_candidates_id_fk" FOREIGN KEY ("candidate_id") REFERENCES "public"."partner_candidates"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "candidate_scores" ADD CONSTRAINT "candidate_scores_criterion_id_selection_criteria_id_fk" FOREIGN KEY ("criterion_id") REFERENCES "public"."selection_criteria"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "partner_candidates" ADD CONSTRAINT "partner_candidates_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;