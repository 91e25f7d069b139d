import { describe, expect, it } from 'vitest';
import { maxOrderFor, ngramProbability, ngramWindowLoss, trainNgram } from './ngram.js';

// The corpus "a b a b c a" as ids a = 0, b = 1, c = 2; vocabulary of 3.
const [a, b, c] = [0, 1, 2];
const corpus = [a, b, a, b, c, a];

describe('interpolated Kneser-Ney against a hand computation', () => {
  // Bigram counts: ab 2, ba 1, bc 1, ca 1. Continuation counts N₁₊(• w) from the distinct bigrams:
  // a 2 (ba, ca), b 1 (ab), c 1 (bc); they total 4 over 3 types.
  const model = trainNgram(corpus, 3, { order: 2, discounts: [0.75, 0.75] });

  it('counts raw bigrams at the top order and continuation counts below', () => {
    expect([...model.counts[1]!.entries()].sort()).toEqual([[a * 3 + b, 2], [b * 3 + a, 1], [b * 3 + c, 1], [c * 3 + a, 1]].sort());
    expect(model.counts[0]!.get(a)).toBe(2);
    expect(model.counts[0]!.get(b)).toBe(1);
    expect(model.counts[0]!.get(c)).toBe(1);
  });

  it('gives the unigram level by hand: P₁(a) = (2 − ¾ + ¾·3·⅓)/4 = ½, P₁(b) = P₁(c) = (1 − ¾ + ¾)/4 = ¼', () => {
    expect(ngramProbability(model, [], a)).toBeCloseTo(0.5, 15);
    expect(ngramProbability(model, [], b)).toBeCloseTo(0.25, 15);
    expect(ngramProbability(model, [], c)).toBeCloseTo(0.25, 15);
  });

  it('gives the bigram level by hand', () => {
    // after a: c(ab) = 2, total 2, one type → P(b|a) = (2 − ¾ + ¾·1·¼)/2 = 0.71875, P(a|a) = ¾·½/2, P(c|a) = ¾·¼/2
    expect(ngramProbability(model, [a], b)).toBeCloseTo(0.71875, 15);
    expect(ngramProbability(model, [a], a)).toBeCloseTo(0.1875, 15);
    expect(ngramProbability(model, [a], c)).toBeCloseTo(0.09375, 15);
    // after b: ba 1, bc 1, two types → P(a|b) = (¼ + 1.5·½)/2 = ½, P(c|b) = (¼ + 1.5·¼)/2 = 0.3125, P(b|b) = 1.5·¼/2
    expect(ngramProbability(model, [b], a)).toBeCloseTo(0.5, 15);
    expect(ngramProbability(model, [b], c)).toBeCloseTo(0.3125, 15);
    expect(ngramProbability(model, [b], b)).toBeCloseTo(0.1875, 15);
    // only the last order − 1 ids of a context count
    expect(ngramProbability(model, [c, c, a], b)).toBeCloseTo(0.71875, 15);
  });

  it('falls through to the lower order in a context never seen: with a 4th id d, P(b | d) = P₁(b) = (¼ + ¾·3·¼)/4', () => {
    const four = trainNgram(corpus, 4, { order: 2, discounts: [0.75, 0.75] });
    expect(ngramProbability(four, [3], b)).toBeCloseTo((0.25 + 0.75 * 3 * 0.25) / 4, 15);
    expect(ngramProbability(four, [], 3)).toBeCloseTo((0.75 * 3 * 0.25) / 4, 15);
  });

  it('scores windows as a language model is scored: "a b c" in one window of 2 → −(ln 0.71875 + ln 0.3125)/2', () => {
    const r = ngramWindowLoss(model, [a, b, c], 2, 1);
    expect(r.tokens).toBe(2);
    expect(r.loss).toBeCloseTo(-(Math.log(0.71875) + Math.log(0.3125)) / 2, 14);
    // Two windows of 1: each target sees only its own window's first token.
    const two = ngramWindowLoss(model, [a, b, c], 1, 2);
    expect(two.loss).toBeCloseTo(-(Math.log(0.71875) + Math.log(0.3125)) / 2, 14);
  });

  it('estimates D = n₁/(n₁ + 2n₂) per order: bigrams 3/(3 + 2) = 0.6, continuation counts 2/(2 + 2) = 0.5', () => {
    expect(trainNgram(corpus, 3, { order: 2 }).discounts).toEqual([0.5, 0.6]);
  });
});

describe('Kneser-Ney is a distribution', () => {
  it('sums to 1 over the vocabulary in every context, seen or not, at order 3 (ids unseen in training included)', () => {
    let s = 7;
    const rand = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
    const tokens = Array.from({ length: 3000 }, () => Math.floor(rand() * rand() * 40));
    const model = trainNgram(tokens, 50, { order: 3 });
    for (const context of [[], [0], [3, 1], [1, 2], [49, 48], [0, 0], [7, 49]]) {
      let total = 0;
      for (let w = 0; w < 50; w++) total += ngramProbability(model, context, w);
      expect(total, `context ${context.join(' ')}`).toBeCloseTo(1, 12);
    }
    expect(ngramProbability(model, [0, 0], 45)).toBeGreaterThan(0);
  });

  it('keeps keys exact: the order is lowered when vocabulary^order would pass 2^53', () => {
    expect(maxOrderFor(50257)).toBe(3);
    expect(maxOrderFor(4096)).toBe(4);
    expect(trainNgram([1, 2, 3], 1 << 20, { order: 3 }).order).toBe(2);
  });
});
