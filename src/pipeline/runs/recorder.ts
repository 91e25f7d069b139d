import type { LoopState, CurvePoint, TrainHooks } from '../train/index.js';
import { RunStore, type RunKind, type RunRow } from './run-store.js';
import { runStep, thinCurve, type StepOutcome } from './steps.js';

/** How often a running run's row is rewritten with the latest curve (ms), besides evaluation steps. */
const FLUSH_EVERY_MS = 5_000;

/**
 * Runs a step and records it in `runs` as it goes: `running` with the live curve (on every evaluation and at
 * most every few seconds), then `completed`, `stopped` (resumable) or `failed` with the error line.
 */
export async function recordedStep(runs: RunStore, kind: RunKind, params: Record<string, unknown>, hooks: TrainHooks = {}, existing?: RunRow): Promise<{ run: RunRow; outcome: StepOutcome }> {
  const run = existing ?? (await runs.create(kind, params));
  await runs.update(run.id, { status: 'running', startedAt: new Date(), finishedAt: null, error: null });
  const live = liveCurveWriter(runs, run.id);
  try {
    const outcome = await runStep(kind, params, { ...hooks, onPoint: async (p, s) => {
      await hooks.onPoint?.(p, s);
      await live(p, s);
    } });
    const done = await runs.update(run.id, { status: outcome.status, resumable: outcome.resumable, metrics: outcome.metrics, artifacts: outcome.artifacts, finishedAt: new Date() });
    return { run: done, outcome };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    await runs.update(run.id, { status: 'failed', error: `${typeof code === 'string' ? `${code}: ` : ''}${(err as Error).message}`, finishedAt: new Date() });
    throw err;
  }
}

/** Writes the curve so far when a point has a validation loss, or when the last write is old enough. */
export function liveCurveWriter(runs: RunStore, id: string): (point: CurvePoint, state: LoopState) => Promise<void> {
  let last = 0;
  return async (point, state) => {
    const now = Date.now();
    if (point.valLoss === undefined && now - last < FLUSH_EVERY_MS) return;
    last = now;
    await runs.update(id, { metrics: { step: state.step, loss: point.loss, bestValLoss: state.bestValLoss, tokensPerSec: point.tokensPerSec, curve: thinCurve(state.curve) } });
  };
}
