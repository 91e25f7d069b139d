import { boolean, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.js';

/**
 * One run of a model-pipeline step (`data`, `train`, `finetune`, `eval`): what was asked, how it went, and
 * what it produced. The dashboard draws loss curves from `metrics.curve`; a `stopped` run with `resumable`
 * set can be continued from its last checkpoint.
 */
export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    /** `data`, `train`, `finetune` or `eval`. */
    kind: text('kind').notNull(),
    /** `queued`, `running`, `stopped`, `completed` or `failed`. */
    status: text('status').notNull().default('queued'),
    /** The options the step was started with (JSON, as given to the pipeline function). */
    params: jsonb('params').$type<Record<string, unknown>>().notNull().default({}),
    /** Loss curve points (`curve`), the latest figures and final results (e.g. validation perplexity). */
    metrics: jsonb('metrics').$type<Record<string, unknown>>().notNull().default({}),
    /** Paths written: data folder, checkpoints, registered model version. */
    artifacts: jsonb('artifacts').$type<Record<string, unknown>>().notNull().default({}),
    /** True when a checkpoint exists from which the run can continue. */
    resumable: boolean('resumable').notNull().default(false),
    /** One line saying what failed, with its QD_* code; null unless `failed`. */
    error: text('error'),
    /** The run this one continues (resume) or builds on (fine-tune of a pretrain), if any. */
    parentRunId: text('parent_run_id'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
  },
  (t) => [index('runs_kind_created').on(t.kind, t.createdAt)],
);
