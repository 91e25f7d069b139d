import type { FastifyInstance } from 'fastify';
import { route } from '../server/http/index.js';
import { analyticsRoutes as api } from '../shared/contract/analytics.js';
import type { AnalyticsService } from './service.js';

/**
 * The analytics API (admin only; contracts in src/shared/contract/analytics.ts):
 *
 *   GET  /api/analytics/overview     ?from=YYYY-MM&to=YYYY-MM   the four advantages per month (rollups only)
 *   GET  /api/analytics/coverage     ?from&to&groupBy=channel|partner|segment|campaign|region|all
 *   GET  /api/analytics/stickiness   same filters: cohort retention, DAU/MAU, NRR, churn
 *   GET  /api/analytics/cost         same filters: serving cost, margin, CAC, LTV/CAC, payback
 *   GET  /api/analytics/brand        same filters: reach, signup sources, partner-influenced revenue
 *   GET  /api/analytics/usage        ?from=YYYY-MM-DD&to=YYYY-MM-DD&customerId   usage per day from the rollups
 *   POST /api/analytics/refresh      count new ledger rows into the rollups now
 */
export function analyticsRoutes(app: FastifyInstance, analytics: AnalyticsService): void {
  route(app, api.overview, async (req) => analytics.overview(req.query));
  route(app, api.coverage, async (req) => analytics.coverage(req.query));
  route(app, api.stickiness, async (req) => analytics.stickiness(req.query));
  route(app, api.cost, async (req) => analytics.cost(req.query));
  route(app, api.brand, async (req) => analytics.brand(req.query));
  route(app, api.usage, async (req) => analytics.dailyUsage(req.query));
  route(app, api.refresh, async () => analytics.refresh());
}
