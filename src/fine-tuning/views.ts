import type { FileObject, FineTuningJobStatus, JobCheckpoint, JobEvent, JobObject } from '../shared/contract/fine-tuning.js';
import type { schema } from '../store/index.js';

/** Rows of the fine-tuning tables (src/store/schema/fine-tuning.ts). */
export type FileRow = typeof schema.fineTuningFiles.$inferSelect;
export type JobRow = typeof schema.fineTuningJobs.$inferSelect;
export type EventRow = typeof schema.fineTuningEvents.$inferSelect;
export type CheckpointRow = typeof schema.fineTuningCheckpoints.$inferSelect;

/** Unix seconds, OpenAI's time unit. */
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

/** OpenAI's file object of a stored file (always `processed`: it was validated before it was stored). */
export function fileObject(f: FileRow): FileObject {
  return { id: f.id, object: 'file', bytes: f.bytes, created_at: seconds(f.createdAt), filename: f.filename, purpose: f.purpose, status: 'processed', status_details: null };
}

/** OpenAI's job object of a stored job. */
export function jobObject(j: JobRow): JobObject {
  const h = j.hyperparameters;
  const hyperparameters = { n_epochs: h.n_epochs, batch_size: h.batch_size, learning_rate_multiplier: h.learning_rate_multiplier };
  return {
    id: j.id,
    object: 'fine_tuning.job',
    created_at: seconds(j.createdAt),
    error: j.error ?? null,
    fine_tuned_model: j.fineTunedModel,
    finished_at: j.finishedAt ? seconds(j.finishedAt) : null,
    hyperparameters,
    model: j.baseModel,
    organization_id: j.customerId,
    result_files: [],
    seed: j.seed,
    status: j.status as FineTuningJobStatus,
    trained_tokens: j.trainedTokens,
    training_file: j.trainingFileId,
    validation_file: j.validationFileId,
    estimated_finish: null,
    integrations: [],
    metadata: j.metadata ?? null,
    user_provided_suffix: j.suffix,
    method: { type: 'supervised', supervised: { hyperparameters } },
  };
}

/** OpenAI's event object of a stored event. */
export function eventObject(e: EventRow): JobEvent {
  return {
    id: e.id,
    object: 'fine_tuning.job.event',
    created_at: seconds(e.createdAt),
    level: e.level === 'warn' || e.level === 'error' ? e.level : 'info',
    message: e.message,
    type: e.type === 'metrics' ? 'metrics' : 'message',
    data: e.data ?? null,
  };
}

/** OpenAI's checkpoint object of a stored checkpoint. */
export function checkpointObject(c: CheckpointRow): JobCheckpoint {
  return {
    id: c.id,
    object: 'fine_tuning.job.checkpoint',
    created_at: seconds(c.createdAt),
    fine_tuned_model_checkpoint: c.model,
    fine_tuning_job_id: c.jobId,
    step_number: c.stepNumber,
    metrics: c.metrics,
  };
}

/** The statuses a job never leaves. */
export const FINAL_STATUSES: readonly FineTuningJobStatus[] = ['succeeded', 'failed', 'cancelled'];
