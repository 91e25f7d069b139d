import { QudaoError } from '../../errors/index.js';
import { PRESETS, type PresetName } from '../../models/index.js';

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
 * Checks every option once, before anything is loaded, and fills in defaults. A bad value is a
 * QD_INVALID_REQUEST whose `param` names the option.
 */
export function resolveTrainOptions(o: TrainOptions): ResolvedTrainOptions {
  const int = (name: keyof TrainOptions, v: number | undefined, def: number, lo: number, hi = 1e9): number => check(name, v ?? def, lo, hi, true);
  const num = (name: keyof TrainOptions, v: number | undefined, def: number, lo: number, hi: number): number => check(name, v ?? def, lo, hi, false);
  if (!o.dataDir) throw new QudaoError('QD_INVALID_REQUEST', 'no data folder given; pass --data DIR (written by npx qudao data prepare)', { param: 'dataDir' });
  if (!o.outDir) throw new QudaoError('QD_INVALID_REQUEST', 'no run folder given; pass --out DIR', { param: 'outDir' });
  const model = o.model ?? { preset: 'tiny' };
  if ('preset' in model && !Object.hasOwn(PRESETS, model.preset)) {
    throw new QudaoError('QD_INVALID_REQUEST', `unknown preset "${model.preset}"; known: ${Object.keys(PRESETS).join(', ')}`, { param: 'preset' });
  }
  const steps = int('steps', o.steps, 1000, 1);
  const lr = num('lr', o.lr, 1e-3, 1e-8, 1);
  return {
    dataDir: o.dataDir,
    outDir: o.outDir,
    model,
    batchSize: int('batchSize', o.batchSize, 8, 1, 4096),
    seqLen: o.seqLen === undefined ? null : int('seqLen', o.seqLen, 0, 2, 1 << 16),
    gradAccum: int('gradAccum', o.gradAccum, 1, 1, 1024),
    steps,
    lr,
    minLr: num('minLr', o.minLr, lr / 10, 0, lr),
    warmupSteps: int('warmupSteps', o.warmupSteps, Math.min(100, Math.floor(steps / 10)), 0, steps),
    weightDecay: num('weightDecay', o.weightDecay, 0.1, 0, 10),
    beta1: num('beta1', o.beta1, 0.9, 0, 0.999999),
    beta2: num('beta2', o.beta2, 0.95, 0, 0.999999),
    clipNorm: num('clipNorm', o.clipNorm, 1, 0, 1e6),
    evalEvery: int('evalEvery', o.evalEvery, 100, 1),
    evalBatches: int('evalBatches', o.evalBatches, 20, 1, 1e6),
    checkpointEvery: int('checkpointEvery', o.checkpointEvery, 100, 1),
    earlyStopPatience: int('earlyStopPatience', o.earlyStopPatience, 0, 0),
    seed: int('seed', o.seed, 1337, 0, 2 ** 32 - 1),
    dropout: o.dropout === undefined ? null : num('dropout', o.dropout, 0, 0, 0.95),
    resume: o.resume ?? true,
  };
}

function check(name: string, v: number, lo: number, hi: number, integer: boolean): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))) {
    throw new QudaoError('QD_INVALID_REQUEST', `${name} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got ${String(v)}`, { param: name });
  }
  return v;
}
