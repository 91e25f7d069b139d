import { describe, expect, it } from 'vitest';
import { argmax, classificationReport, confusionMatrix, formatConfusion, perplexity, weightedMeanLoss } from './metrics.js';

describe('language-model metrics', () => {
  it('perplexity is exp of the mean loss: uniform over 50 ids gives 50', () => {
    expect(perplexity(Math.log(50))).toBeCloseTo(50, 10);
    expect(perplexity(0)).toBe(1);
  });

  it('weights batch losses by their token counts', () => {
    // (2.0·300 + 4.0·100) / 400 = 2.5, not the plain mean 3.0
    expect(weightedMeanLoss([{ loss: 2, tokens: 300 }, { loss: 4, tokens: 100 }])).toBe(2.5);
    expect(() => weightedMeanLoss([])).toThrow(/no tokens/);
  });
});

describe('classification metrics against a hand computation', () => {
  // truth:     0 0 0 0 1 1 1 2 2 2
  // predicted: 0 0 1 2 1 1 0 2 2 1
  const truth = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
  const predicted = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
  const confusion = confusionMatrix(truth, predicted, 3);

  it('counts the confusion matrix as [true][predicted]', () => {
    expect(confusion).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
  });

  it('gives accuracy, per-class precision/recall/F1 and macro means', () => {
    const r = classificationReport(confusion);
    expect(r.examples).toBe(10);
    expect(r.accuracy).toBeCloseTo(6 / 10, 12);
    // class 0: TP 2, predicted 3 (2+1+0), actual 4 -> P 2/3, R 1/2, F1 = 2·(1/3)/(7/6) = 4/7
    expect(r.perClass[0]!.precision).toBeCloseTo(2 / 3, 12);
    expect(r.perClass[0]!.recall).toBeCloseTo(1 / 2, 12);
    expect(r.perClass[0]!.f1).toBeCloseTo(4 / 7, 12);
    expect(r.perClass[0]!.support).toBe(4);
    // class 1: TP 2, predicted 4, actual 3 -> P 1/2, R 2/3, F1 4/7
    expect(r.perClass[1]!.precision).toBeCloseTo(1 / 2, 12);
    expect(r.perClass[1]!.recall).toBeCloseTo(2 / 3, 12);
    // class 2: TP 2, predicted 3, actual 3 -> P = R = F1 = 2/3
    expect(r.perClass[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(r.macro.precision).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3) / 3, 12);
    expect(r.macro.recall).toBeCloseTo((1 / 2 + 2 / 3 + 2 / 3) / 3, 12);
    expect(r.macro.f1).toBeCloseTo((4 / 7 + 4 / 7 + 2 / 3) / 3, 12);
  });

  it('scores a class that is never predicted as 0 precision (zero_division=0)', () => {
    const r = classificationReport(confusionMatrix([0, 1, 1], [0, 0, 0], 2));
    expect(r.perClass[1]).toEqual({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(r.perClass[0]!.precision).toBeCloseTo(1 / 3, 12);
  });

  it('refuses mismatched lengths and out-of-range class ids', () => {
    expect(() => confusionMatrix([0], [0, 1], 2)).toThrow(/1 labels but 2/);
    expect(() => confusionMatrix([0, 2], [0, 1], 2)).toThrow(/out of range/);
  });

  it('argmax takes the first maximum within a row slice', () => {
    expect(argmax([0, 5, 5, 1])).toBe(1);
    expect(argmax([9, 9, 1, 3, 2], 2, 3)).toBe(1);
  });

  it('formats the matrix with class names', () => {
    const lines = formatConfusion([[5, 1], [0, 7]], ['ham', 'spam']);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ham\s+5\s+1$/);
  });
});
