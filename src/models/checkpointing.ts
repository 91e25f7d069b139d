import { z } from 'zod';
import { CheckpointError, type Checkpoint, type Engine, type Optimizer, type Rng } from '../engine/index.js';
import type { GPT } from './gpt.js';
import type { GptConfig } from './gpt-config.js';
import type { LstmLM, LstmLmConfig } from './lstm-lm.js';
import { createModel, type ModelSpec } from './presets.js';
import { loadStateDict, stateDict } from './state-dict.js';

/** Training progress to store with the weights. */
export interface TrainingProgress {
  step: number;
  optimizer?: Optimizer;
  /** Extra RNGs to restore (the model's own dropout RNG is always saved as `model`). */
  rngs?: Record<string, Rng>;
  extra?: Record<string, unknown>;
}

/**
 * Packs a model (weights under Hugging Face / PyTorch names, spec as config) and, optionally,
 * training progress and a tokenizer JSON into a {@link Checkpoint} for `saveCheckpoint`.
 */
export function toCheckpoint(spec: ModelSpec, model: GPT | LstmLM, progress?: TrainingProgress, tokenizer?: unknown): Checkpoint {
  const ckpt: Checkpoint = { config: { kind: spec.kind, ...spec.config }, weights: stateDict(model) };
  if (tokenizer !== undefined) ckpt.tokenizer = tokenizer;
  if (progress) {
    const rng = { model: model.rng.getState(), ...Object.fromEntries(Object.entries(progress.rngs ?? {}).map(([k, r]) => [k, r.getState()])) };
    ckpt.training = { step: progress.step, rng };
    if (progress.optimizer) ckpt.training.optimizer = progress.optimizer.getState();
    if (progress.extra) ckpt.training.extra = progress.extra;
  }
  return ckpt;
}

// The architecture fields of a checkpoint's config. Loose: any other keys pass through untouched, as
// they did before the config was checked; the model constructors validate the values themselves.
const gptConfig = z.looseObject({
  vocabSize: z.number(), contextLength: z.number(), nLayer: z.number(), nHead: z.number(), dModel: z.number(),
  dropout: z.number().optional(),
}) satisfies z.ZodType<GptConfig>;
const lstmConfig = z.looseObject({
  vocabSize: z.number(), embedDim: z.number(), hiddenSize: z.number(), numLayers: z.number(),
  dropout: z.number().optional(),
}) satisfies z.ZodType<LstmLmConfig>;

function parseConfig<T>(schema: z.ZodType<T>, kind: string, config: Record<string, unknown>): T {
  const parsed = schema.safeParse(config);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'}: ${i.message}`).join('; ');
    throw new CheckpointError(`checkpoint config is not a ${kind} config: ${issues}`);
  }
  return parsed.data;
}

/** The model spec stored in a checkpoint's config (its fields checked, unknown kinds refused). */
export function specOf(ckpt: Checkpoint): ModelSpec {
  const { kind, ...config } = ckpt.config;
  if (kind === 'gpt') return { kind, config: parseConfig(gptConfig, kind, config) };
  if (kind === 'lstm') return { kind, config: parseConfig(lstmConfig, kind, config) };
  throw new CheckpointError(`checkpoint config has unknown model kind ${String(kind)}`);
}

/** Builds the model a checkpoint describes and loads its weights (throws on any mismatch). */
export function modelFromCheckpoint(engine: Engine, ckpt: Checkpoint): { spec: ModelSpec; model: GPT | LstmLM } {
  const spec = specOf(ckpt);
  const model = createModel(engine, spec);
  loadStateDict(model, ckpt.weights);
  if (ckpt.training?.rng?.model) model.rng.setState(ckpt.training.rng.model);
  return { spec, model };
}

/**
 * Restores optimiser moments and RNG states from a checkpoint so training continues bit-exactly.
 * Returns the step to continue from.
 */
export function restoreTraining(ckpt: Checkpoint, model: GPT | LstmLM, optimizer?: Optimizer, rngs: Record<string, Rng> = {}): number {
  const t = ckpt.training;
  if (!t) throw new CheckpointError('checkpoint holds no training state');
  if (optimizer) {
    if (!t.optimizer) throw new CheckpointError('checkpoint holds no optimizer state');
    optimizer.setState(t.optimizer);
  }
  if (t.rng?.model) model.rng.setState(t.rng.model);
  for (const [k, r] of Object.entries(rngs)) {
    const s = t.rng?.[k];
    if (!s) throw new CheckpointError(`checkpoint holds no RNG state named ${k}`);
    r.setState(s);
  }
  return t.step;
}
