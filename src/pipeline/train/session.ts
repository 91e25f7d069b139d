import { AdamW, createEngine, Rng, saveCheckpoint, type Checkpoint, type Engine, type LrSchedule } from '../../engine/index.js';
import type { Progress } from '../progress.js';
import { silentProgress } from '../progress.js';
import type { CurvePoint, LoopConfig, LoopState } from './loop.js';
import type { ResolvedTrainOptions } from './options.js';

/** What a caller can hook into a training run. */
export interface TrainHooks {
  /** Progress bar (default: silent). */
  readonly progress?: Progress;
  /** Abort to stop after the current step; a resumable checkpoint is written first. */
  readonly signal?: AbortSignal;
  /** Called after every step with its curve point (evaluation steps carry `valLoss`). */
  onPoint?(point: CurvePoint, state: LoopState): void | Promise<void>;
  /** Reuse an engine (tests); otherwise one is created with `threads` workers and disposed at the end. */
  readonly engine?: Engine;
  /** Worker threads of a created engine (default 2). */
  readonly threads?: number;
}

/** Runs `fn` with the hook's engine or a fresh one that is disposed afterwards. */
export async function withEngine<T>(hooks: TrainHooks, fn: (engine: Engine) => Promise<T>): Promise<T> {
  if (hooks.engine) return fn(hooks.engine);
  const engine = await createEngine({ threads: hooks.threads ?? 2 });
  try {
    return await fn(engine);
  } finally {
    await engine.dispose();
  }
}

/** The hooks' progress reporter or a silent one. */
export function progressOf(hooks: TrainHooks): Progress {
  return hooks.progress ?? silentProgress();
}

/**
 * The loop's settings every training run takes the same way from its options and hooks: schedule, length,
 * clipping, evaluation and checkpoint cadence, early stop, progress, the stop signal and the point callback.
 */
export function loopSettingsOf(o: ResolvedTrainOptions, hooks: TrainHooks): Pick<LoopConfig, 'schedule' | 'steps' | 'gradAccum' | 'clipNorm' | 'evalEvery' | 'checkpointEvery' | 'earlyStopPatience' | 'progress' | 'signal' | 'onPoint'> {
  return {
    schedule: scheduleOf(o), steps: o.steps, gradAccum: o.gradAccum, clipNorm: o.clipNorm,
    evalEvery: o.evalEvery, checkpointEvery: o.checkpointEvery, earlyStopPatience: o.earlyStopPatience,
    progress: progressOf(hooks), ...(hooks.signal ? { signal: hooks.signal } : {}),
    onPoint: (p, s) => hooks.onPoint?.(p, s),
  };
}

/** Warm-up + cosine decay as the options describe it. */
export function scheduleOf(o: ResolvedTrainOptions): LrSchedule {
  return { kind: 'warmup-cosine', maxLr: o.lr, minLr: o.minLr, warmupSteps: o.warmupSteps, totalSteps: o.steps };
}

/** AdamW over the trainable parameters, nanoGPT's settings by default. */
export function optimizerOf(engine: Engine, params: Parameters<typeof createAdamW>[1], o: ResolvedTrainOptions): AdamW {
  return createAdamW(engine, params, o);
}

function createAdamW(engine: Engine, params: ConstructorParameters<typeof AdamW>[1], o: ResolvedTrainOptions): AdamW {
  return new AdamW(engine, params, { beta1: o.beta1, beta2: o.beta2, weightDecay: o.weightDecay, eps: 1e-8 });
}

/** The loop state saved in a checkpoint's `extra`, or a fresh one. */
export function loopStateFrom(ckpt: Checkpoint | null): LoopState {
  const saved = ckpt?.training?.extra?.loop as LoopState | undefined;
  if (!saved || ckpt?.training === undefined) return { step: 0, curve: [], bestValLoss: null, bestStep: null, badEvals: 0 };
  return { ...saved, step: ckpt.training.step, curve: [...saved.curve] };
}

/** The data-order RNG of a run, seeded apart from the model's init and dropout stream. */
export function dataRng(seed: number): Rng {
  return new Rng((seed ^ 0x5eed) >>> 0);
}

/** Saves a checkpoint crash-safely (the engine's writer: temp folder, fsync, manifest last, rename; see engine/checkpoint/folder.ts). */
export async function writeCheckpoint(dir: string, ckpt: Checkpoint): Promise<void> {
  await saveCheckpoint(dir, ckpt);
}
