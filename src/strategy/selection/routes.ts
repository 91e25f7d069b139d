import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { selectionRoutes as api } from '../../shared/contract/strategy/selection.js';
import type { CandidateService } from './candidate-service.js';
import type { SelectionService } from './selection-service.js';

/**
 * Partner selection (contracts in src/shared/contract/strategy/selection.ts): criteria, candidates and their
 * scores, saved AHP matrices, and the AHP → TOPSIS → sensitivity ranking.
 */
export function selectionRoutes(app: FastifyInstance, s: { candidates: CandidateService; selection: SelectionService }): void {
  route(app, api.listCriteria, async () => ({ data: await s.candidates.listCriteria() }));
  route(app, api.createCriterion, async (req) => s.candidates.createCriterion(req.body));
  route(app, api.updateCriterion, async (req) => s.candidates.updateCriterion(req.params.id, req.body));
  route(app, api.deleteCriterion, async (req) => s.candidates.deleteCriterion(req.params.id));
  route(app, api.listCandidates, async () => ({ data: await s.candidates.listCandidates() }));
  route(app, api.createCandidate, async (req) => s.candidates.createCandidate(req.body));
  route(app, api.getCandidate, async (req) => s.candidates.getCandidate(req.params.id));
  route(app, api.updateCandidate, async (req) => s.candidates.updateCandidate(req.params.id, req.body));
  route(app, api.deleteCandidate, async (req) => s.candidates.deleteCandidate(req.params.id));
  route(app, api.setScores, async (req) => s.candidates.setScores(req.params.id, req.body.scores));
  route(app, api.listMatrices, async () => ({ data: await s.selection.listMatrices() }));
  route(app, api.saveMatrix, async (req) => s.selection.saveMatrix(req.body));
  route(app, api.getMatrix, async (req) => s.selection.getMatrix(req.params.id));
  route(app, api.deleteMatrix, async (req) => s.selection.deleteMatrix(req.params.id));
  route(app, api.rankCandidates, async (req) => s.selection.rank(req.body));
}
