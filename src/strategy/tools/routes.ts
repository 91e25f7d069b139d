import type { FastifyInstance } from 'fastify';
import type { MethodPool } from '../compute/method-pool.js';
import { analysePairwiseMatrix } from '../methods/index.js';
import { adminRoutes, parseInput } from '../http/request.js';
import { allocateDirectSchema } from '../promotion/requests.js';
import { analyseAhpSchema, topsisSchema } from '../selection/requests.js';

/**
 * The strategy methods as stateless tools over data sent in the request (admin only), for the dashboard's
 * AHP/TOPSIS and budget tools. Nothing is read from or written to the store. TOPSIS (with its weight
 * sensitivity) and the allocator run in the method pool's worker threads, off the event loop; the AHP of a
 * matrix of at most 15 × 15 takes about a millisecond and runs in place. Input sizes are bounded (see
 * http/bounds.ts: 15 criteria, 100 alternatives, 200 channels; larger is 400 QD_INVALID_REQUEST naming the field).
 *
 *   POST /api/strategy/ahp       { matrix: number[][], labels?: string[] }
 *                                → AhpResult { weights, lambdaMax, consistencyIndex, randomIndex, consistencyRatio, mostInconsistent } + acceptable
 *                                (400 QD_AHP_INVALID_MATRIX when not square, positive, reciprocal)
 *   POST /api/strategy/topsis    { criteria: [{ id, weight, kind }], alternatives: [{ id, scores }] }
 *                                → { topsis: TopsisResult, weightedSum: WeightedSumResult, sensitivity: SensitivityResult }
 *   POST /api/strategy/allocate  { totalBudgetMicros, channels: [{ channelId, curve, marginPerOutcomeMicros, minSpendMicros?, maxSpendMicros? }], spendAll? }
 *                                → BudgetAllocation
 */
export function strategyToolRoutes(app: FastifyInstance, methods: MethodPool): void {
  adminRoutes(app, (r) => {
    r.post('/api/strategy/ahp', async (req) => {
      const input = parseInput(analyseAhpSchema, req.body);
      const result = analysePairwiseMatrix(input.matrix, input.labels === undefined ? {} : { labels: input.labels });
      return { ...result, acceptable: result.consistencyRatio <= 0.1 };
    });
    r.post('/api/strategy/topsis', async (req) => {
      const problem = parseInput(topsisSchema, req.body);
      return methods.run('decideByTopsis', problem);
    });
    r.post('/api/strategy/allocate', async (req) => {
      const input = parseInput(allocateDirectSchema, req.body);
      return methods.run('allocateBudget', input.totalBudgetMicros, input.channels, { spendAll: input.spendAll });
    });
  });
}
