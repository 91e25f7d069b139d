import { describe, expect, it } from 'vitest';
import { countRows, logTfUnitRows, vocabularyOf } from './features.js';
import { naiveBayesScores, trainNaiveBayes } from './naive-bayes.js';

// Manning, Raghavan & Schütze, Introduction to Information Retrieval (2008), Example 13.1 / Table 13.1:
//   d1 "Chinese Beijing Chinese" (c = China)   d2 "Chinese Chinese Shanghai" (China)
//   d3 "Chinese Macao" (China)                 d4 "Tokyo Japan Chinese" (not China)
//   test d5 "Chinese Chinese Chinese Tokyo Japan"
const [Chinese, Beijing, Shanghai, Macao, Tokyo, Japan] = [10, 11, 12, 13, 14, 15];
const train = [[Chinese, Beijing, Chinese], [Chinese, Chinese, Shanghai], [Chinese, Macao], [Tokyo, Japan, Chinese]];
const labels = [0, 0, 0, 1]; // 0 = China, 1 = not China
const test = [[Chinese, Chinese, Chinese, Tokyo, Japan]];

describe('multinomial naive Bayes against the IR book’s Example 13.1', () => {
  const vocab = vocabularyOf(train);
  const model = trainNaiveBayes(countRows(train, vocab), labels, 2, 1);
  const at = (token: number, c: number) => Math.exp(model.logLikelihood[vocab.columnOf[token]! * 2 + c]!);

  it('has the book’s vocabulary of six terms, priors 3/4 and 1/4 and smoothed likelihoods', () => {
    expect(vocab.columns).toBe(6);
    expect(Math.exp(model.logPrior[0]!)).toBeCloseTo(3 / 4, 12);
    expect(Math.exp(model.logPrior[1]!)).toBeCloseTo(1 / 4, 12);
    // P̂(Chinese|c) = (5+1)/(8+6) = 3/7; P̂(Tokyo|c) = P̂(Japan|c) = (0+1)/(8+6) = 1/14
    expect(at(Chinese, 0)).toBeCloseTo(3 / 7, 12);
    expect(at(Tokyo, 0)).toBeCloseTo(1 / 14, 12);
    expect(at(Japan, 0)).toBeCloseTo(1 / 14, 12);
    // P̂(Chinese|c̄) = (1+1)/(3+6) = 2/9; P̂(Tokyo|c̄) = P̂(Japan|c̄) = (1+1)/(3+6) = 2/9
    expect(at(Chinese, 1)).toBeCloseTo(2 / 9, 12);
    expect(at(Tokyo, 1)).toBeCloseTo(2 / 9, 12);
  });

  it('scores d5 as the book does: 3/4·(3/7)³·(1/14)² ≈ 0.0003 for China, 1/4·(2/9)³·(2/9)² ≈ 0.0001 against, so China', () => {
    const scores = naiveBayesScores(model, countRows(test, vocab));
    expect(Math.exp(scores[0]!)).toBeCloseTo((3 / 4) * (3 / 7) ** 3 * (1 / 14) ** 2, 15);
    expect(Math.exp(scores[1]!)).toBeCloseTo((1 / 4) * (2 / 9) ** 5, 15);
    expect(Math.exp(scores[0]!)).toBeCloseTo(0.0003, 4);
    expect(Math.exp(scores[1]!)).toBeCloseTo(0.0001, 4);
    expect(scores[0]!).toBeGreaterThan(scores[1]!);
  });

  it('drops test tokens never seen in training (the vocabulary is the training set’s)', () => {
    const withUnknown = naiveBayesScores(model, countRows([[...test[0]!, 999, 7]], vocab));
    expect(Array.from(withUnknown)).toEqual(Array.from(naiveBayesScores(model, countRows(test, vocab))));
  });

  it('refuses mismatched labels', () => {
    expect(() => trainNaiveBayes(countRows(train, vocab), [0, 1], 2)).toThrow(/4 rows but 2 labels/);
  });
});

describe('bag-of-tokens features', () => {
  it('counts each document’s tokens in sparse rows, columns in order of first occurrence', () => {
    const vocab = vocabularyOf([[5, 3, 5], [2]]);
    expect(Array.from(vocab.columnOf)).toEqual([-1, -1, 2, 1, -1, 0]);
    const rows = countRows([[5, 3, 5], [2], [5, 5, 5, 4]], vocab);
    expect(Array.from(rows.rowStart)).toEqual([0, 2, 3, 4]);
    expect(Array.from(rows.cols)).toEqual([0, 1, 2, 0]);
    expect(Array.from(rows.values)).toEqual([2, 1, 1, 3]);
  });

  it('takes 1 + ln tf and scales each row to unit length', () => {
    const rows = logTfUnitRows(countRows([[5, 3, 5]], vocabularyOf([[5, 3, 5]])));
    const a = 1 + Math.log(2);
    expect(rows.values[0]).toBeCloseTo(a / Math.hypot(a, 1), 12);
    expect(rows.values[1]).toBeCloseTo(1 / Math.hypot(a, 1), 12);
  });
});
