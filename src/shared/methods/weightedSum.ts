/**
 * Weighted-sum scoring (simple additive weighting, SAW), Hwang & Yoon (1981) §3.3: normalise each
 * criterion to a comparable 0..1 scale where higher is better, then score = Σ w_j · r_ij.
 */
import { StrategyInputError } from './errors.js';
import {
  criterionColumn,
  normaliseWeights,
  rankByScore,
  validateDecisionProblem,
  type CriterionKind,
  type DecisionProblem,
  type RankedAlternative,
} from './decisionMatrix.js';

/**
 * How raw scores are made comparable:
 * - `linear`: benefit r = x / max, cost r = min / x (Hwang & Yoon's linear scale transformation;
 *   needs positive scores, keeps ratios).
 * - `minMax`: benefit r = (x − min)/(max − min), cost r = (max − x)/(max − min); a criterion on
 *   which all alternatives are equal gives r = 1 to all (it cannot discriminate).
 */
export type WeightedSumNormalisation = 'linear' | 'minMax';

/** Options of {@link scoreWeightedSum}. */
export interface WeightedSumOptions {
  normalisation?: WeightedSumNormalisation;
}

/** Result of {@link scoreWeightedSum}: scores in input order and the ranking (best first). */
export interface WeightedSumResult {
  method: 'weightedSum';
  normalisation: WeightedSumNormalisation;
  /** Weights actually used (normalised to sum 1), in criteria order. */
  weights: number[];
  /** Score in [0, 1] per alternative, in input order. */
  scores: number[];
  ranking: RankedAlternative[];
}

type ColumnNormaliser = (column: readonly number[], kind: CriterionKind, criterionId: string) => number[];

const normalisers: Record<WeightedSumNormalisation, ColumnNormaliser> = {
  linear(column, kind, criterionId) {
    if (column.some((x) => x <= 0)) {
      throw new StrategyInputError(
        'QD_INVALID_INPUT',
        `linear normalisation needs scores > 0 on criterion "${criterionId}"; use minMax`,
      );
    }
    const max = Math.max(...column);
    const min = Math.min(...column);
    return column.map((x) => (kind === 'benefit' ? x / max : min / x));
  },
  minMax(column, kind) {
    const max = Math.max(...column);
    const min = Math.min(...column);
    if (max === min) return column.map(() => 1);
    return column.map((x) => (kind === 'benefit' ? (x - min) / (max - min) : (max - x) / (max - min)));
  },
};

/**
 * Scores and ranks alternatives by the weighted sum of normalised criteria.
 * @throws StrategyInputError `QD_INVALID_INPUT` on an empty or malformed problem
 */
export function scoreWeightedSum(problem: DecisionProblem, options: WeightedSumOptions = {}): WeightedSumResult {
  validateDecisionProblem(problem);
  const normalisation = options.normalisation ?? 'linear';
  const normalise = normalisers[normalisation];
  if (normalise === undefined) {
    throw new StrategyInputError('QD_INVALID_INPUT', `unknown normalisation "${String(normalisation)}"`);
  }
  const weights = normaliseWeights(problem.criteria);
  const scores = problem.alternatives.map(() => 0);
  problem.criteria.forEach((c, j) => {
    const r = normalise(criterionColumn(problem, j), c.kind, c.id);
    r.forEach((rij, i) => { scores[i]! += weights[j]! * rij; });
  });
  const ids = problem.alternatives.map((a) => a.id);
  return { method: 'weightedSum', normalisation, weights, scores, ranking: rankByScore(ids, scores) };
}
