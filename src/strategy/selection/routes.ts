import type { FastifyInstance } from 'fastify';
import { adminRoutes, parseInput, routeParam } from '../http/request.js';
import type { CandidateService } from './candidate-service.js';
import { createCandidateSchema, createCriterionSchema, rankCandidatesSchema, saveMatrixSchema, setScoresSchema, updateCandidateSchema, updateCriterionSchema } from './requests.js';
import type { SelectionService } from './selection-service.js';

/**
 * Partner selection (admin only).
 *
 *   GET  /api/selection/criteria            → { data: Criterion[] } (matrix order: position, name)
 *   POST /api/selection/criteria            { name, kind: 'benefit'|'cost', description?, position? } → 201 Criterion
 *   PATCH/DELETE /api/selection/criteria/:id
 *   GET  /api/selection/candidates          → { data: Candidate[] } (each with scores { criterionId: score })
 *   POST /api/selection/candidates          { name, partnerId?, type?, region?, notes?, status?, scores? } → 201 Candidate
 *   GET/PATCH/DELETE /api/selection/candidates/:id
 *   PUT  /api/selection/candidates/:id/scores   { scores: { criterionId: score } } → Candidate
 *   GET  /api/selection/matrices            → { data: SavedAhpMatrix[] } (each with its AHP analysis and `acceptable`)
 *   POST /api/selection/matrices            { name, labels: criterionId[], matrix: number[][] } → 201 SavedAhpMatrix
 *                                           (400 QD_AHP_INVALID_MATRIX when not square/positive/reciprocal)
 *   GET/DELETE /api/selection/matrices/:id
 *   POST /api/selection/rank                { matrixId | matrix, candidateIds?, maxConsistencyRatio? }
 *                                           → CandidateRanking { criteria (with AHP weights), candidates, ahp, topsis, sensitivity }
 *                                           (422 QD_AHP_INCONSISTENT naming the worst judgements when CR > 0.10)
 */
export function selectionRoutes(app: FastifyInstance, s: { candidates: CandidateService; selection: SelectionService }): void {
  adminRoutes(app, (r) => {
    r.get('/api/selection/criteria', async () => ({ data: await s.candidates.listCriteria() }));
    r.post('/api/selection/criteria', async (req, reply) => reply.code(201).send(await s.candidates.createCriterion(parseInput(createCriterionSchema, req.body))));
    r.patch('/api/selection/criteria/:id', async (req) => s.candidates.updateCriterion(routeParam(req), parseInput(updateCriterionSchema, req.body)));
    r.delete('/api/selection/criteria/:id', async (req, reply) => {
      await s.candidates.deleteCriterion(routeParam(req));
      return reply.code(204).send();
    });
    r.get('/api/selection/candidates', async () => ({ data: await s.candidates.listCandidates() }));
    r.post('/api/selection/candidates', async (req, reply) => reply.code(201).send(await s.candidates.createCandidate(parseInput(createCandidateSchema, req.body))));
    r.get('/api/selection/candidates/:id', async (req) => s.candidates.getCandidate(routeParam(req)));
    r.patch('/api/selection/candidates/:id', async (req) => s.candidates.updateCandidate(routeParam(req), parseInput(updateCandidateSchema, req.body)));
    r.delete('/api/selection/candidates/:id', async (req, reply) => {
      await s.candidates.deleteCandidate(routeParam(req));
      return reply.code(204).send();
    });
    r.put('/api/selection/candidates/:id/scores', async (req) => s.candidates.setScores(routeParam(req), parseInput(setScoresSchema, req.body).scores));
    r.get('/api/selection/matrices', async () => ({ data: await s.selection.listMatrices() }));
    r.post('/api/selection/matrices', async (req, reply) => reply.code(201).send(await s.selection.saveMatrix(parseInput(saveMatrixSchema, req.body))));
    r.get('/api/selection/matrices/:id', async (req) => s.selection.getMatrix(routeParam(req)));
    r.delete('/api/selection/matrices/:id', async (req, reply) => {
      await s.selection.deleteMatrix(routeParam(req));
      return reply.code(204).send();
    });
    r.post('/api/selection/rank', async (req) => s.selection.rank(parseInput(rankCandidatesSchema, req.body)));
  });
}
