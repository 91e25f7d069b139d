import { z } from 'zod';
import { MAX_AHP_ORDER } from '../../methods/ahpRandomIndex.js';
import { timestamp } from '../common.js';

/**
 * Schemas the strategy contracts share: input-size bounds, the `[from, to)` window, promotion channels,
 * and the answers of the pure methods (src/shared/methods) that several routes return.
 */

/**
 * Upper bounds on the sizes of strategy inputs. The methods are polynomial — weight sensitivity re-scores the
 * whole decision matrix up to 2 × 1,000 times per criterion, so criteria² × alternatives decides its cost;
 * the allocator bisects twice per channel — and run in a worker thread (src/strategy/compute/method-pool.ts),
 * but a bound keeps one request from occupying that worker for minutes. Each bound is far above a real
 * decision (Saaty advises at most 9 criteria; a promotion plan has a dozen channels). Measured on one core of
 * the dev box: TOPSIS + sensitivity at 15 criteria × 100 alternatives ≈ 3 s, the allocator at 200 Hill curves ≈ 0.1 s.
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

/** Fields `from` and `to` (ISO-8601 with offset) of a `[from, to)` window; both optional (default: the last 365 days). */
export const windowQueryFields = { from: timestamp.optional(), to: timestamp.optional() };

/** `?from&to` alone. */
export const windowQuerySchema = z.object(windowQueryFields).strict();

/** The promotion channels (推广渠道) named in the design; other lower-case slugs are accepted too. */
export const PROMOTION_CHANNELS = ['search_ads', 'social', 'content', 'events', 'community', 'marketplace', 'co_marketing'] as const;

/** A promotion channel id: one of {@link PROMOTION_CHANNELS} or another lower-case slug. */
export const promotionChannelSchema = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, 'use lower-case letters, digits and _ (e.g. search_ads)');

/** A criterion's direction: more is better (`benefit`) or worse (`cost`). */
export const criterionKindSchema = z.enum(['benefit', 'cost']);

// --- answers of the pure methods (src/shared/methods), as sent

/** A ranked alternative (decisionMatrix.ts). */
export const rankedAlternativeSchema = z.object({ id: z.string(), score: z.number(), rank: z.number().int() });

/** One judgement of an AHP matrix against the one its weights imply (ahp.ts). */
export const judgementDeviationSchema = z.object({
  i: z.number().int(),
  j: z.number().int(),
  labelI: z.string(),
  labelJ: z.string(),
  judged: z.number(),
  implied: z.number(),
  deviationFactor: z.number(),
});

/** An AHP analysis: weights, λmax, CI, RI, CR and the judgements to revisit (ahp.ts). */
export const ahpResultSchema = z.object({
  weights: z.array(z.number()),
  lambdaMax: z.number(),
  consistencyIndex: z.number(),
  randomIndex: z.number(),
  consistencyRatio: z.number(),
  mostInconsistent: z.array(judgementDeviationSchema),
  iterations: z.number().int(),
});

/** A TOPSIS ranking (topsis.ts). */
export const topsisResultSchema = z.object({
  method: z.literal('topsis'),
  weights: z.array(z.number()),
  ideal: z.array(z.number()),
  antiIdeal: z.array(z.number()),
  alternatives: z.array(z.object({ id: z.string(), distanceToIdeal: z.number(), distanceToAntiIdeal: z.number(), closenessToIdeal: z.number() })),
  ranking: z.array(rankedAlternativeSchema),
});

/** A weighted-sum ranking (weightedSum.ts). */
export const weightedSumResultSchema = z.object({
  method: z.literal('weightedSum'),
  normalisation: z.enum(['linear', 'minMax']),
  weights: z.array(z.number()),
  scores: z.array(z.number()),
  ranking: z.array(rankedAlternativeSchema),
});

const weightBreakpointSchema = z.object({ weightAtChange: z.number().nullable(), change: z.number().nullable(), newTop: z.string().nullable() });

/** How far each weight can move before the winner changes (sensitivity.ts). */
export const sensitivityResultSchema = z.object({
  method: z.enum(['topsis', 'weightedSum']),
  top: z.string(),
  criteria: z.array(z.object({ criterionId: z.string(), weight: z.number(), increase: weightBreakpointSchema, decrease: weightBreakpointSchema })),
  mostCritical: z.object({ criterionId: z.string(), change: z.number(), direction: z.enum(['increase', 'decrease']), newTop: z.string() }).nullable(),
});

/** The response models (responseCurves.ts). */
export const responseModelSchema = z.enum(['negativeExponential', 'hill']);

/** A response curve as sent: a model and its named parameters. */
export const curveSchema = z.object({ model: responseModelSchema, params: boundedRecord(z.number(), STRATEGY_BOUNDS.curveParams, 'parameters') }).strict();

/** A response curve as answered. */
export const responseCurveSchema = z.object({ model: responseModelSchema, params: z.record(z.string(), z.number()) });

/** One channel's share of a budget (budgetAllocator.ts). */
export const channelAllocationSchema = z.object({
  channelId: z.string(),
  spendMicros: z.number(),
  expectedOutcome: z.number(),
  expectedMarginMicros: z.number(),
  contributionMicros: z.number(),
  marginalReturn: z.number().nullable(),
  atBound: z.enum(['min', 'max']).nullable(),
});

/** A budget split across channels (budgetAllocator.ts). */
export const budgetAllocationSchema = z.object({
  totalBudgetMicros: z.number(),
  spentMicros: z.number(),
  contributionMicros: z.number(),
  shadowPrice: z.number(),
  budgetBinding: z.boolean(),
  channels: z.array(channelAllocationSchema),
});

/** A window as answered: ISO-8601 bounds. */
export const windowAnswerFields = { from: timestamp, to: timestamp };
