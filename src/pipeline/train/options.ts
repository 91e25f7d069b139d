import { parseInput, QudaoError } from '../../errors/index.js';
import type { PresetName } from '../../models/index.js';
import { trainOptionsSchema } from '../../shared/contract/pipeline.js';

/** Where a run's model comes from: a named preset (with config overrides) or a trained checkpoint. */
export type ModelSource =
  | { readonly preset: PresetName; readonly overrides?: Readonly<Record<string, number>> }
  | { readonly checkpoint: string };

/** Hyper-parameters of a training run; every one has a default except the data and output folders. */
export interface TrainOptions {
  /** Folder written by `qudao data prepare`. */
  readonly dataDir: string;
  /** Run folder: `checkpoint/` (latest, resumable), `best/` (best validation loss), `run.json`. */
  readonly outDir: string;
  /** Default `{ preset: 'tiny' }` with the data's vocabulary size. */
  readonly model?: ModelSource;
  /** Sequences per micro-batch (default 8). */
  readonly batchSize?: number;
  /** Tokens per sequence (default: the model's context, at most 256). */
  readonly seqLen?: number;
  /** Micro-batches whose gradients are summed before each optimiser step (default 1). */
  readonly gradAccum?: number;
  /** Optimiser steps (default 1000). */
  readonly steps?: number;
  /** Peak learning rate (default 1e-3; fine-tunes usually want ~1e-4). */
  readonly lr?: number;
  /** Floor of the cosine decay (default lr / 10). */
  readonly minLr?: number;
  /** Linear warm-up steps (default min(100, steps / 10)). */
  readonly warmupSteps?: number;
  /** AdamW decoupled weight decay (default 0.1, nanoGPT). */
  readonly weightDecay?: number;
  readonly beta1?: number;
  /** Default 0.95 (nanoGPT's choice for small batches). */
  readonly beta2?: number;
  /** Global gradient-norm clip (default 1.0; 0 = off). */
  readonly clipNorm?: number;
  /** Validate every N steps (default 100) and at the end. */
  readonly evalEvery?: number;
  /** Validation batches per evaluation (default 20). */
  readonly evalBatches?: number;
  /** Write the resumable checkpoint every N steps (default 100) and when stopped. */
  readonly checkpointEvery?: number;
  /** Stop after this many evaluations without a better validation loss (default 0 = never). */
  readonly earlyStopPatience?: number;
  /** Seed of the init, dropout masks and batch order (default 1337). */
  readonly seed?: number;
  /** Dropout probability (default: the preset's, 0 for GPT presets). */
  readonly dropout?: number;
  /** Continue from `outDir/checkpoint` (default true when it exists). */
  readonly resume?: boolean;
}

/** Options with every default filled in. */
export type ResolvedTrainOptions = Required<Omit<TrainOptions, 'model' | 'dropout' | 'seqLen'>> & {
  readonly model: ModelSource;
  readonly dropout: number | null;
  readonly seqLen: number | null;
};

/**
 * Checks every option once, before anything is loaded, and fills in defaults. Each option is checked by the
 * training schema of the pipeline's contract (src/shared/contract/pipeline.ts, the one `POST /api/runs` is
 * validated with); here remain the defaults and the checks that relate options to each other's values or
 * defaults. A bad value is a QD_INVALID_REQUEST whose `param` names the option (`model.preset` for a preset).
 */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const p = parseInput(trainOptionsSchema, o, 'options');
  const steps = p.steps ?? 1000;
  const lr = p.lr ?? 1e-3;
  const minLr = p.minLr ?? lr / 10;
  if (minLr > lr) throw new QudaoError('QD_INVALID_REQUEST', `minLr must be at most lr (${lr}), got ${minLr}`, { param: 'minLr' });
  const warmupSteps = p.warmupSteps ?? Math.min(100, Math.floor(steps / 10));
  if (warmupSteps > steps) throw new QudaoError('QD_INVALID_REQUEST', `warmupSteps must be at most steps (${steps}), got ${warmupSteps}`, { param: 'warmupSteps' });
  const model: ModelSource = p.model ?? { preset: 'tiny' };
  return {
    dataDir: p.dataDir,
    outDir: p.outDir,
    model,
    batchSize: p.batchSize ?? 8,
    seqLen: p.seqLen ?? null,
    gradAccum: p.gradAccum ?? 1,
    steps,
    lr,
    minLr,
    warmupSteps,
    weightDecay: p.weightDecay ?? 0.1,
    beta1: p.beta1 ?? 0.9,
    beta2: p.beta2 ?? 0.95,
    clipNorm: p.clipNorm ?? 1,
    evalEvery: p.evalEvery ?? 100,
    evalBatches: p.evalBatches ?? 20,
    checkpointEvery: p.checkpointEvery ?? 100,
    earlyStopPatience: p.earlyStopPatience ?? 0,
    seed: p.seed ?? 1337,
    dropout: p.dropout ?? null,
    resume: p.resume ?? true,
  };
}
