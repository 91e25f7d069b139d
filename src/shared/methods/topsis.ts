/**
 * TOPSIS — Technique for Order Preference by Similarity to Ideal Solution.
 * Source: Hwang, C.L. & Yoon, K. (1981), Multiple Attribute Decision Making, Springer, §3.5.
 *
 * Steps: vector-normalise each criterion column (r_ij = x_ij / √Σ_i x_ij²), weight it
 * (v_ij = w_j r_ij), take the ideal A⁺ (best per column: max for benefit, min for cost) and the
 * anti-ideal A⁻, measure Euclidean distances S⁺_i, S⁻_i and rank by closeness to the ideal
 * C_i = S⁻_i / (S⁺_i + S⁻_i) ∈ [0, 1].
 */
import {
  criterionColumn,
  normaliseWeights,
  rankByScore,
  validateDecisionProblem,
  type DecisionProblem,
  type RankedAlternative,
} from './decisionMatrix.js';

/** Per-alternative TOPSIS detail, in input order. */
export interface TopsisAlternativeResult {
  id: string;
  /** Euclidean distance to the ideal solution A⁺. */
  distanceToIdeal: number;
  /** Euclidean distance to the anti-ideal solution A⁻. */
  distanceToAntiIdeal: number;
  /** C = S⁻ / (S⁺ + S⁻); 0.5 when both distances are 0 (all alternatives identical). */
  closenessToIdeal: number;
}

/** Result of {@link rankByTopsis}. */
export interface TopsisResult {
  method: 'topsis';
  /** Weights actually used (normalised to sum 1), in criteria order. */
  weights: number[];
  /** Weighted normalised value of the ideal solution, per criterion. */
  ideal: number[];
  /** Weighted normalised value of the anti-ideal solution, per criterion. */
  antiIdeal: number[];
  alternatives: TopsisAlternativeResult[];
  /** Ranking by closeness to the ideal, best first. */
  ranking: RankedAlternative[];
}

/** Weighted vector-normalised matrix v[i][j]; an all-zero column stays 0. */
function weightedNormalisedMatrix(problem: DecisionProblem, weights: readonly number[]): number[][] {
  const v = problem.alternatives.map(() => problem.criteria.map(() => 0));
  problem.criteria.forEach((_, j) => {
    const column = criterionColumn(problem, j);
    const norm = Math.sqrt(column.reduce((s, x) => s + x * x, 0));
    column.forEach((x, i) => { v[i]![j] = norm === 0 ? 0 : (weights[j]! * x) / norm; });
  });
  return v;
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((s, x, j) => s + (x - b[j]!) ** 2, 0));
}

/**
 * Ranks alternatives by TOPSIS closeness to the ideal solution.
 * @throws StrategyInputError `QD_INVALID_INPUT` on an empty or malformed problem
 */
export function rankByTopsis(problem: DecisionProblem): TopsisResult {
  validateDecisionProblem(problem);
  const weights = normaliseWeights(problem.criteria);
  const v = weightedNormalisedMatrix(problem, weights);
  const ideal: number[] = [];
  const antiIdeal: number[] = [];
  problem.criteria.forEach((c, j) => {
    const col = v.map((row) => row[j]!);
    const hi = Math.max(...col);
    const lo = Math.min(...col);
    ideal.push(c.kind === 'benefit' ? hi : lo);
    antiIdeal.push(c.kind === 'benefit' ? lo : hi);
  });
  const alternatives = problem.alternatives.map((a, i): TopsisAlternativeResult => {
    const sPlus = distance(v[i]!, ideal);
    const sMinus = distance(v[i]!, antiIdeal);
    const denom = sPlus + sMinus;
    return { id: a.id, distanceToIdeal: sPlus, distanceToAntiIdeal: sMinus, closenessToIdeal: denom === 0 ? 0.5 : sMinus / denom };
  });
  const ranking = rankByScore(alternatives.map((a) => a.id), alternatives.map((a) => a.closenessToIdeal));
  return { method: 'topsis', weights, ideal, antiIdeal, alternatives, ranking };
}
