import { describe, expect, it } from 'vitest';
import { binomialCdfHalf, chiSquared1Survival, EXACT_BELOW, mcnemar, pairedBootstrap, quantile } from './significance.js';

describe('McNemar’s test', () => {
  it('gives the χ² table’s tail probabilities for one degree of freedom (3.841 → 0.05, 6.635 → 0.01, 10.828 → 0.001)', () => {
    expect(chiSquared1Survival(3.841458820694124)).toBeCloseTo(0.05, 6);
    expect(chiSquared1Survival(6.634896601021214)).toBeCloseTo(0.01, 7);
    expect(chiSquared1Survival(10.827566170662733)).toBeCloseTo(0.001, 7);
    expect(chiSquared1Survival(0)).toBe(1);
  });

  it('is exact below 25 discordant pairs: b = 1, c = 5 gives 2·(1 + 6)/2⁶ = 14/64 by hand', () => {
    expect(mcnemar(1, 5)).toMatchObject({ statistic: 1, exact: true });
    expect(mcnemar(1, 5).pValue).toBeCloseTo(14 / 64, 15);
    expect(mcnemar(5, 1).pValue).toBeCloseTo(14 / 64, 15);
    // b = 0, c = 6: 2/64; equal counts: p = 1; no discordant pair at all: p = 1.
    expect(mcnemar(0, 6).pValue).toBeCloseTo(2 / 64, 15);
    expect(mcnemar(3, 3).pValue).toBe(1);
    expect(mcnemar(0, 0)).toEqual({ statistic: 0, pValue: 1, exact: true });
    expect(mcnemar(12, 12).exact).toBe(true);
    expect(mcnemar(12, 13).exact).toBe(false);
    expect(EXACT_BELOW).toBe(25);
  });

  it('is Edwards’ continuity-corrected χ² from 25 on: the Wikipedia / Rosner table b = 121, c = 59 gives 61²/180 = 20.67', () => {
    const r = mcnemar(121, 59);
    expect(r.exact).toBe(false);
    expect(r.statistic).toBeCloseTo(3721 / 180, 12);
    expect(r.pValue).toBeLessThan(1e-5);
    expect(r.pValue).toBeGreaterThan(1e-6); // χ²₁ = 20.67 → p ≈ 5.5e-6
    // b = 20, c = 10: (10 − 1)²/30 = 2.7 → p ≈ 0.1003 (table: χ²₁ = 2.706 at p = 0.10)
    expect(mcnemar(20, 10).statistic).toBeCloseTo(2.7, 12);
    expect(mcnemar(20, 10).pValue).toBeCloseTo(0.1003, 3);
  });

  it('sums the binomial tail without overflow and refuses bad counts', () => {
    expect(binomialCdfHalf(2, 4)).toBeCloseTo(11 / 16, 15);
    expect(binomialCdfHalf(500, 1000)).toBeCloseTo(0.5 + 0.5 * 0.0252258, 5); // ½ + ½·P(X = 500)
    expect(() => mcnemar(-1, 2)).toThrow(/non-negative/);
    expect(() => mcnemar(1.5, 2)).toThrow(/non-negative/);
  });
});

describe('paired bootstrap of an accuracy difference', () => {
  it('is [0, 0] for identical predictions and the same interval for the same seed', () => {
    const same = [true, false, true, true];
    expect(pairedBootstrap(same, same)).toEqual([0, 0]);
    const a = Array.from({ length: 200 }, (_, i) => i % 3 !== 0);
    const b = Array.from({ length: 200 }, (_, i) => i % 4 !== 0);
    expect(pairedBootstrap(a, b, { seed: 9 })).toEqual(pairedBootstrap(a, b, { seed: 9 }));
  });

  it('agrees with the normal approximation mean ± 1.96·sd/√n on a large sample', () => {
    // 2,000 pairs: 300 only a right, 100 only b right → mean difference 0.1; per-pair variance 0.2 − 0.01 = 0.19.
    const n = 2000;
    const a = Array.from({ length: n }, (_, i) => i < 300 || i >= 400 + 1000);
    const b = Array.from({ length: n }, (_, i) => (i >= 300 && i < 400) || i >= 400 + 1000);
    const [lo, hi] = pairedBootstrap(a, b, { seed: 3, resamples: 4000 });
    const half = 1.96 * Math.sqrt(0.19 / n);
    expect(lo).toBeCloseTo(0.1 - half, 2);
    expect(hi).toBeCloseTo(0.1 + half, 2);
  });

  it('interpolates quantiles linearly (NumPy’s default)', () => {
    const v = Float64Array.from([1, 2, 3, 4, 5]);
    expect(quantile(v, 0.5)).toBe(3);
    expect(quantile(v, 0.1)).toBeCloseTo(1.4, 12);
    expect(quantile(v, 1)).toBe(5);
  });
});
