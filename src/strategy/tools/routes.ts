import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { strategyToolRoutes as api } from '../../shared/contract/strategy/tools.js';
import { analysePairwiseMatrix } from '../../shared/methods/index.js';
import type { MethodPool } from '../compute/method-pool.js';

/**
 * The strategy methods as stateless tools over data sent in the request (contracts in
 * src/shared/contract/strategy/tools.ts), for the dashboard's AHP/TOPSIS and budget tools. Nothing is read
 * from or written to the store. TOPSIS (with its weight sensitivity) and the allocator run in the method
 * pool's worker threads, off the event loop; the AHP of a matrix of at most 15 × 15 takes about a
 * millisecond and runs in place. Input sizes are bounded (STRATEGY_BOUNDS in the contract: 15 criteria,
 * 100 alternatives, 200 channels; larger is 400 QD_INVALID_REQUEST naming the field).
 */
export function strategyToolRoutes(app: FastifyInstance, methods: MethodPool): void {
  route(app, api.ahp, async (req) => {
    const input = req.body;
    const result = analysePairwiseMatrix(input.matrix, input.labels === undefined ? {} : { labels: input.labels });
    return { ...result, acceptable: result.consistencyRatio <= 0.1 };
  });
  route(app, api.topsis, async (req) => methods.run('decideByTopsis', req.body));
  route(app, api.allocateBudget, async (req) => methods.run('allocateBudget', req.body.totalBudgetMicros, req.body.channels, { spendAll: req.body.spendAll }));
}
