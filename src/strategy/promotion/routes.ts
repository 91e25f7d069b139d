import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { promotionRoutes as api } from '../../shared/contract/strategy/promotion.js';
import { resolveWindow } from '../window.js';
import type { EconomicsService } from './economics-service.js';
import type { ResponseService } from './response-service.js';

/**
 * Promotion channel selection (contracts in src/shared/contract/strategy/promotion.ts): unit economics,
 * response curves and budget allocation over the ledger. Windows `[from, to)` default to the last 365 days.
 */
export function promotionRoutes(app: FastifyInstance, s: { economics: EconomicsService; response: ResponseService }): void {
  route(app, api.economics, async (req) => s.economics.economics(resolveWindow(req.query), { monthlyChurn: req.query.monthlyChurn, horizonMonths: req.query.horizonMonths }));
  route(app, api.curves, async (req) => s.response.curves(resolveWindow(req.query), req.query.model, req.query.outcome));
  route(app, api.allocate, async (req) => s.response.allocate(resolveWindow(req.body), req.body));
}
