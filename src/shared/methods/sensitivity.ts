/**
 * Weight sensitivity of a multi-criteria ranking: for each criterion, how far its weight can move
 * up and down — the other weights rescaled proportionally so they keep their ratios and all
 * weights still sum to 1 — before the top-ranked alternative changes, and which alternative
 * takes over. This is the one-at-a-time analysis of Triantaphyllou & Sánchez (1997), "A
 * sensitivity analysis approach for some deterministic multi-criteria decision-making methods",
 * Decision Sciences 28(1), applied to TOPSIS and the weighted sum.
 *
 * With criterion k set to weight t, w_j(t) = w_j · (1 − t)/(1 − w_k) for j ≠ k. The first t at
 * which another alternative strictly beats the baseline winner is found by a scan of `steps`
 * points followed by bisection to 1e-9, so a reversal that starts and ends between two scan
 * points (narrower than 1/steps) can be missed.
 */
import { StrategyInputError } from './errors.js';
import { normaliseWeights, validateDecisionProblem, type DecisionProblem } from './decisionMatrix.js';
import { rankByTopsis } from './topsis.js';
import { scoreWeightedSum, type WeightedSumNormalisation } from './weightedSum.js';

/** Which scoring method the sensitivity is taken of. */
export type SensitivityMethod = 'topsis' | 'weightedSum';

/** Options of {@link analyseWeightSensitivity}. */
export interface SensitivityOptions {
  method: SensitivityMethod;
  /** Normalisation of the weighted sum (ignored for TOPSIS); 'linear' by default. */
  normalisation?: WeightedSumNormalisation;
  /** Scan resolution over the weight range [0, 1]; 1000 by default. */
  steps?: number;
}

/** The point, in one direction, where the winner changes; `null` fields when it never does. */
export interface WeightBreakpoint {
  /** Normalised weight of the criterion at which the winner changes, or null if it never does in [0, 1]. */
  weightAtChange: number | null;
  /** |weightAtChange − baseline weight|, or null. */
  change: number | null;
  /** The alternative that becomes top just past the breakpoint, or null. */
  newTop: string | null;
}

/** How one criterion's weight can move before the winner changes. */
export interface CriterionSensitivity {
  criterionId: string;
  /** Baseline normalised weight. */
  weight: number;
  increase: WeightBreakpoint;
  decrease: WeightBreakpoint;
}

/** Result of {@link analyseWeightSensitivity}. */
export interface SensitivityResult {
  method: SensitivityMethod;
  /** The top-ranked alternative under the baseline weights. */
  top: string;
  criteria: CriterionSensitivity[];
  /**
   * The criterion whose weight needs the smallest change (either way) to change the winner —
   * Triantaphyllou & Sánchez's "most critical criterion"; null if no weight change can.
   */
  mostCritical: { criterionId: string; change: number; direction: 'increase' | 'decrease'; newTop: string } | null;
}

type Scorer = (problem: DecisionProblem) => number[];

const EDGE = 1e-9;

function scorerFor(options: SensitivityOptions): Scorer {
  const scorers: Record<SensitivityMethod, Scorer> = {
    topsis: (p) => rankByTopsis(p).alternatives.map((a) => a.closenessToIdeal),
    weightedSum: (p) => scoreWeightedSum(p, { normalisation: options.normalisation ?? 'linear' }).scores,
  };
  const scorer = scorers[options.method];
  if (scorer === undefined) throw new StrategyInputError('QD_INVALID_INPUT', `unknown sensitivity method "${String(options.method)}"`);
  return scorer;
}

/** The problem with criterion k at weight t and the others rescaled proportionally. */
function withWeight(problem: DecisionProblem, base: readonly number[], k: number, t: number): DecisionProblem {
  const rest = 1 - base[k]!;
  const criteria = problem.criteria.map((c, j) => ({ ...c, weight: j === k ? t : (base[j]! * (1 - t)) / rest }));
  return { criteria, alternatives: problem.alternatives };
}

/** Index of an alternative that strictly beats the baseline winner, or -1. */
function challenger(scores: readonly number[], top: number): number {
  let best = -1;
  scores.forEach((s, i) => {
    if (i !== top && s > scores[top]! + 1e-12 && (best < 0 || s > scores[best]!)) best = i;
  });
  return best;
}

function findBreakpoint(problem: DecisionProblem, base: readonly number[], k: number, top: number, target: number, score: Scorer, steps: number): WeightBreakpoint {
  const evalAt = (t: number): number => challenger(score(withWeight(problem, base, k, t)), top);
  const start = base[k]!;
  let safe = start;
  for (let s = 1; s <= steps; s++) {
    const t = start + ((target - start) * s) / steps;
    if (evalAt(t) < 0) { safe = t; continue; }
    let lo = safe;
    let hi = t;
    while (Math.abs(hi - lo) > 1e-10) {
      const mid = (lo + hi) / 2;
      if (evalAt(mid) < 0) lo = mid; else hi = mid;
    }
    const newTop = problem.alternatives[evalAt(hi)]!.id;
    return { weightAtChange: hi, change: Math.abs(hi - start), newTop };
  }
  return { weightAtChange: null, change: null, newTop: null };
}

/**
 * For each criterion, the weight range over which the baseline winner stays on top.
 * @throws StrategyInputError `QD_INVALID_INPUT` on a malformed problem or option
 */
export function analyseWeightSensitivity(problem: DecisionProblem, options: SensitivityOptions): SensitivityResult {
  validateDecisionProblem(problem);
  const steps = options.steps ?? 1000;
  if (!Number.isInteger(steps) || steps < 1) throw new StrategyInputError('QD_INVALID_INPUT', `steps must be a positive integer, got ${steps}`);
  const score = scorerFor(options);
  const base = normaliseWeights(problem.criteria);
  const baseScores = score(problem);
  const top = baseScores.reduce((best, s, i) => (s > baseScores[best]! ? i : best), 0);
  const criteria = problem.criteria.map((c, k): CriterionSensitivity => {
    const never: WeightBreakpoint = { weightAtChange: null, change: null, newTop: null };
    if (problem.criteria.length === 1) return { criterionId: c.id, weight: 1, increase: never, decrease: never };
    return {
      criterionId: c.id,
      weight: base[k]!,
      increase: findBreakpoint(problem, base, k, top, 1 - EDGE, score, steps),
      decrease: findBreakpoint(problem, base, k, top, EDGE, score, steps),
    };
  });
  return { method: options.method, top: problem.alternatives[top]!.id, criteria, mostCritical: mostCriticalOf(criteria) };
}

function mostCriticalOf(criteria: readonly CriterionSensitivity[]): SensitivityResult['mostCritical'] {
  let best: SensitivityResult['mostCritical'] = null;
  for (const c of criteria) {
    for (const direction of ['increase', 'decrease'] as const) {
      const side = c[direction];
      if (side.change === null || side.newTop === null) continue;
      if (best === null || side.change < best.change) best = { criterionId: c.criterionId, change: side.change, direction, newTop: side.newTop };
    }
  }
  return best;
}
