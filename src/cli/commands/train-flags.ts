import { basename, join, resolve } from 'node:path';
import type { ValidationScope } from '../../pipeline/train/index.js';
import { UsageError, type FlagSpec, type FlagValues } from '../command.js';
import { definedOnly, numberFlag } from './pipeline-run.js';

/** Hyper-parameter flags shared by `qudao train` and `qudao finetune`, onto `TrainOptions`. */
export const trainingFlags: Record<string, FlagSpec> = {
  data: { type: 'string', doc: 'Folder written by npx qudao data prepare.', placeholder: 'DIR' },
  out: { type: 'string', short: 'o', doc: 'Run folder: checkpoint/ (resumable), best/, run.json (default <data-dir>/runs/<name of --data>).', placeholder: 'DIR' },
  steps: { type: 'string', doc: 'Optimiser steps (default 1000).', placeholder: 'N' },
  'batch-size': { type: 'string', doc: 'Sequences per micro-batch (default 8).', placeholder: 'N' },
  'seq-len': { type: 'string', doc: 'Tokens per sequence (default: the context, at most 256).', placeholder: 'N' },
  'grad-accum': { type: 'string', doc: 'Micro-batches per optimiser step (default 1).', placeholder: 'N' },
  lr: { type: 'string', doc: 'Peak learning rate (default 1e-3).', placeholder: 'X' },
  'min-lr': { type: 'string', doc: 'Floor of the cosine decay (default lr/10).', placeholder: 'X' },
  warmup: { type: 'string', doc: 'Linear warm-up steps (default min(100, steps/10)).', placeholder: 'N' },
  'weight-decay': { type: 'string', doc: 'AdamW weight decay (default 0.1).', placeholder: 'X' },
  clip: { type: 'string', doc: 'Gradient-norm clip (default 1; 0 = off).', placeholder: 'X' },
  'eval-every': { type: 'string', doc: 'Validate every N steps (default 100).', placeholder: 'N' },
  'eval-batches': { type: 'string', doc: 'Validation batches per evaluation (default 20).', placeholder: 'N' },
  'checkpoint-every': { type: 'string', doc: 'Checkpoint every N steps (default 100).', placeholder: 'N' },
  'early-stop': { type: 'string', doc: 'Stop after N evaluations without improvement (default off).', placeholder: 'N' },
  seed: { type: 'string', doc: 'Seed of init, dropout and batch order (default 1337).', placeholder: 'N' },
  'no-resume': { type: 'boolean', doc: 'Start over even if the run folder holds a checkpoint.' },
};

/** Flags of `qudao finetune --task classify` only: pooling, long documents, class weights. */
export const classifyFlags: Record<string, FlagSpec> = {
  pooling: { type: 'string', doc: 'Classifier: last (default) = the last token\'s state; mean = the mean over non-pad tokens.', placeholder: 'last|mean' },
  truncation: { type: 'string', doc: 'Classifier, documents longer than --seq-len: head (default), head+tail, or chunk-and-pool (up to 8 rows per document: use a small --batch-size with --grad-accum).', placeholder: 'MODE' },
  'class-weights': { type: 'string', doc: 'Classifier loss weights: balanced (n / (k x count of the class)) or one number per label, comma-separated.', placeholder: 'W' },
};

/** The classification options from {@link classifyFlags} (absent flags left out); a bad value is one line to fix. */
export function classifyOptions(flags: FlagValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pick = (name: string, allowed: readonly string[]): string | undefined => {
    const v = flags[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !allowed.includes(v)) throw new UsageError(`--${name} must be ${allowed.join(', ')}; got "${String(v)}"`);
    return v;
  };
  const pooling = pick('pooling', ['last', 'mean']);
  if (pooling) out.pooling = pooling;
  const truncation = pick('truncation', ['head', 'head+tail', 'chunk-and-pool']);
  if (truncation) out.truncation = truncation;
  const weights = flags['class-weights'];
  if (typeof weights === 'string') {
    if (weights === 'balanced') out.classWeights = 'balanced';
    else {
      const list = weights.split(',').map((w) => Number(w.trim()));
      if (list.length < 2 || list.some((w) => !Number.isFinite(w) || w < 0)) {
        throw new UsageError(`--class-weights wants balanced or one non-negative number per label, comma-separated (e.g. 1,3); got "${weights}"`);
      }
      out.classWeights = list;
    }
  }
  return out;
}

/**
 * The run folder when `--out` is not given: `<runsDir>/<name of the data folder><suffix>`, inside the data
 * folder (never the checkout, where a `runs/` would sit untracked). The same command picks the same folder,
 * so it resumes.
 */
export function defaultRunFolder(runsDir: string, data: string, suffix = ''): string {
  return join(runsDir, `${basename(resolve(data))}${suffix}`);
}

/**
 * The options common to every training command, from its flags; `defaultOut` names the run folder when
 * `--out` is absent (see {@link defaultRunFolder}).
 */
export function trainingOptions(flags: FlagValues, defaultOut: (data: string) => string): Record<string, unknown> {
  const data = flags.data;
  if (typeof data !== 'string') throw new UsageError('--data is required: a folder written by npx qudao data prepare');
  const out = typeof flags.out === 'string' ? flags.out : defaultOut(data);
  return definedOnly({
    dataDir: data,
    outDir: out,
    steps: numberFlag(flags, 'steps'),
    batchSize: numberFlag(flags, 'batch-size'),
    seqLen: numberFlag(flags, 'seq-len'),
    gradAccum: numberFlag(flags, 'grad-accum'),
    lr: numberFlag(flags, 'lr'),
    minLr: numberFlag(flags, 'min-lr'),
    warmupSteps: numberFlag(flags, 'warmup'),
    weightDecay: numberFlag(flags, 'weight-decay'),
    clipNorm: numberFlag(flags, 'clip'),
    evalEvery: numberFlag(flags, 'eval-every'),
    evalBatches: numberFlag(flags, 'eval-batches'),
    checkpointEvery: numberFlag(flags, 'checkpoint-every'),
    earlyStopPatience: numberFlag(flags, 'early-stop'),
    seed: numberFlag(flags, 'seed'),
    resume: flags['no-resume'] === true ? false : undefined,
  });
}

/** `--set key=value` config overrides (numbers), e.g. `--set nLayer=2 --set dModel=64`. */
export function configOverrides(flags: FlagValues): Record<string, number> {
  const raw = flags.set;
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  const out: Record<string, number> = {};
  for (const item of items) {
    const m = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(item);
    const n = m ? Number(m[2]) : Number.NaN;
    if (!m || !Number.isFinite(n)) throw new UsageError(`--set wants key=number (e.g. nLayer=2), got "${item}"`);
    out[m[1]!] = n;
  }
  return out;
}

/** Prints the end of a training run: outcome, steps, best validation loss (and what it covers) and where the model is. */
export function trainingReport(out: (line: string) => void, metrics: Record<string, unknown>): void {
  const m = metrics as { outcome?: string; steps?: number; plannedSteps?: number; bestValLoss?: number | null; bestValPerplexity?: number | null; bestStep?: number | null; modelDir?: string; tokensPerSec?: number; validation?: ValidationScope };
  out(`${m.outcome ?? 'done'} after ${m.steps ?? '?'} of ${m.plannedSteps ?? '?'} steps (${m.tokensPerSec ?? 0} tokens/s)`);
  if (m.bestValLoss !== null && m.bestValLoss !== undefined) {
    out(`best validation loss ${m.bestValLoss.toFixed(4)}${m.bestValPerplexity ? ` (perplexity ${m.bestValPerplexity.toFixed(2)})` : ''} at step ${m.bestStep}${m.validation ? `, ${validationScopeText(m.validation)}` : ''}`);
  }
  if (m.modelDir) out(`model: ${m.modelDir}`);
}

/**
 * Says what a run's validation loss is the mean over, and how `qudao eval` scores the same windows: eval
 * scores the whole split by default, a different (usually larger) set than a run's validation.
 */
export function validationScopeText(v: ValidationScope): string {
  const n = (x: number) => x.toLocaleString('en-US');
  if (v.scored >= v.total) return `over all ${n(v.total)} validation ${v.unit}`;
  const same = v.unit === 'tokens' ? ` --seq-len ${v.seqLen} --batch-size ${v.batchSize} --max-batches ${v.batches}` : ` --batch-size ${v.batchSize} --max-batches ${v.batches}`;
  return `over the first ${n(v.scored)} of ${n(v.total)} validation ${v.unit} (qudao eval scores all of them; add${same} to score these)`;
}
