import { z } from 'zod';
import { count, id, idParams, listOf, micros, noContent, timestamp } from '../common.js';
import { defineRoute } from '../route.js';
import { ahpResultSchema, alternativeIdsSchema, pairwiseMatrixSchema, rankedAlternativeSchema, sensitivityResultSchema, windowAnswerFields, windowQueryFields, windowQuerySchema } from './common.js';

const rate = z.number().min(0).max(1);
const rating = z.number().finite().min(0);
const label = z.string().trim().min(1, 'must not be empty').max(120);

const segmentFields = {
  name: label,
  industry: label,
  region: label,
  companySize: label,
  /** Number of target accounts (integer). */
  accounts: z.number().int().min(0),
  growthRate: z.number().finite(),
  annualPriceMicros: micros,
  willingnessToPay: rating,
  competition: rating,
  fit: rating,
  adoptionRate: rate,
  serviceableShare: rate,
};

/** `POST /api/segments`: industry × region × company size and the facts positioning scores on. */
export const createSegmentSchema = z
  .object({ ...segmentFields, growthRate: segmentFields.growthRate.default(0), willingnessToPay: rating.default(0), competition: rating.default(0), fit: rating.default(0), adoptionRate: rate.default(0), serviceableShare: rate.default(1), annualPriceMicros: micros.default(0), accounts: segmentFields.accounts.default(0) })
  .strict();

/** `PATCH /api/segments/:id`: any subset of the fields. */
export const updateSegmentSchema = z.object(segmentFields).partial().strict().refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

const weight = z.number().finite();

/** Weights of the five segment attributes. */
export const segmentWeightsSchema = z.object({ size: weight, growth: weight, willingnessToPay: weight, competition: weight, fit: weight }).strict();

/** `POST /api/market/rank`: criterion weights (> 0; default equal) or an AHP matrix, and optionally which segments. */
export const rankSegmentsSchema = z
  .object({
    weights: segmentWeightsSchema.optional(),
    /** Saaty 1–9 pairwise comparison of size, growth, willingnessToPay, competition, fit (in that order), instead of `weights`. */
    pairwise: pairwiseMatrixSchema.optional(),
    segmentIds: alternativeIdsSchema.optional(),
    ...windowQueryFields,
  })
  .strict()
  .refine((v) => v.weights === undefined || v.pairwise === undefined, 'send weights or pairwise, not both');

/** `GET /api/market/size`: the window whose ledger gives the observed shares. */
export const marketSizeQuerySchema = windowQuerySchema;

/** Input of segment creation. */
export type CreateSegmentInput = z.infer<typeof createSegmentSchema>;
/** Input of a segment update. */
export type UpdateSegmentInput = z.infer<typeof updateSegmentSchema>;
/** Input of segment ranking. */
export type RankSegmentsInput = z.infer<typeof rankSegmentsSchema>;

/** A market segment. */
export const segmentSchema = z.object({
  id,
  name: z.string(),
  industry: z.string(),
  region: z.string(),
  companySize: z.string(),
  accounts: count,
  growthRate: z.number(),
  annualPriceMicros: micros,
  willingnessToPay: z.number(),
  competition: z.number(),
  fit: z.number(),
  adoptionRate: z.number(),
  serviceableShare: z.number(),
  createdAt: timestamp,
});

/** Observed customers ÷ sized accounts, or a flag naming the sizing input to raise when above 100 % (observedShare.ts). */
export const observedShareSchema = z.object({
  basis: z.literal('accounts'),
  observed: z.number(),
  sized: z.number(),
  share: z.number().nullable(),
  exceedsSizing: z.object({ input: z.enum(['accounts', 'serviceableShare', 'adoptionRate']), ratio: z.number().nullable() }).nullable(),
});

/** One segment's bottom-up size and observed reach. */
export const segmentMarketRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  accounts: z.number(),
  tamMicros: z.number(),
  samMicros: z.number(),
  somMicros: z.number(),
  serviceableAccounts: z.number(),
  obtainableAccounts: z.number(),
  observedCustomers: count,
  observedRevenueMicros: z.number(),
  observedShareOfSam: observedShareSchema,
  observedShareOfSom: observedShareSchema,
});

/** `GET /api/market/size`: TAM/SAM/SOM per segment with the observed reach, and exact totals. */
export const marketSizeReportSchema = z.object({
  ...windowAnswerFields,
  segments: z.array(segmentMarketRowSchema),
  tamMicros: z.number(),
  samMicros: z.number(),
  somMicros: z.number(),
  somShareOfTam: z.number(),
  observedCustomers: count,
  observedRevenueMicros: z.number(),
});

const segmentScoresSchema = z.object({ method: z.enum(['weightedSum', 'topsis']), scores: z.array(z.number()), ranking: z.array(rankedAlternativeSchema) });

/** `POST /api/market/rank`: the same segments ranked by weighted sum and by TOPSIS, side by side. */
export const segmentRankingReportSchema = z.object({
  weights: z.object({ size: z.number(), growth: z.number(), willingnessToPay: z.number(), competition: z.number(), fit: z.number() }),
  /** The AHP analysis when the weights came from a pairwise matrix. */
  ahp: ahpResultSchema.nullable(),
  /** The attribute values scored (size = SOM in currency units). */
  segments: z.array(z.object({ id: z.string(), name: z.string(), size: z.number(), growth: z.number(), willingnessToPay: z.number(), competition: z.number(), fit: z.number() })),
  weightedSum: segmentScoresSchema,
  topsis: segmentScoresSchema,
  sensitivity: sensitivityResultSchema,
});

/** A segment as `/api` answers it. */
export type Segment = z.infer<typeof segmentSchema>;
/** `GET /api/market/size` as answered. */
export type MarketSizeReportAnswer = z.infer<typeof marketSizeReportSchema>;
/** `POST /api/market/rank` as answered. */
export type SegmentRankingAnswer = z.infer<typeof segmentRankingReportSchema>;

const tag = 'market';

/** Market positioning: segments, market size, segment ranking (admin). */
export const marketRoutes = {
  listSegments: defineRoute({ method: 'GET', url: '/api/segments', tag, access: 'admin', summary: 'List market segments', response: { 200: listOf(segmentSchema) } }),
  createSegment: defineRoute({ method: 'POST', url: '/api/segments', tag, access: 'admin', summary: 'Create a market segment', body: createSegmentSchema, response: { 201: segmentSchema } }),
  getSegment: defineRoute({ method: 'GET', url: '/api/segments/:id', tag, access: 'admin', summary: 'One market segment', params: idParams, response: { 200: segmentSchema } }),
  updateSegment: defineRoute({ method: 'PATCH', url: '/api/segments/:id', tag, access: 'admin', summary: 'Change a market segment', params: idParams, body: updateSegmentSchema, response: { 200: segmentSchema } }),
  deleteSegment: defineRoute({
    method: 'DELETE',
    url: '/api/segments/:id',
    tag,
    access: 'admin',
    summary: 'Delete a segment no customer or campaign uses (else 409 QD_REFERENCED)',
    params: idParams,
    response: { 204: noContent },
  }),
  marketSize: defineRoute({
    method: 'GET',
    url: '/api/market/size',
    tag,
    access: 'admin',
    summary: 'TAM/SAM/SOM per segment with the reach the ledger observes in the window',
    query: marketSizeQuerySchema,
    response: { 200: marketSizeReportSchema },
  }),
  rankSegments: defineRoute({
    method: 'POST',
    url: '/api/market/rank',
    // A computation that changes nothing: audited as a request, not held in a transaction while it runs.
    audit: { scope: 'request' },
    tag,
    access: 'admin',
    summary: 'Rank segments by weighted sum and TOPSIS (weights or an AHP matrix), with TOPSIS sensitivity',
    body: rankSegmentsSchema,
    response: { 200: segmentRankingReportSchema },
  }),
} as const;
