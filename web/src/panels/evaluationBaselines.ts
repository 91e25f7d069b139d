import type { ClassifierBaselineView, EvaluationView } from '../../../src/shared/contract/pipeline.js';
import type { I18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';

const names: Record<ClassifierBaselineView['name'], MessageKey> = { 'naive-bayes': 'models.baseline.naiveBayes', 'logistic-regression': 'models.baseline.logisticRegression' };

/**
 * An evaluation's baselines as lines in the page's language: for a classifier, each baseline's accuracy,
 * the model's difference to it in points with the bootstrap interval, McNemar's p (which form of the test)
 * and the verdict; for a language model, the n-gram's perplexity on the same tokens beside the model's.
 * Empty for an evaluation recorded before evaluations carried baselines.
 */
export function baselineLines(evaluation: EvaluationView, i18n: Pick<I18n, 't' | 'formatNumber'>): string[] {
  const { t, formatNumber } = i18n;
  const points = (v: number) => `${v >= 0 ? '+' : '−'}${formatNumber(Math.abs(v * 100), 2)}`;
  const percent = (v: number) => `${formatNumber(v * 100, 2)}%`;
  const lines: string[] = [];
  const seqLen = evaluation.seqLen;
  const truncated = evaluation.truncatedExamples;
  if (evaluation.baselines?.length && typeof seqLen === 'number' && typeof truncated === 'number') {
    lines.push(t('models.baseline.truncated', { seqLen: formatNumber(seqLen), truncated: formatNumber(truncated), examples: formatNumber(evaluation.examples ?? 0) }));
  }
  for (const b of evaluation.baselines ?? []) {
    const v = b.versusModel;
    const verdict: MessageKey = !v.significant ? 'models.baseline.notSignificant' : v.accuracyDifference > 0 ? 'models.baseline.better' : 'models.baseline.worse';
    lines.push(
      t('models.baseline.classifier', {
        name: t(names[b.name]),
        accuracy: percent(b.accuracy),
        difference: points(v.accuracyDifference),
        low: points(v.bootstrap95[0]),
        high: points(v.bootstrap95[1]),
        test: t(v.mcnemar.exact ? 'models.baseline.exact' : 'models.baseline.chi2'),
        p: v.mcnemar.pValue < 1e-4 ? 'p < 0.0001' : `p = ${formatNumber(v.mcnemar.pValue, 4)}`,
        verdict: t(verdict),
      }),
    );
  }
  const lm = evaluation.baseline;
  if (lm && typeof evaluation.perplexity === 'number') {
    lines.push(t('models.baseline.lm', { name: t('models.baseline.ngram', { order: lm.order }), baseline: formatNumber(lm.perplexity, 2), tokens: formatNumber(lm.tokens), model: formatNumber(evaluation.perplexity, 2) }));
  }
  return lines;
}
