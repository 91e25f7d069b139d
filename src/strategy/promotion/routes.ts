import type { FastifyInstance } from 'fastify';
import { adminRoutes, parseInput } from '../http/request.js';
import { resolveWindow } from '../http/window.js';
import type { EconomicsService } from './economics-service.js';
import { allocateSchema, curvesQuerySchema, economicsQuerySchema } from './requests.js';
import type { ResponseService } from './response-service.js';

/**
 * Promotion channel selection (admin only). Windows `[from, to)` default to the last 365 days.
 *
 *   GET  /api/promotion/economics   ?from&to&monthlyChurn=0.05&horizonMonths=36
 *                                   → { from, to, assumptions, channels: [{ promotionChannel, spendMicros, reach, clicks, signups,
 *                                       activatedCustomers, revenueMicros, costToServeMicros, arpaMicros, grossMargin,
 *                                       economics: { cacMicros, ltvMicros, ltvToCac, paybackMonths, conversion, ... } }] }
 *   GET  /api/promotion/curves      ?from&to&model=negativeExponential|hill&outcome=activated|signups
 *                                   → { channels: [{ promotionChannel, observations: [{ month, spendMicros, outcome }], curve | null, error | null }] }
 *   POST /api/promotion/allocate    { totalBudgetMicros, channels: [{ promotionChannel, minSpendMicros?, maxSpendMicros?, curve?, marginPerOutcomeMicros? }],
 *                                     spendAll?, model?, outcome?, from?, to?, monthlyChurn?, horizonMonths? }
 *                                   → { spentMicros, contributionMicros, shadowPrice, budgetBinding,
 *                                       channels: [{ channelId, spendMicros, expectedOutcome, contributionMicros, marginalReturn, atBound }], inputs }
 *                                   (422 QD_BUDGET_INFEASIBLE, 422 QD_FIT_DEGENERATE naming the channel)
 */
export function promotionRoutes(app: FastifyInstance, s: { economics: EconomicsService; response: ResponseService }): void {
  adminRoutes(app, (r) => {
    r.get('/api/promotion/economics', async (req) => {
      const q = parseInput(economicsQuerySchema, req.query, 'query');
      return s.economics.economics(resolveWindow(q), { monthlyChurn: q.monthlyChurn, horizonMonths: q.horizonMonths });
    });
    r.get('/api/promotion/curves', async (req) => {
      const q = parseInput(curvesQuerySchema, req.query, 'query');
      return s.response.curves(resolveWindow(q), q.model, q.outcome);
    });
    r.post('/api/promotion/allocate', async (req) => {
      const input = parseInput(allocateSchema, req.body);
      return s.response.allocate(resolveWindow(input), input);
    });
  });
}
