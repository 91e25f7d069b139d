import { isErrorCode, QudaoError } from '../errors/index.js';
import type { RunRow } from '../pipeline/runs/index.js';

/**
 * What a finished pipeline run means for its fine-tuning job: the tokens it trained (the billable amount)
 * and, for a failed run, OpenAI's error object. Pure: read from the run's row.
 */

/** OpenAI's error object of a failed job. */
export interface JobError {
  readonly code: string;
  readonly message: string;
  readonly param: string | null;
}

const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The tokens a run trained, from its summary's `trainedTokens` (src/pipeline/train/chat.ts: the ids of the
 * rendered conversations it drew up to its last step, padding excluded — the file's tokens × epochs for a
 * whole run, the part trained for one stopped early by a cancel). A run without a summary (it failed before
 * one was written) counts 0.
 */
export function trainedTokensOf(run: Pick<RunRow, 'metrics'>): number {
  const total = n(run.metrics.trainedTokens);
  return total === undefined ? 0 : Math.max(0, Math.round(total));
}

/**
 * OpenAI's error object for a failure: a QudaoError's code, message and param, or a run's error line
 * (`QD_CODE: message`, as the run worker records it). Anything else is QD_INTERNAL with the text kept.
 */
export function failureOf(err: unknown): JobError {
  if (err instanceof QudaoError) return { code: err.code, message: err.message, param: err.param ?? null };
  const text = typeof err === 'string' ? err : err instanceof Error ? err.message : 'the training run failed';
  const m = /^(QD_[A-Z_]+): ([\s\S]*)$/.exec(text);
  if (m && isErrorCode(m[1])) return { code: m[1], message: m[2]!, param: null };
  return { code: 'QD_INTERNAL', message: text || 'the training run failed', param: null };
}
