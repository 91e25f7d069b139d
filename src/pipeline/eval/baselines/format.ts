import type { LmEvaluation } from '../evaluate.js';
import type { RecordedClassifierEvaluation } from '../run-row.js';
import { formatConfusion } from '../metrics.js';
import { MAX_CHUNKS } from '../../../models/index.js';
import type { ClassifierBaseline } from './classifier.js';

/**
 * The baselines as text lines (the CLI prints them, and so can a script such as `npm run finetune:spam`):
 * what each baseline is, its score, the model's difference to it and whether that difference is significant.
 */

const percent = (v: number) => `${(v * 100).toFixed(2)}%`;
const points = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;

/** The n-gram baseline beside the model's perplexity, on the same tokens. */
export function lmBaselineLines(e: LmEvaluation): string[] {
  const b = e.baseline;
  const ratio = e.perplexity / b.perplexity;
  return [
    `baseline ${b.order}-gram (${b.smoothing}), counted on the ${b.trainTokens.toLocaleString('en-US')} train tokens: loss ${b.loss.toFixed(4)}, perplexity ${b.perplexity.toFixed(2)} over the same ${b.tokens.toLocaleString('en-US')} tokens (${b.seconds.toFixed(1)} s)`,
    `model vs ${b.order}-gram: perplexity ${e.perplexity.toFixed(2)} vs ${b.perplexity.toFixed(2)} — the model is ${ratio <= 1 ? `${((1 - ratio) * 100).toFixed(1)}% lower (better)` : `${((ratio - 1) * 100).toFixed(1)}% higher (worse)`}`,
  ];
}

/** Naive Bayes and logistic regression beside the model: accuracy, the difference, McNemar and the bootstrap interval. */
export function classifierBaselineLines(c: RecordedClassifierEvaluation): string[] {
  const longer = `${c.truncatedExamples} of ${c.examples} examples were longer`;
  const read = {
    head: `the model read at most ${c.seqLen} (${longer})`,
    'head+tail': `the model read at most ${c.seqLen} (${longer}; of those it read the first ${Math.ceil(c.seqLen / 2)} and the last ${Math.floor(c.seqLen / 2)} tokens)`,
    'chunk-and-pool': `the model read windows of ${c.seqLen}, at most ${MAX_CHUNKS} per example, pooled (${longer} than one window)`,
  }[c.truncation ?? 'head'];
  const lines = [`baselines read every token of every example; ${read}`];
  for (const b of c.baselines) lines.push(...baselineLines(b, c.labels));
  return lines;
}

function baselineLines(b: Omit<ClassifierBaseline, 'predictions'>, labels: readonly string[]): string[] {
  const v = b.versusModel;
  const test = v.mcnemar.exact ? `McNemar exact binomial (b + c = ${v.modelOnlyCorrect + v.baselineOnlyCorrect} < 25): k = ${v.mcnemar.statistic}` : `McNemar χ² with continuity correction: ${v.mcnemar.statistic.toFixed(3)}`;
  return [
    `baseline ${b.name}: accuracy ${percent(b.accuracy)}, macro F1 ${b.macro.f1.toFixed(4)} — ${b.method}; trained on ${b.trainExamples} examples, ${b.features.toLocaleString('en-US')} token ids (${b.seconds.toFixed(1)} s)`,
    `  model − ${b.name}: ${points(v.accuracyDifference)} points (95% paired bootstrap ${points(v.bootstrap95[0])} to ${points(v.bootstrap95[1])}); only the model right on ${v.modelOnlyCorrect}, only ${b.name} on ${v.baselineOnlyCorrect}; ${test}, ${formatP(v.mcnemar.pValue)} → ${v.significant ? (v.accuracyDifference > 0 ? 'model significantly better' : 'model significantly worse') : 'not significant at 0.05'}`,
    ...formatConfusion(b.confusion, labels).map((line) => `  ${line}`),
  ];
}

/** `p = 0.123` (three significant digits), or `p < 0.0001`. */
function formatP(p: number): string {
  return p < 1e-4 ? 'p < 0.0001' : `p = ${p.toPrecision(3)}`;
}
