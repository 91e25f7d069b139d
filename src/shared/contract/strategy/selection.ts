import { z } from 'zod';
import { id, idParams, listOf, noContent, timestamp } from '../common.js';
import { defineRoute } from '../route.js';
import {
  ahpResultSchema, alternativeIdsSchema, boundedRecord, criterionKindSchema, pairwiseMatrixSchema, sensitivityResultSchema, STRATEGY_BOUNDS, topsisResultSchema,
} from './common.js';

const label = z.string().trim().min(1, 'must not be empty').max(120);
const kind = criterionKindSchema;
/** Scores keyed by criterion id. */
const scores = boundedRecord(z.number().finite(), STRATEGY_BOUNDS.candidateScores, 'scores');
/** A pairwise matrix as sent: arrays of numbers (at most 15 × 15); shape and reciprocity are checked by the AHP method. */
const matrix = pairwiseMatrixSchema;

/** Where a partner candidate stands. */
export const candidateStatuses = ['candidate', 'shortlisted', 'selected', 'rejected'] as const;

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
  status: z.enum(candidateStatuses),
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

/** A selection criterion. */
export const criterionSchema = z.object({ id, name: z.string(), kind, description: z.string(), position: z.number().int(), createdAt: timestamp });

/** A partner candidate with its scores keyed by criterion id. */
export const candidateSchema = z.object({
  id,
  name: z.string(),
  partnerId: z.string().nullable(),
  type: z.string(),
  region: z.string(),
  notes: z.string(),
  status: z.enum(candidateStatuses),
  createdAt: timestamp,
  scores: z.record(z.string(), z.number()),
});

/** A saved AHP matrix with its analysis; `acceptable` is CR ≤ 0.10 (ranking accepts it). */
export const savedMatrixSchema = z.object({
  id,
  name: z.string(),
  labels: z.array(z.string()),
  matrix: z.array(z.array(z.number())),
  consistencyRatio: z.number(),
  createdAt: timestamp,
  acceptable: z.boolean(),
  analysis: ahpResultSchema,
});

/** `POST /api/selection/rank`: AHP weights → TOPSIS ranking → sensitivity, with names. */
export const candidateRankingSchema = z.object({
  ahp: ahpResultSchema,
  topsis: topsisResultSchema,
  sensitivity: sensitivityResultSchema,
  criteria: z.array(z.object({ id: z.string(), name: z.string(), kind, weight: z.number() })),
  candidates: z.array(candidateSchema.pick({ id: true, name: true, partnerId: true, scores: true })),
});

/** A criterion as answered. */
export type SelectionCriterion = z.infer<typeof criterionSchema>;
/** A candidate as answered. */
export type PartnerCandidateAnswer = z.infer<typeof candidateSchema>;

const tag = 'selection';

/** Partner selection: criteria, candidates and scores, saved AHP matrices, AHP → TOPSIS ranking (admin). */
export const selectionRoutes = {
  listCriteria: defineRoute({ method: 'GET', url: '/api/selection/criteria', tag, access: 'admin', summary: 'Selection criteria in matrix order (position, name)', response: { 200: listOf(criterionSchema) } }),
  createCriterion: defineRoute({ method: 'POST', url: '/api/selection/criteria', tag, access: 'admin', summary: 'Create a selection criterion', body: createCriterionSchema, response: { 201: criterionSchema } }),
  updateCriterion: defineRoute({ method: 'PATCH', url: '/api/selection/criteria/:id', tag, access: 'admin', summary: 'Change a selection criterion', params: idParams, body: updateCriterionSchema, response: { 200: criterionSchema } }),
  deleteCriterion: defineRoute({ method: 'DELETE', url: '/api/selection/criteria/:id', tag, access: 'admin', summary: 'Delete a criterion and every score on it', params: idParams, response: { 204: noContent } }),
  listCandidates: defineRoute({ method: 'GET', url: '/api/selection/candidates', tag, access: 'admin', summary: 'Partner candidates with their scores', response: { 200: listOf(candidateSchema) } }),
  createCandidate: defineRoute({ method: 'POST', url: '/api/selection/candidates', tag, access: 'admin', summary: 'Create a partner candidate (and its scores)', body: createCandidateSchema, response: { 201: candidateSchema } }),
  getCandidate: defineRoute({ method: 'GET', url: '/api/selection/candidates/:id', tag, access: 'admin', summary: 'One partner candidate', params: idParams, response: { 200: candidateSchema } }),
  updateCandidate: defineRoute({ method: 'PATCH', url: '/api/selection/candidates/:id', tag, access: 'admin', summary: 'Change a partner candidate', params: idParams, body: updateCandidateSchema, response: { 200: candidateSchema } }),
  deleteCandidate: defineRoute({ method: 'DELETE', url: '/api/selection/candidates/:id', tag, access: 'admin', summary: 'Delete a candidate and its scores', params: idParams, response: { 204: noContent } }),
  setScores: defineRoute({ method: 'PUT', url: '/api/selection/candidates/:id/scores', tag, access: 'admin', summary: "Set a candidate's scores on the given criteria", params: idParams, body: setScoresSchema, response: { 200: candidateSchema } }),
  listMatrices: defineRoute({ method: 'GET', url: '/api/selection/matrices', tag, access: 'admin', summary: 'Saved AHP matrices with their analysis', response: { 200: listOf(savedMatrixSchema) } }),
  saveMatrix: defineRoute({
    method: 'POST',
    url: '/api/selection/matrices',
    tag,
    access: 'admin',
    summary: 'Save a pairwise matrix over criteria (400 QD_AHP_INVALID_MATRIX when malformed)',
    body: saveMatrixSchema,
    response: { 201: savedMatrixSchema },
  }),
  getMatrix: defineRoute({ method: 'GET', url: '/api/selection/matrices/:id', tag, access: 'admin', summary: 'One saved AHP matrix', params: idParams, response: { 200: savedMatrixSchema } }),
  deleteMatrix: defineRoute({ method: 'DELETE', url: '/api/selection/matrices/:id', tag, access: 'admin', summary: 'Delete a saved AHP matrix', params: idParams, response: { 204: noContent } }),
  rankCandidates: defineRoute({
    method: 'POST',
    url: '/api/selection/rank',
    // A computation that changes nothing: audited as a request, not held in a transaction while it runs.
    audit: { scope: 'request' },
    tag,
    access: 'admin',
    summary: 'Rank candidates: AHP weights, TOPSIS, sensitivity (422 QD_AHP_INCONSISTENT when CR > 0.10)',
    body: rankCandidatesSchema,
    response: { 200: candidateRankingSchema },
  }),
} as const;
