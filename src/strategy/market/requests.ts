import { z } from 'zod';
import { alternativeIdsSchema, pairwiseMatrixSchema } from '../http/bounds.js';
import { microsSchema } from '../http/request.js';
import { windowQueryFields } from '../http/window.js';

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
  annualPriceMicros: microsSchema,
  willingnessToPay: rating,
  competition: rating,
  fit: rating,
  adoptionRate: rate,
  serviceableShare: rate,
};

/** `POST /api/segments`: industry × region × company size and the facts positioning scores on. */
export const createSegmentSchema = z
  .object({ ...segmentFields, growthRate: segmentFields.growthRate.default(0), willingnessToPay: rating.default(0), competition: rating.default(0), fit: rating.default(0), adoptionRate: rate.default(0), serviceableShare: rate.default(1), annualPriceMicros: microsSchema.default(0), accounts: segmentFields.accounts.default(0) })
  .strict();

/** `PATCH /api/segments/:id`: any subset of the fields. */
export const updateSegmentSchema = z.object(segmentFields).partial().strict().refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

const weight = z.number().finite();

/** `POST /api/market/rank`: criterion weights (> 0; default equal) or an AHP matrix, and optionally which segments. */
export const rankSegmentsSchema = z
  .object({
    weights: z.object({ size: weight, growth: weight, willingnessToPay: weight, competition: weight, fit: weight }).strict().optional(),
    /** Saaty 1–9 pairwise comparison of size, growth, willingnessToPay, competition, fit (in that order), instead of `weights`. */
    pairwise: pairwiseMatrixSchema.optional(),
    segmentIds: alternativeIdsSchema.optional(),
    ...windowQueryFields,
  })
  .strict()
  .refine((v) => v.weights === undefined || v.pairwise === undefined, 'send weights or pairwise, not both');

/** `GET /api/market/size`: the window whose ledger gives the observed shares. */
export const marketSizeQuerySchema = z.object(windowQueryFields).strict();

/** Input of segment creation. */
export type CreateSegmentInput = z.infer<typeof createSegmentSchema>;
/** Input of a segment update. */
export type UpdateSegmentInput = z.infer<typeof updateSegmentSchema>;
/** Input of segment ranking. */
export type RankSegmentsInput = z.infer<typeof rankSegmentsSchema>;
