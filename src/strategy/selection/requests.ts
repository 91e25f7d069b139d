import { z } from 'zod';
import { alternativeIdsSchema, boundedRecord, pairwiseMatrixSchema, STRATEGY_BOUNDS } from '../http/bounds.js';

const label = z.string().trim().min(1, 'must not be empty').max(120);
const kind = z.enum(['benefit', 'cost']);
/** Scores keyed by criterion id. */
const scores = boundedRecord(z.number().finite(), STRATEGY_BOUNDS.candidateScores, 'scores');
/** A pairwise matrix as sent: arrays of numbers (at most 15 × 15); shape and reciprocity are checked by the AHP method. */
const matrix = pairwiseMatrixSchema;

/** `POST /api/selection/criteria`. */
export const createCriterionSchema = z.object({ name: label, kind, description: z.string().max(500).default(''), position: z.number().int().default(0) }).strict();
/** `PATCH /api/selection/criteria/:id`. */
export const updateCriterionSchema = z
  .object({ name: label, kind, description: z.string().max(500), position: z.number().int() })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');

const candidateFields = {
  name: label,
  partnerId: z.string().min(1).nullable(),
  type: z.string().max(60),
  region: z.string().max(60),
  notes: z.string().max(2000),
  status: z.enum(['candidate', 'shortlisted', 'selected', 'rejected']),
};

/** `POST /api/selection/candidates`: a candidate with optional scores `{ criterionId: score }`. */
export const createCandidateSchema = z.object({ ...candidateFields, scores }).partial().required({ name: true }).strict();
/** `PATCH /api/selection/candidates/:id`. */
export const updateCandidateSchema = z.object(candidateFields).partial().strict().refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
/** `PUT /api/selection/candidates/:id/scores`: sets the given criteria's scores (others stay). */
export const setScoresSchema = z.object({ scores }).strict();

/** `POST /api/selection/matrices`: a saved pairwise comparison over criterion ids (row order = `labels`). */
export const saveMatrixSchema = z.object({ name: label, labels: z.array(z.string().min(1)).min(1).max(STRATEGY_BOUNDS.criteria), matrix }).strict();

/** `POST /api/selection/rank`: AHP weights (a saved matrix, or one sent now over the criteria in position order) → TOPSIS. */
export const rankCandidatesSchema = z
  .object({
    matrixId: z.string().min(1).optional(),
    matrix: matrix.optional(),
    candidateIds: alternativeIdsSchema.optional(),
    maxConsistencyRatio: z.number().positive().max(1).optional(),
  })
  .strict()
  .refine((v) => (v.matrixId === undefined) !== (v.matrix === undefined), 'send exactly one of matrixId and matrix');

/** `POST /api/strategy/ahp`: analyse a pairwise matrix without saving or refusing it. */
export const analyseAhpSchema = z.object({ matrix, labels: z.array(z.string()).max(STRATEGY_BOUNDS.criteria).optional() }).strict();

/** `POST /api/strategy/topsis`: a decision matrix sent as data. */
export const topsisSchema = z
  .object({
    criteria: z.array(z.object({ id: z.string().min(1), weight: z.number(), kind }).strict()).max(STRATEGY_BOUNDS.criteria),
    alternatives: z.array(z.object({ id: z.string().min(1), scores: z.array(z.number()).max(STRATEGY_BOUNDS.criteria) }).strict()).max(STRATEGY_BOUNDS.alternatives),
  })
  .strict();

/** Input of criterion creation. */
export type CreateCriterionInput = z.infer<typeof createCriterionSchema>;
/** Input of a criterion update. */
export type UpdateCriterionInput = z.infer<typeof updateCriterionSchema>;
/** Input of candidate creation. */
export type CreateCandidateInput = z.infer<typeof createCandidateSchema>;
/** Input of a candidate update. */
export type UpdateCandidateInput = z.infer<typeof updateCandidateSchema>;
/** Input of saving an AHP matrix. */
export type SaveMatrixInput = z.infer<typeof saveMatrixSchema>;
/** Input of candidate ranking. */
export type RankCandidatesInput = z.infer<typeof rankCandidatesSchema>;
