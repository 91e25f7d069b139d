import { z } from 'zod';
import { MAX_AHP_ORDER } from '../methods/index.js';

/**
 * Upper bounds on the sizes of strategy inputs. The methods are polynomial — weight sensitivity re-scores the
 * whole decision matrix up to 2 × 1,000 times per criterion, so criteria² × alternatives decides its cost;
 * the allocator bisects twice per channel — and run in a worker thread (compute/method-pool.ts), but a bound
 * keeps one request from occupying that worker for minutes. Each bound is far above a real decision (Saaty
 * advises at most 9 criteria; a promotion plan has a dozen channels). Measured on one core of the dev box:
 * TOPSIS + sensitivity at 15 criteria × 100 alternatives ≈ 3 s, the allocator at 200 Hill curves ≈ 0.1 s.
 */
export const STRATEGY_BOUNDS = {
  /** Criteria of a decision (AHP matrix order, TOPSIS columns): Saaty's random index is tabulated to 15. */
  criteria: MAX_AHP_ORDER,
  /** Alternatives ranked at once (TOPSIS rows: candidates, segments). */
  alternatives: 100,
  /** Channels in one budget allocation. */
  budgetChannels: 200,
  /** Promotion channels of one campaign. */
  campaignChannels: 50,
  /** Parameters of one response curve (the models have 2 or 3). */
  curveParams: 8,
  /** Scores of one candidate (one per criterion; criteria beyond the AHP order are kept but not ranked). */
  candidateScores: 100,
} as const;

/** A pairwise comparison matrix as sent: at most {@link STRATEGY_BOUNDS}.criteria rows of as many numbers. */
export const pairwiseMatrixSchema = z.array(z.array(z.number()).max(STRATEGY_BOUNDS.criteria)).max(STRATEGY_BOUNDS.criteria);

/** A list of ids of things to rank (segments, candidates). */
export const alternativeIdsSchema = z.array(z.string().min(1)).max(STRATEGY_BOUNDS.alternatives);

/** A record of at most `max` entries (zod's records have no size check of their own). */
export function boundedRecord<V extends z.ZodType>(value: V, max: number, unit: string) {
  return z.record(z.string().min(1), value).refine((r) => Object.keys(r).length <= max, `must have at most ${max} ${unit}`);
}
