import { z } from 'zod';
import { timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * OpenAI's fine-tuning API on `/v1` (files and fine-tuning jobs), in OpenAI's wire format, so the official
 * SDKs (`files.create`, `fineTuning.jobs.*`) are clients. Callers authenticate with a customer API key;
 * files and jobs belong to the key's customer and are invisible (404) to every other customer's key.
 *
 * A job fine-tunes one of the workspace's own in-process models (a `local` deployment the key may call) on
 * chat fine-tuning JSONL (`{"messages": [...]}` per line) with the pipeline's `finetune` step (`task: chat`)
 * in the server's run worker; on success its model `ft:<base>:<customer>:<suffix>:<id>` is deployed for the
 * key's customer only, and the tokens it trained are billed at the plan's training price.
 */

const tag = 'v1';

/** The job states, as OpenAI names them. */
export const fineTuningJobStatuses = ['validating_files', 'queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
/** One of {@link fineTuningJobStatuses}. */
export type FineTuningJobStatus = (typeof fineTuningJobStatuses)[number];

/** The purposes a file may have; only `fine-tune` is accepted here. */
export const filePurposes = ['fine-tune'] as const;

/**
 * The body of `POST /v1/files` as the multipart parser hands it on (src/fine-tuning/multipart.ts): the form's
 * text fields, and its one file part with its name and UTF-8 text.
 */
export const fileUploadSchema = z
  .object({
    purpose: z.string().min(1),
    file: z.object({ filename: z.string(), text: z.string() }).strict(),
  })
  .strict();

/** OpenAI's file object. */
export const fileObjectSchema = z.object({
  id: z.string(),
  object: z.literal('file'),
  bytes: z.number().int(),
  created_at: z.number().int(),
  filename: z.string(),
  purpose: z.string(),
  /** Always `processed`: a file is validated before it is stored. */
  status: z.literal('processed'),
  status_details: z.string().nullable(),
});

/** `GET /v1/files`. */
export const fileListSchema = z.object({ object: z.literal('list'), data: z.array(fileObjectSchema), has_more: z.boolean() });

/** `DELETE /v1/files/:id`. */
export const fileDeletedSchema = z.object({ id: z.string(), object: z.literal('file'), deleted: z.literal(true) });

/** A hyper-parameter OpenAI lets be `auto` (the server's choice) or a value. */
const autoOr = <T extends z.ZodType>(value: T) => z.union([z.literal('auto'), value]);

/** OpenAI's hyper-parameters of supervised fine-tuning. */
export const hyperparametersSchema = z
  .object({
    n_epochs: autoOr(z.number().int().min(1).max(50)).optional(),
    batch_size: autoOr(z.number().int().min(1).max(256)).optional(),
    learning_rate_multiplier: autoOr(z.number().gt(0).max(10)).optional(),
  })
  .strict();

/**
 * Body of `POST /v1/fine_tuning/jobs`. Loose on purpose: fields OpenAI has that Qudao does not implement
 * (`integrations`, a `method` other than supervised, …) are refused by name (QD_UNSUPPORTED_PARAMETER,
 * `param` naming the field) by the service, never silently dropped.
 */
export const createJobSchema = z
  .object({
    model: z.string().min(1).max(256),
    training_file: z.string().min(1).max(80),
    validation_file: z.string().min(1).max(80).nullish(),
    hyperparameters: hyperparametersSchema.nullish(),
    /** Up to 40 letters, digits, `-`, `_` or `.`, part of the model's name. */
    suffix: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/, 'must be 1 to 40 letters, digits, ".", "_" or "-"').nullish(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).nullish(),
    metadata: z.record(z.string().max(64), z.string().max(512)).nullish(),
    method: z
      .object({
        type: z.string(),
        supervised: z.object({ hyperparameters: hyperparametersSchema.nullish() }).strict().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

/** OpenAI's error object of a failed job. */
const jobErrorSchema = z.object({ code: z.string(), message: z.string(), param: z.string().nullable() });

/** OpenAI's fine-tuning job object. */
export const jobObjectSchema = z.object({
  id: z.string(),
  object: z.literal('fine_tuning.job'),
  created_at: z.number().int(),
  error: jobErrorSchema.nullable(),
  fine_tuned_model: z.string().nullable(),
  finished_at: z.number().int().nullable(),
  hyperparameters: z.object({ n_epochs: z.number().int(), batch_size: z.number().int(), learning_rate_multiplier: z.number() }),
  model: z.string(),
  /** The owning customer's id (OpenAI's organisation). */
  organization_id: z.string(),
  result_files: z.array(z.string()),
  seed: z.number().int(),
  status: z.enum(fineTuningJobStatuses),
  trained_tokens: z.number().int().nullable(),
  training_file: z.string(),
  validation_file: z.string().nullable(),
  estimated_finish: z.number().int().nullable(),
  integrations: z.array(z.unknown()).nullable(),
  metadata: z.record(z.string(), z.string()).nullable(),
  user_provided_suffix: z.string().nullable(),
  method: z.object({ type: z.literal('supervised'), supervised: z.object({ hyperparameters: z.object({ n_epochs: z.number().int(), batch_size: z.number().int(), learning_rate_multiplier: z.number() }) }) }),
});

/** OpenAI's cursor paging: `after` (an id of the previous page's last item) and `limit`. */
export const pageQuerySchema = z.object({ after: z.string().min(1).max(80).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }).loose();

/** `GET /v1/fine_tuning/jobs`: newest first. */
export const jobListSchema = z.object({ object: z.literal('list'), data: z.array(jobObjectSchema), has_more: z.boolean() });

/** A job event: a status change, or a training step's figures (`type: metrics`, `data`: step, train_loss, valid_loss). */
export const jobEventSchema = z.object({
  id: z.string(),
  object: z.literal('fine_tuning.job.event'),
  created_at: z.number().int(),
  level: z.enum(['info', 'warn', 'error']),
  message: z.string(),
  type: z.enum(['message', 'metrics']),
  data: z.record(z.string(), z.unknown()).nullable(),
});

/** `GET /v1/fine_tuning/jobs/:id/events`: newest first. */
export const jobEventListSchema = z.object({ object: z.literal('list'), data: z.array(jobEventSchema), has_more: z.boolean() });

/** A job checkpoint: a served model at a step, with its metrics. */
export const jobCheckpointSchema = z.object({
  id: z.string(),
  object: z.literal('fine_tuning.job.checkpoint'),
  created_at: z.number().int(),
  fine_tuned_model_checkpoint: z.string(),
  fine_tuning_job_id: z.string(),
  step_number: z.number().int(),
  metrics: z.record(z.string(), z.number().nullable()),
});

/** `GET /v1/fine_tuning/jobs/:id/checkpoints`: newest first. */
export const jobCheckpointListSchema = z.object({
  object: z.literal('list'),
  data: z.array(jobCheckpointSchema),
  has_more: z.boolean(),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
});

/** A job's or file's id in the path. */
const idParams = z.object({ id: z.string().min(1).max(80) }).strict();
/** The `/v1` reads ignore query parameters they do not know, as OpenAI does. */
const anyQuery = z.object({}).loose();

/** A validated job request. */
export type CreateJobRequest = z.infer<typeof createJobSchema>;
/** OpenAI's hyper-parameters as sent. */
export type HyperparametersRequest = z.infer<typeof hyperparametersSchema>;
/** A job as `/v1` answers it. */
export type JobObject = z.infer<typeof jobObjectSchema>;
/** A file as `/v1` answers it. */
export type FileObject = z.infer<typeof fileObjectSchema>;
/** A job event as `/v1` answers it. */
export type JobEvent = z.infer<typeof jobEventSchema>;
/** A job checkpoint as `/v1` answers it. */
export type JobCheckpoint = z.infer<typeof jobCheckpointSchema>;

/** The fine-tuning routes of `/v1`. */
export const fineTuningRoutes = {
  createFile: defineRoute({
    method: 'POST',
    url: '/v1/files',
    tag,
    access: 'customer-key',
    summary: 'Upload a chat fine-tuning JSONL file (multipart/form-data: file, purpose=fine-tune); validated line by line, size-limited',
    body: fileUploadSchema,
    response: { 200: fileObjectSchema },
  }),
  listFiles: defineRoute({ method: 'GET', url: '/v1/files', tag, access: 'customer-key', summary: 'The files of this key\'s customer, newest first', query: anyQuery, response: { 200: fileListSchema } }),
  getFile: defineRoute({ method: 'GET', url: '/v1/files/:id', tag, access: 'customer-key', summary: 'One file of this key\'s customer', params: idParams, query: anyQuery, response: { 200: fileObjectSchema } }),
  deleteFile: defineRoute({ method: 'DELETE', url: '/v1/files/:id', tag, access: 'customer-key', summary: 'Delete a file (jobs already created keep their copy)', params: idParams, response: { 200: fileDeletedSchema } }),
  createJob: defineRoute({
    method: 'POST',
    url: '/v1/fine_tuning/jobs',
    tag,
    access: 'customer-key',
    summary: 'Create a fine-tuning job on one of the workspace\'s in-process models (runs in the server\'s run worker)',
    body: createJobSchema,
    response: { 200: jobObjectSchema },
  }),
  listJobs: defineRoute({ method: 'GET', url: '/v1/fine_tuning/jobs', tag, access: 'customer-key', summary: 'The jobs of this key\'s customer, newest first (after, limit)', query: pageQuerySchema, response: { 200: jobListSchema } }),
  getJob: defineRoute({ method: 'GET', url: '/v1/fine_tuning/jobs/:id', tag, access: 'customer-key', summary: 'One fine-tuning job', params: idParams, query: anyQuery, response: { 200: jobObjectSchema } }),
  cancelJob: defineRoute({ method: 'POST', url: '/v1/fine_tuning/jobs/:id/cancel', tag, access: 'customer-key', summary: 'Cancel a queued or running job (a running one stops after its current step)', params: idParams, response: { 200: jobObjectSchema } }),
  listEvents: defineRoute({
    method: 'GET',
    url: '/v1/fine_tuning/jobs/:id/events',
    tag,
    access: 'customer-key',
    summary: 'A job\'s events, newest first: status changes and training steps (loss, validation loss)',
    params: idParams,
    query: pageQuerySchema,
    response: { 200: jobEventListSchema },
  }),
  listCheckpoints: defineRoute({
    method: 'GET',
    url: '/v1/fine_tuning/jobs/:id/checkpoints',
    tag,
    access: 'customer-key',
    summary: 'A job\'s checkpoints (served models at a step), newest first',
    params: idParams,
    query: pageQuerySchema,
    response: { 200: jobCheckpointListSchema },
  }),
} as const;

// ---- the admin view (`/api`, camelCase like all of `/api`)

/** `GET /api/fine-tuning/jobs`: every customer's jobs, newest first. */
export const adminJobQuerySchema = z
  .object({ status: z.enum(fineTuningJobStatuses).optional(), customerId: z.string().min(1).max(80).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

/** A fine-tuning job as the admin API lists it. */
export const adminJobSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string().nullable(),
  baseModel: z.string(),
  status: z.enum(fineTuningJobStatuses),
  fineTunedModel: z.string().nullable(),
  trainedTokens: z.number().int().nullable(),
  /** The pipeline run that trains it (`GET /api/runs/:id`). */
  runId: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: timestamp,
  finishedAt: timestamp.nullable(),
});

/** A job as the admin API lists it. */
export type AdminJob = z.infer<typeof adminJobSchema>;

/** The fine-tuning routes of `/api` (admin; the pipeline's area). */
export const fineTuningAdminRoutes = {
  listJobs: defineRoute({
    method: 'GET',
    url: '/api/fine-tuning/jobs',
    tag: 'pipeline',
    access: 'admin',
    summary: "Every customer's fine-tuning jobs, newest first (?status= &customerId= &limit=)",
    query: adminJobQuerySchema,
    response: { 200: z.object({ data: z.array(adminJobSchema) }) },
  }),
} as const;
