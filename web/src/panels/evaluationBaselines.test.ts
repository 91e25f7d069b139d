import { describe, expect, it } from 'vitest';
import type { EvaluationView } from '../../../src/shared/contract/pipeline.js';
import { en, type MessageKey } from '../i18n/en.js';
import { zh } from '../i18n/zh.js';
import { baselineLines } from './evaluationBaselines.js';

/** The provider's translator (web/src/i18n/I18nProvider.tsx) over one dictionary, without React. */
const i18nOf = (dictionary: Record<MessageKey, string>, locale: string) => ({
  t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => dictionary[key].replace(/\{(\w+)\}/g, (m, name: string) => (vars && name in vars ? String(vars[name]) : m)),
  formatNumber: (value: number, digits = 0) => value.toLocaleString(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 }),
});

const versus = (accuracyDifference: number, b: number, c: number, pValue: number, exact: boolean, bootstrap95: [number, number]) => ({ accuracyDifference, modelOnlyCorrect: b, baselineOnlyCorrect: c, mcnemar: { statistic: 0, pValue, exact }, bootstrap95, significant: pValue < 0.05 });
const scores = { macro: { precision: 0, recall: 0, f1: 0 }, perClass: [], confusion: [], examples: 1086 };
const classifier: EvaluationView = {
  task: 'classify',
  split: 'val',
  loss: 0.1,
  accuracy: 0.9641,
  examples: 1086,
  seqLen: 128,
  truncatedExamples: 1017,
  baselines: [
    { name: 'naive-bayes', accuracy: 0.9659, ...scores, versusModel: versus(-0.0018, 7, 9, 0.8036, true, [-0.0092, 0.0055]) },
    { name: 'logistic-regression', accuracy: 0.9411, ...scores, versusModel: versus(0.023, 40, 15, 0.0012, false, [0.011, 0.035]) },
  ],
};

describe('an evaluation’s baselines on the Models page', () => {
  it('say in English what each baseline scored, the difference with its interval, which McNemar test and the verdict', () => {
    expect(baselineLines(classifier, i18nOf(en, 'en-US'))).toEqual([
      'The model read at most 128 tokens per example (1,017 of 1,086 were longer); the baselines read every token.',
      'Naive Bayes: accuracy 96.59%; model −0.18 points (95% bootstrap −0.92 to +0.55); McNemar exact binomial p = 0.8036: not significant',
      'Logistic regression: accuracy 94.11%; model +2.3 points (95% bootstrap +1.1 to +3.5); McNemar χ² with continuity correction p = 0.0012: model significantly better',
    ]);
  });

  it('say the same in 简体中文', () => {
    const lines = baselineLines(classifier, i18nOf(zh, 'zh-CN'));
    expect(lines[1]).toBe('朴素贝叶斯：准确率 96.59%；模型相差 −0.18 个百分点（95% 自助法区间 −0.92 至 +0.55）；McNemar 精确二项检验 p = 0.8036：差异不显著');
    expect(lines[2]).toContain('逻辑回归：准确率 94.11%');
    expect(lines[2]).toContain('模型显著更好');
  });

  it('set a language model’s n-gram perplexity beside the model’s, and show nothing for an evaluation recorded without baselines', () => {
    const lm: EvaluationView = { task: 'lm', split: 'val', loss: 4.8, perplexity: 121.51, tokens: 154112, baseline: { name: 'ngram', order: 3, smoothing: 'interpolated Kneser-Ney', loss: 4.75, perplexity: 116.35, tokens: 154112 } };
    expect(baselineLines(lm, i18nOf(en, 'en-US'))).toEqual(['3-gram (Kneser-Ney): perplexity 116.35 on the same 154,112 tokens (model: 121.51)']);
    expect(baselineLines(lm, i18nOf(zh, 'zh-CN'))).toEqual(['3 元语法（Kneser-Ney）：在相同的 154,112 个 token 上困惑度 116.35（模型：121.51）']);
    expect(baselineLines({ task: 'lm', split: 'val', loss: 4.8, perplexity: 121.5 }, i18nOf(en, 'en-US'))).toEqual([]);
  });
});
