import { learningRate, type Engine, type LrSchedule, type Optimizer, type Tensor } from '../../engine/index.js';
import { gradientStep } from '../../models/index.js';
import type { Progress } from '../progress.js';

/** One point of a run's curve: the training loss of a step, and the validation figures when it evaluated. */
export interface CurvePoint {
  /** Steps completed (1-based). */
  readonly step: number;
  /** Mean training loss over the step's micro-batches (nats per token or per example). */
  readonly loss: number;
  readonly lr: number;
  readonly gradNorm: number;
  readonly tokensPerSec: number;
  /** Present on evaluation steps. */
  valLoss?: number;
  /** Extra validation figures on evaluation steps (e.g. accuracy). */
  val?: Record<string, number>;
}

/** What the loop carries across a stop and resume (saved in the checkpoint's `extra`). */
export interface LoopState {
  step: number;
  curve: CurvePoint[];
  bestValLoss: number | null;
  bestStep: number | null;
  /** Evaluations in a row without a better validation loss. */
  badEvals: number;
}

/** The model-specific part of training: how to get a micro-batch's loss and how to validate. */
export interface TrainingTask {
  /** Forward pass of micro-batch `micro` of step `step` (0-based); the arena is fresh. */
  lossOf(step: number, micro: number): { loss: Tensor; tokens: number };
  /** Scores the validation split (gradients off, eval mode set by the loop). */
  validate(): { loss: number; metrics?: Record<string, number> };
}

/** Why the loop ended. */
export type LoopOutcome = 'completed' | 'stopped' | 'early-stopped';

/** Everything the loop needs; the caller builds the model, optimiser and task. */
export interface LoopConfig {
  readonly engine: Engine;
  readonly model: { train(on?: boolean): unknown };
  readonly optimizer: Optimizer;
  readonly trainable: readonly Tensor[];
  readonly task: TrainingTask;
  readonly schedule: LrSchedule;
  readonly steps: number;
  readonly gradAccum: number;
  readonly clipNorm: number;
  readonly evalEvery: number;
  readonly checkpointEvery: number;
  readonly earlyStopPatience: number;
  /** Writes the resumable checkpoint (`latest`) or the best-so-far model (`best`). */
  save(kind: 'latest' | 'best', state: LoopState): Promise<void>;
  readonly state: LoopState;
  readonly progress: Progress;
  /** Aborting stops the loop after the current step; a checkpoint is written before it returns. */
  readonly signal?: AbortSignal;
  onPoint?(point: CurvePoint, state: LoopState): void | Promise<void>;
}

/**
 * The training loop (nanoGPT's, step by step): for each step, warm-up + cosine learning rate; the gradients of
 * `gradAccum` micro-batches summed (each loss scaled by 1/gradAccum, so the sum is the mean); global-norm
 * clipping; one AdamW update (that step is the models' gradientStep). Every `evalEvery` steps it validates, keeps the best model and counts
 * evaluations without improvement for early stopping; every `checkpointEvery` steps, and whenever it stops,
 * it writes the resumable checkpoint atomically. The loop yields to the event loop after each step so a
 * signal handler can abort it.
 */
export async function runTrainingLoop(c: LoopConfig): Promise<{ outcome: LoopOutcome; state: LoopState }> {
  const state = c.state;
  let outcome: LoopOutcome = 'completed';
  c.progress.start(c.steps - state.step, state.step > 0 ? `train (steps ${state.step + 1}-${c.steps})` : 'train (steps)');
  while (state.step < c.steps) {
    if (c.signal?.aborted) {
      outcome = 'stopped';
      break;
    }
    const point = trainOneStep(c, state.step);
    state.step++;
    state.curve.push(point);
    if (state.step % c.evalEvery === 0 || state.step === c.steps) {
      const improved = evaluate(c, state, point);
      if (improved) await c.save('best', state);
    }
    await c.onPoint?.(point, state);
    c.progress.tick(1, progressFields(point, state));
    if (c.earlyStopPatience > 0 && state.badEvals >= c.earlyStopPatience) {
      outcome = 'early-stopped';
      break;
    }
    if (state.step % c.checkpointEvery === 0 && state.step < c.steps) await c.save('latest', state);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await c.save('latest', state);
  c.progress.done();
  return { outcome, state };
}

function trainOneStep(c: LoopConfig, step: number): CurvePoint {
  const started = performance.now();
  const lr = learningRate(c.schedule, step);
  c.model.train(true);
  let tokens = 0;
  const { loss, gradNorm } = gradientStep({
    engine: c.engine,
    optimizer: c.optimizer,
    trainable: c.trainable,
    microBatches: c.gradAccum,
    lossOf: (micro) => {
      const { loss, tokens: n } = c.task.lossOf(step, micro);
      tokens += n;
      return loss;
    },
    lr,
    clipNorm: c.clipNorm > 0 ? c.clipNorm : Infinity,
  });
  const secs = (performance.now() - started) / 1000;
  return { step: step + 1, loss, lr, gradNorm, tokensPerSec: secs > 0 ? Math.round(tokens / secs) : 0 };
}

/** Validates, records the figures on `point`, and tracks the best loss; true when it improved. */
function evaluate(c: LoopConfig, state: LoopState, point: CurvePoint): boolean {
  c.model.train(false);
  const val = c.engine.noGrad(() => c.task.validate());
  c.engine.resetArena();
  point.valLoss = val.loss;
  if (val.metrics) point.val = val.metrics;
  if (state.bestValLoss === null || val.loss < state.bestValLoss) {
    state.bestValLoss = val.loss;
    state.bestStep = point.step;
    state.badEvals = 0;
    return true;
  }
  state.badEvals++;
  return false;
}

function progressFields(point: CurvePoint, state: LoopState): Record<string, string | number> {
  const fields: Record<string, string | number> = { loss: Number(point.loss.toFixed(4)), 'tok/s': point.tokensPerSec };
  if (state.bestValLoss !== null) fields.val = Number(state.bestValLoss.toFixed(4));
  return fields;
}

/** A fresh loop state. */
export function initialLoopState(): LoopState {
  return { step: 0, curve: [], bestValLoss: null, bestStep: null, badEvals: 0 };
}
