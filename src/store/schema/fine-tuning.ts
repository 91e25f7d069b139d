import { bigint, bigserial, index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.js';

/**
 * The OpenAI-compatible fine-tuning API's rows (src/fine-tuning). A file and a job belong to the customer of
 * the API key that created them (`customer_id`); every read is filtered by it, so another customer's key
 * cannot tell that they exist.
 */

/** An uploaded file (`POST /v1/files`, purpose `fine-tune`): chat fine-tuning JSONL, validated on upload. */
export const fineTuningFiles = pgTable(
  'fine_tuning_files',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    /** The key's partner when the key was issued through a partner's channel (for the partner's views). */
    partnerId: text('partner_id'),
    keyId: text('key_id'),
    filename: text('filename').notNull(),
    purpose: text('purpose').notNull(),
    /** Size of `content` in bytes (UTF-8). */
    bytes: integer('bytes').notNull(),
    /** Number of training examples (lines) the validator counted. */
    examples: integer('examples').notNull(),
    /** The file as uploaded (UTF-8 text; the size limit keeps it small). */
    content: text('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('fine_tuning_files_customer').on(t.customerId, t.createdAt)],
);

/**
 * A fine-tuning job: a pipeline run of kind `finetune`, task `chat`, on a base deployment served in-process.
 * `status` is OpenAI's: validating_files, queued, running, succeeded, failed, cancelled.
 */
export const fineTuningJobs = pgTable(
  'fine_tuning_jobs',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull(),
    partnerId: text('partner_id'),
    keyId: text('key_id'),
    /** The base deployment's name (`model` of the request) and the version it served when the job was created. */
    baseModel: text('base_model').notNull(),
    baseVersionId: text('base_version_id').notNull(),
    trainingFileId: text('training_file_id').notNull(),
    validationFileId: text('validation_file_id'),
    /** OpenAI's hyperparameters as resolved: n_epochs, batch_size, learning_rate_multiplier. */
    hyperparameters: jsonb('hyperparameters').$type<{ n_epochs: number; batch_size: number; learning_rate_multiplier: number }>().notNull(),
    suffix: text('suffix'),
    seed: integer('seed').notNull(),
    metadata: jsonb('metadata').$type<Record<string, string>>(),
    status: text('status').notNull().default('validating_files'),
    /** The pipeline run that trains it, once started. */
    runId: text('run_id'),
    /** The deployment name of the result, `ft:<base>:<owner>:<suffix>:<id>`, once succeeded. */
    fineTunedModel: text('fine_tuned_model'),
    modelVersionId: text('model_version_id'),
    /** Billable tokens trained (the training file as rendered × epochs, or the part trained before a cancel or failure). */
    trainedTokens: bigint('trained_tokens', { mode: 'number' }),
    /** OpenAI's error object `{ code, message, param }` of a failed job. */
    error: jsonb('error').$type<{ code: string; message: string; param: string | null }>(),
    createdAt: createdAt(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [index('fine_tuning_jobs_customer').on(t.customerId, t.createdAt), index('fine_tuning_jobs_status').on(t.status)],
);

/** A job's events (status changes, progress with step, loss and validation loss), in order of `seq`. */
export const fineTuningEvents = pgTable(
  'fine_tuning_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: text('id').notNull().unique(),
    jobId: text('job_id').notNull(),
    /** `info`, `warn` or `error`. */
    level: text('level').notNull(),
    /** `message` or `metrics` (a training step's figures in `data`). */
    type: text('type').notNull(),
    message: text('message').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('fine_tuning_events_job').on(t.jobId, t.seq)],
);

/** A checkpoint of a job: a registered model version at a step, with the step's metrics. */
export const fineTuningCheckpoints = pgTable(
  'fine_tuning_checkpoints',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id').notNull(),
    /** The model name the checkpoint is served under. */
    model: text('model').notNull(),
    modelVersionId: text('model_version_id').notNull(),
    stepNumber: integer('step_number').notNull(),
    metrics: jsonb('metrics').$type<Record<string, number | null>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('fine_tuning_checkpoints_job').on(t.jobId, t.stepNumber)],
);
