import type { ClassifierBaseline } from './baselines/index.js';
import type { Comparison } from './compare.js';
import type { ClassifierEvaluation, Evaluation, LmEvaluation } from './evaluate.js';

/** A classifier evaluation without its per-example predictions. */
export type RecordedClassifierEvaluation = Omit<ClassifierEvaluation, 'predictions' | 'baselines'> & { readonly baselines: ReadonlyArray<Omit<ClassifierBaseline, 'predictions'>> };
/** An evaluation as a run's row records it. */
export type RecordedEvaluation = LmEvaluation | RecordedClassifierEvaluation;

/**
 * An evaluation as a run's row records it: without the per-example predictions (the model's and each
 * baseline's), which grow with the split, while everything the API and the dashboard show — accuracy,
 * confusion matrices, McNemar's counts, the bootstrap interval — is already computed from them. The row
 * stays small however large the split, as a training run's thinned curve does.
 */
export function evaluationForRunRow(e: Evaluation): RecordedEvaluation {
  if (e.task === 'lm') return e;
  const { predictions: _predictions, baselines, ...rest } = e;
  return { ...rest, baselines: baselines.map(({ predictions: _p, ...b }) => b) };
}

/** {@link evaluationForRunRow} on both sides of a comparison. */
export function comparisonForRunRow(c: Comparison): Omit<Comparison, 'a' | 'b'> & { readonly a: RecordedEvaluation; readonly b: RecordedEvaluation } {
  return { ...c, a: evaluationForRunRow(c.a), b: evaluationForRunRow(c.b) };
}
