import { z } from 'zod';
import { micros } from '../common.js';
import { defineRoute } from '../route.js';
import {
  ahpResultSchema, budgetAllocationSchema, criterionKindSchema, curveSchema, pairwiseMatrixSchema, sensitivityResultSchema, STRATEGY_BOUNDS, topsisResultSchema, weightedSumResultSchema,
} from './common.js';

/** `POST /api/strategy/ahp`: analyse a pairwise matrix without saving or refusing it. */
export const analyseAhpSchema = z.object({ matrix: pairwiseMatrixSchema, labels: z.array(z.string()).max(STRATEGY_BOUNDS.criteria).optional() }).strict();

/** `POST /api/strategy/topsis`: a decision matrix sent as data. */
export const topsisSchema = z
  .object({
    criteria: z.array(z.object({ id: z.string().min(1), weight: z.number(), kind: criterionKindSchema }).strict()).max(STRATEGY_BOUNDS.criteria),
    alternatives: z.array(z.object({ id: z.string().min(1), scores: z.array(z.number()).max(STRATEGY_BOUNDS.criteria) }).strict()).max(STRATEGY_BOUNDS.alternatives),
  })
  .strict();

/** `POST /api/strategy/allocate`: the allocator with every curve and margin given. */
export const allocateDirectSchema = z
  .object({
    totalBudgetMicros: micros,
    spendAll: z.boolean().default(false),
    channels: z
      .array(
        z
          .object({ channelId: z.string().min(1), curve: curveSchema, marginPerOutcomeMicros: z.number(), minSpendMicros: z.number().optional(), maxSpendMicros: z.number().optional() })
          .strict(),
      )
      .max(STRATEGY_BOUNDS.budgetChannels),
  })
  .strict();

/** `POST /api/strategy/ahp`: the analysis, and whether CR ≤ 0.10. */
export const ahpAnswerSchema = ahpResultSchema.extend({ acceptable: z.boolean() });

/** `POST /api/strategy/topsis`: TOPSIS, the weighted sum and the TOPSIS winner's weight sensitivity. */
export const topsisAnswerSchema = z.object({ topsis: topsisResultSchema, weightedSum: weightedSumResultSchema, sensitivity: sensitivityResultSchema });

const tag = 'strategy';

/**
 * The strategy methods as stateless tools over data sent in the request (admin): nothing is read from or
 * written to the store. Sizes are bounded (STRATEGY_BOUNDS); larger is 400 QD_INVALID_REQUEST naming the field.
 */
export const strategyToolRoutes = {
  ahp: defineRoute({
    method: 'POST',
    url: '/api/strategy/ahp',
    // A computation that changes nothing: audited as a request, not held in a transaction while it runs.
    audit: { scope: 'request' },
    tag,
    access: 'admin',
    summary: 'AHP weights and consistency of a pairwise matrix (400 QD_AHP_INVALID_MATRIX when malformed)',
    body: analyseAhpSchema,
    response: { 200: ahpAnswerSchema },
  }),
  topsis: defineRoute({
    method: 'POST',
    url: '/api/strategy/topsis',
    // A computation that changes nothing: audited as a request, not held in a transaction while it runs.
    audit: { scope: 'request' },
    tag,
    access: 'admin',
    summary: 'TOPSIS and weighted sum of a decision matrix, with weight sensitivity',
    body: topsisSchema,
    response: { 200: topsisAnswerSchema },
  }),
  allocateBudget: defineRoute({
    method: 'POST',
    url: '/api/strategy/allocate',
    // A computation that changes nothing: audited as a request, not held in a transaction while it runs.
    audit: { scope: 'request' },
    tag,
    access: 'admin',
    summary: 'Split a budget across channels with given response curves and margins',
    body: allocateDirectSchema,
    response: { 200: budgetAllocationSchema },
  }),
} as const;
