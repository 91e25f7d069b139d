/**
 * The shared input of the multi-criteria scoring methods (weighted sum, TOPSIS, sensitivity):
 * alternatives (segments, partners, promotion channels) scored on criteria with weights.
 */
import { StrategyInputError } from './errors.js';
import { requireFinite, requireLength, requireNonEmpty, requirePositive, requireUniqueIds } from './validate.js';

/** Whether more of a criterion is better (market size, fit) or worse (price, competition). */
export type CriterionKind = 'benefit' | 'cost';

/** One criterion with its weight; weights need not sum to 1 (they are normalised). */
export interface Criterion {
  id: string;
  /** Relative importance, > 0. Often the output of {@link deriveAhpWeights}. */
  weight: number;
  kind: CriterionKind;
}

/** One alternative with its raw score on each criterion, in the order of `criteria`. */
export interface Alternative {
  id: string;
  scores: readonly number[];
}

/** A decision matrix: m alternatives × n criteria. */
export interface DecisionProblem {
  criteria: readonly Criterion[];
  alternatives: readonly Alternative[];
}

/** An alternative's score and 1-based rank (1 = best) in a ranking. */
export interface RankedAlternative {
  id: string;
  score: number;
  rank: number;
}

/** Throws `QD_INVALID_INPUT` unless the problem is well-formed (non-empty, finite, matching lengths, weights > 0). */
export function validateDecisionProblem(problem: DecisionProblem): void {
  requireNonEmpty(problem.criteria, 'criteria');
  requireNonEmpty(problem.alternatives, 'alternatives');
  requireUniqueIds(problem.criteria.map((c) => c.id), 'criteria');
  requireUniqueIds(problem.alternatives.map((a) => a.id), 'alternatives');
  for (const c of problem.criteria) {
    requirePositive(c.weight, `weight of criterion "${c.id}"`);
    if (c.kind !== 'benefit' && c.kind !== 'cost') {
      throw new StrategyInputError('QD_INVALID_INPUT', `criterion "${c.id}" kind must be 'benefit' or 'cost'`);
    }
  }
  for (const a of problem.alternatives) {
    requireLength(a.scores, problem.criteria.length, `scores of alternative "${a.id}"`);
    a.scores.forEach((s, j) => requireFinite(s, `score of "${a.id}" on "${problem.criteria[j]!.id}"`));
  }
}

/** Weights scaled to sum to 1, in criteria order. */
export function normaliseWeights(criteria: readonly Criterion[]): number[] {
  const total = criteria.reduce((sum, c) => sum + c.weight, 0);
  return criteria.map((c) => c.weight / total);
}

/** The column of scores of criterion `j` across all alternatives. */
export function criterionColumn(problem: DecisionProblem, j: number): number[] {
  return problem.alternatives.map((a) => a.scores[j]!);
}

/**
 * Sorts scores descending into 1-based ranks; equal scores (within 1e-12) share a rank and
 * keep input order, so results are deterministic.
 */
export function rankByScore(ids: readonly string[], scores: readonly number[]): RankedAlternative[] {
  const rows = ids.map((id, i) => ({ id, score: scores[i]!, i }));
  rows.sort((a, b) => b.score - a.score || a.i - b.i);
  const out: RankedAlternative[] = [];
  rows.forEach((r, k) => {
    const prev = out[k - 1];
    const tied = prev !== undefined && Math.abs(prev.score - r.score) <= 1e-12;
    out.push({ id: r.id, score: r.score, rank: tied ? prev.rank : k + 1 });
  });
  return out;
}
