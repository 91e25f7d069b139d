import { QudaoError } from '../errors/index.js';
import type { CreateJobRequest, HyperparametersRequest } from '../shared/contract/fine-tuning.js';

/**
 * OpenAI's fine-tuning request, mapped onto the pipeline's chat fine-tune (interfaces B: the `finetune`
 * step with `task: 'chat'`). Pure: what the request means is decided here, before any row or file is written.
 */

/** OpenAI's hyper-parameters with every `auto` resolved. */
export interface ResolvedHyperparameters {
  readonly n_epochs: number;
  readonly batch_size: number;
  readonly learning_rate_multiplier: number;
}

/**
 * The peak learning rate a multiplier of 1 means. Fine-tuning a trained checkpoint wants a smaller step than
 * pretraining's default 1e-3 (src/pipeline/train/options.ts); 1e-4 is the usual choice for small GPTs.
 */
export const BASE_LEARNING_RATE = 1e-4;

/** Epochs when `n_epochs` is `auto` or absent: OpenAI's default for small files. */
export const AUTO_EPOCHS = 3;

/** Batch size when `batch_size` is `auto`: 8 examples, or every example of a smaller file. */
export const AUTO_BATCH = 8;

/** The fields of a job request this gateway implements; any other non-null field is refused by name. */
const supported = new Set(['model', 'training_file', 'validation_file', 'hyperparameters', 'suffix', 'seed', 'metadata', 'method']);

const unsupported = (param: string, why: string) => new QudaoError('QD_UNSUPPORTED_PARAMETER', `${param}: ${why}`, { param });

/**
 * The hyper-parameters a request asks for: the top-level `hyperparameters` or `method.supervised.hyperparameters`
 * (OpenAI's newer spelling), not both. Refuses what is not implemented, naming it: an unknown field,
 * `integrations`, a `method.type` other than `supervised`.
 */
export function requestedHyperparameters(body: CreateJobRequest): HyperparametersRequest {
  for (const [key, value] of Object.entries(body)) {
    if (supported.has(key) || value === null || value === undefined) continue;
    if (key === 'integrations' && Array.isArray(value) && value.length === 0) continue;
    throw unsupported(key, key === 'integrations' ? 'integrations (Weights & Biases, …) are not supported; leave it out' : 'is not a field of fine-tuning jobs here; leave it out');
  }
  const method = body.method ?? undefined;
  if (method) {
    if (method.type !== 'supervised') throw unsupported('method.type', `only supervised fine-tuning is supported, not ${JSON.stringify(method.type)}`);
    const extra = Object.keys(method).find((k) => k !== 'type' && k !== 'supervised');
    if (extra) throw unsupported(`method.${extra}`, 'is not supported for supervised fine-tuning; leave it out');
  }
  const fromMethod = method?.supervised?.hyperparameters ?? undefined;
  const top = body.hyperparameters ?? undefined;
  if (fromMethod && top) throw new QudaoError('QD_INVALID_REQUEST', 'hyperparameters: give them either at the top level or in method.supervised, not both', { param: 'hyperparameters' });
  return fromMethod ?? top ?? {};
}

/** Every `auto` or absent hyper-parameter resolved for a training file of `examples` examples. */
export function resolveHyperparameters(requested: HyperparametersRequest, examples: number): ResolvedHyperparameters {
  const pick = <T>(v: T | 'auto' | undefined, auto: T): T => (v === undefined || v === 'auto' ? auto : v);
  return {
    n_epochs: pick(requested.n_epochs, AUTO_EPOCHS),
    batch_size: pick(requested.batch_size, Math.max(1, Math.min(AUTO_BATCH, examples))),
    learning_rate_multiplier: pick(requested.learning_rate_multiplier, 1),
  };
}

/** Where a job's training reads and writes (files the service wrote for it). */
export interface JobPaths {
  readonly checkpoint: string;
  readonly trainFile: string;
  readonly validationFile?: string;
  readonly outDir: string;
}

/**
 * The parameters of the job's pipeline run: the `finetune` step with `task: 'chat'` (interfaces B). Epochs
 * map to `epochs`, the batch size to `batchSize`, the multiplier scales {@link BASE_LEARNING_RATE}; the seed
 * is the job's. The chat template is the step's default (`chatml`), which it records in the checkpoint.
 */
export function chatFinetuneParams(h: ResolvedHyperparameters, seed: number, paths: JobPaths): Record<string, unknown> {
  return {
    task: 'chat',
    checkpoint: paths.checkpoint,
    trainFile: paths.trainFile,
    ...(paths.validationFile === undefined ? {} : { validationFile: paths.validationFile }),
    outDir: paths.outDir,
    epochs: h.n_epochs,
    batchSize: h.batch_size,
    lr: BASE_LEARNING_RATE * h.learning_rate_multiplier,
    seed,
  };
}

/** The characters of a job's id that name its model (`ft:<base>:<owner>:<suffix>:<short id>`). */
export function shortJobId(jobId: string): string {
  return jobId.slice(jobId.indexOf('_') + 1);
}

/** Longest deployment name (src/pipeline/registry/deployments.ts). */
const MAX_NAME = 128;

/**
 * The name a job's model is served under: `ft:<base>:<owner>:<suffix>:<short id>`, OpenAI's form (an empty
 * suffix leaves `::`). QD_INVALID_REQUEST naming `suffix` when the whole name would be too long.
 */
export function fineTunedModelName(base: string, ownerId: string, suffix: string | null, jobId: string): string {
  const name = `ft:${base}:${ownerId}:${suffix ?? ''}:${shortJobId(jobId)}`;
  if (name.length > MAX_NAME) {
    throw new QudaoError('QD_INVALID_REQUEST', `suffix: the model's name ${name} would be ${name.length} characters; at most ${MAX_NAME} (shorten the suffix)`, { param: 'suffix' });
  }
  return name;
}
