import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AnalyticsService, GroupedQuery } from './service.js';

/** Checks the caller may read analytics (the server passes its `requireAdmin`); throws to refuse. */
export type AnalyticsGuard = (request: FastifyRequest) => void;

/** Reads the `from`, `to` and `groupBy` query parameters (anything else is ignored). */
function groupedQuery(request: FastifyRequest): GroupedQuery {
  const q = (request.query ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return { from: text(q.from), to: text(q.to), groupBy: text(q.groupBy) };
}

/**
 * The analytics API (admin only):
 *
 *   GET  /api/analytics/overview     ?from=YYYY-MM&to=YYYY-MM   the four advantages per month (rollups only)
 *   GET  /api/analytics/coverage     ?from&to&groupBy=channel|partner|segment|campaign|region|all
 *   GET  /api/analytics/stickiness   same filters: cohort retention, DAU/MAU, NRR, churn
 *   GET  /api/analytics/cost         same filters: serving cost, margin, CAC, LTV/CAC, payback
 *   GET  /api/analytics/brand        same filters: reach, signup sources, partner-influenced revenue
 *   GET  /api/analytics/usage        ?from=YYYY-MM-DD&to=YYYY-MM-DD&customerId   usage per day from the rollups
 *   POST /api/analytics/refresh      count new ledger rows into the rollups now
 */
export function analyticsRoutes(app: FastifyInstance, analytics: AnalyticsService, guard: AnalyticsGuard): void {
  app.get('/api/analytics/overview', async (request) => {
    guard(request);
    const { from, to } = groupedQuery(request);
    return analytics.overview({ from, to });
  });
  const reports = { coverage: 'coverage', stickiness: 'stickiness', cost: 'cost', brand: 'brand' } as const;
  for (const name of Object.values(reports)) {
    app.get(`/api/analytics/${name}`, async (request) => {
      guard(request);
      return analytics[name](groupedQuery(request));
    });
  }
  app.get('/api/analytics/usage', async (request) => {
    guard(request);
    const { from, to } = groupedQuery(request);
    const q = (request.query ?? {}) as Record<string, unknown>;
    return analytics.dailyUsage({ from, to, customerId: typeof q.customerId === 'string' && q.customerId !== '' ? q.customerId : undefined });
  });
  app.post('/api/analytics/refresh', async (request) => {
    guard(request);
    return analytics.refresh();
  });
}
