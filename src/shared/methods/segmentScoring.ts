/**
 * Market positioning: score target segments on the attributes the segments table holds (size,
 * growth, willingness to pay, competition, fit) with a weighted sum or TOPSIS, so positioning is
 * the same multi-criteria problem as partner selection. Competition is a cost criterion (more
 * is worse); the others are benefits.
 */
import { StrategyInputError } from './errors.js';
import type { DecisionProblem, RankedAlternative } from './decisionMatrix.js';
import { rankByTopsis } from './topsis.js';
import { scoreWeightedSum } from './weightedSum.js';
import { requireNonEmpty } from './validate.js';

/** The attributes a segment is scored on, any consistent positive scale (e.g. 1–10 ratings). */
export interface SegmentAttributes {
  id: string;
  /** Market size, e.g. SOM in currency units or a rating. */
  size: number;
  /** Expected growth, e.g. annual % or a rating. */
  growth: number;
  willingnessToPay: number;
  /** Competitive intensity: higher is worse. */
  competition: number;
  /** Fit with our model, channels and partners. */
  fit: number;
}

/** Relative weights of the segment attributes (> 0; e.g. from {@link deriveAhpWeights}). */
export type SegmentWeights = Record<Exclude<keyof SegmentAttributes, 'id'>, number>;

/** Result of {@link scoreSegments}. */
export interface SegmentScores {
  method: 'weightedSum' | 'topsis';
  /** Score per segment in input order (weighted sum in 0..1, or TOPSIS closeness). */
  scores: number[];
  ranking: RankedAlternative[];
}

const ATTRIBUTES = [
  { key: 'size', kind: 'benefit' },
  { key: 'growth', kind: 'benefit' },
  { key: 'willingnessToPay', kind: 'benefit' },
  { key: 'competition', kind: 'cost' },
  { key: 'fit', kind: 'benefit' },
] as const;

/** Builds the decision matrix that segment scoring uses (exported for sensitivity analysis). */
export function segmentDecisionProblem(segments: readonly SegmentAttributes[], weights: SegmentWeights): DecisionProblem {
  requireNonEmpty(segments, 'segments');
  return {
    criteria: ATTRIBUTES.map((a) => ({ id: a.key, kind: a.kind, weight: weights[a.key] })),
    alternatives: segments.map((s) => ({ id: s.id, scores: ATTRIBUTES.map((a) => s[a.key]) })),
  };
}

/**
 * Ranks segments by weighted sum (min-max normalised, so ratings of 0 are allowed) or TOPSIS.
 * @throws StrategyInputError `QD_INVALID_INPUT` on empty segments, non-positive weights or NaN
 */
export function scoreSegments(segments: readonly SegmentAttributes[], weights: SegmentWeights, method: 'weightedSum' | 'topsis' = 'topsis'): SegmentScores {
  const problem = segmentDecisionProblem(segments, weights);
  if (method === 'topsis') {
    const r = rankByTopsis(problem);
    return { method, scores: r.alternatives.map((a) => a.closenessToIdeal), ranking: r.ranking };
  }
  if (method === 'weightedSum') {
    const r = scoreWeightedSum(problem, { normalisation: 'minMax' });
    return { method, scores: r.scores, ranking: r.ranking };
  }
  throw new StrategyInputError('QD_INVALID_INPUT', `unknown segment scoring method "${String(method)}"`);
}
