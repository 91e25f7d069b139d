import { Rng } from '../../../engine/rng.js';

/**
 * Is one classifier's accuracy different from another's on the SAME examples? Two paired tests:
 * McNemar's (1947) test on the discordant pairs, and a paired bootstrap interval of the accuracy difference
 * (Efron & Tibshirani 1993, percentile method).
 */

/** McNemar's test of `b` (only the first is right) against `c` (only the second is right). */
export interface McNemarResult {
  /** Exact: `min(b, c)`, the binomial count; otherwise the continuity-corrected χ² `(|b − c| − 1)² / (b + c)`. */
  readonly statistic: number;
  /** Two-sided. */
  readonly pValue: number;
  /** True when the exact binomial test was used (`b + c` below {@link EXACT_BELOW}). */
  readonly exact: boolean;
}

/**
 * Discordant pairs below which McNemar's test is the exact binomial one: with fewer than 25 the χ²
 * approximation is poor (the rule statsmodels' `mcnemar` and Rosner's *Fundamentals of Biostatistics* give).
 */
export const EXACT_BELOW = 25;

/**
 * McNemar's test. Under the null both are equally often the only one right, so `b ~ Binomial(b + c, ½)`:
 * exact p = `min(1, 2 · P(X ≤ min(b, c)))`; for `b + c ≥ 25`, Edwards' (1948) continuity-corrected χ² with
 * one degree of freedom.
 */
export function mcnemar(b: number, c: number): McNemarResult {
  if (!(Number.isInteger(b) && Number.isInteger(c) && b >= 0 && c >= 0)) throw new RangeError(`discordant counts must be non-negative integers, got ${b} and ${c}`);
  const n = b + c;
  if (n < EXACT_BELOW) {
    const k = Math.min(b, c);
    return { statistic: k, pValue: Math.min(1, 2 * binomialCdfHalf(k, n)), exact: true };
  }
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  return { statistic, pValue: chiSquared1Survival(statistic), exact: false };
}

/** `P(X ≤ k)` for `X ~ Binomial(n, ½)`, summed in log space so large `n` does not overflow. */
export function binomialCdfHalf(k: number, n: number): number {
  if (k >= n) return 1;
  let logTerm = -n * Math.LN2; // log C(n, 0) / 2^n
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    sum += Math.exp(logTerm);
    logTerm += Math.log((n - i) / (i + 1));
  }
  return Math.min(1, sum);
}

/** `P(χ²₁ > x) = erfc(√(x/2))`. */
export function chiSquared1Survival(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

/**
 * Complementary error function: Numerical Recipes' `erfcc` (Press et al., 2nd ed., §6.2), a Chebyshev fit
 * with fractional error below 1.2e-7 everywhere.
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Options of {@link pairedBootstrap}. */
export interface BootstrapOptions {
  /** Resamples; default 2,000. */
  readonly resamples?: number;
  /** Default 1337. */
  readonly seed?: number;
  /** Default 0.95. */
  readonly level?: number;
}

/**
 * Paired bootstrap of `accuracy(a) − accuracy(b)`: resample the examples with replacement (the same draw for
 * both, so the pairing is kept) and take the percentile interval of the difference, quantiles interpolated
 * linearly (NumPy's default). Seeded: the same inputs give the same interval.
 */
export function pairedBootstrap(aCorrect: readonly boolean[], bCorrect: readonly boolean[], options: BootstrapOptions = {}): [number, number] {
  const n = aCorrect.length;
  if (n !== bCorrect.length) throw new RangeError(`${n} and ${bCorrect.length} examples`);
  if (n === 0) throw new RangeError('no examples');
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rng = new Rng(options.seed ?? 1337);
  // Per example the difference is −1, 0 or +1; a resample's mean difference is the mean over its draws.
  const d = new Int8Array(n);
  for (let i = 0; i < n; i++) d[i] = (aCorrect[i] ? 1 : 0) - (bCorrect[i] ? 1 : 0);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[Math.floor(rng.uniform() * n)]!;
    means[r] = s / n;
  }
  means.sort();
  return [quantile(means, (1 - level) / 2), quantile(means, 1 - (1 - level) / 2)];
}

/** Quantile `q` of sorted values, interpolating linearly between order statistics. */
export function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
