import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AdminTokens } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config/index.js';
import { buildServer, createMetrics } from '../../src/server/index.js';
import { migrate, openPglite, schema, type Store } from '../../src/store/index.js';
import { fixtureEvents, ledgerRow, seedFixtureCrm } from '../../src/analytics/analytics.fixture.js';
import { AnalyticsService } from '../../src/analytics/index.js';

const ADMIN = 'qd_admin_analytics_test_0123456789';

describe('analytics API', () => {
  let store: Store;
  let app: FastifyInstance;
  const get = (url: string, token?: string) => app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  beforeAll(async () => {
    store = await openPglite('memory://');
    await migrate(store);
    await seedFixtureCrm(store);
    await store.db.insert(schema.usageEvents).values(fixtureEvents.map((e, i) => ledgerRow(e, `req_${i}`)));
    const adminTokens = new AdminTokens(store);
    await adminTokens.ensure(ADMIN);
    const config = loadConfig({ env: { QUDAO_LOG_LEVEL: 'silent' } });
    app = await buildServer({ config, store, adminTokens, metrics: createMetrics(), version: 'test', startedAt: new Date(), analytics: new AnalyticsService(store) });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it.each(['/api/analytics/overview', '/api/analytics/coverage', '/api/analytics/stickiness', '/api/analytics/cost', '/api/analytics/brand', '/api/analytics/usage'])('refuses %s without the admin token (401)', async (url) => {
    const res = await get(url);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'QD_UNAUTHENTICATED' } });
    expect((await get(url, 'qd_admin_wrong_token_000000000000')).statusCode).toBe(401);
  });

  it('refreshes the rollups and answers the overview and grouped reports for an admin', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/analytics/refresh' })).statusCode).toBe(401);
    const refreshed = await app.inject({ method: 'POST', url: '/api/analytics/refresh', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(refreshed.json()).toMatchObject({ rows: fixtureEvents.length, busy: false });
    const overview = await get('/api/analytics/overview?from=2026-01&to=2026-03', ADMIN);
    expect(overview.statusCode).toBe(200);
    expect(overview.json().months.map((m: { coverage: { activeCustomers: number } }) => m.coverage.activeCustomers)).toEqual([2, 3, 4]);
    const byDefault = await get('/api/analytics/overview', ADMIN);
    expect(byDefault.json().range).toEqual({ from: '2025-04', to: '2026-03' });
    const cost = await get('/api/analytics/cost?from=2026-02&to=2026-02&groupBy=channel', ADMIN);
    expect(cost.statusCode).toBe(200);
    expect(cost.json().acquisition.find((r: { key: string }) => r.key === 'ch_direct')).toMatchObject({ newCustomers: 1, spendMicros: 500_000 });
  });

  it('answers usage per day of a range from the rollups, days without usage as zeros', async () => {
    await app.inject({ method: 'POST', url: '/api/analytics/refresh', headers: { authorization: `Bearer ${ADMIN}` } });
    const res = await get('/api/analytics/usage?from=2026-03-01&to=2026-03-03', ADMIN);
    expect(res.statusCode).toBe(200);
    // 1 March: c5 (500 + 500 tokens, 1,000 charged, 200 to serve). 2 March: c2 (2,000 + 2,000, 6,000, 800) and c5 again.
    expect(res.json()).toEqual({
      range: { from: '2026-03-01', to: '2026-03-03' }, customerId: null,
      days: [
        { day: '2026-03-01', requests: 1, promptTokens: 500, completionTokens: 500, costMicros: 200, priceMicros: 1_000 },
        { day: '2026-03-02', requests: 2, promptTokens: 2_500, completionTokens: 2_500, costMicros: 1_000, priceMicros: 7_000 },
        { day: '2026-03-03', requests: 0, promptTokens: 0, completionTokens: 0, costMicros: 0, priceMicros: 0 },
      ],
      totals: { requests: 3, promptTokens: 3_000, completionTokens: 3_000, costMicros: 1_200, priceMicros: 8_000 },
    });
    const one = (await get('/api/analytics/usage?from=2026-03-01&to=2026-03-03&customerId=c5', ADMIN)).json();
    expect(one.days.map((d: { requests: number }) => d.requests)).toEqual([1, 1, 0]);
  });

  it.each([
    ['/api/analytics/usage?from=2026-02-30', 'from'],
    ['/api/analytics/usage?from=2026-03-05&to=2026-03-01', 'from'],
    ['/api/analytics/usage?from=2020-01-01&to=2026-03-01', 'from'],
    ['/api/analytics/coverage?groupBy=planet', 'groupBy'],
    ['/api/analytics/overview?from=2026-13', 'from'],
    ['/api/analytics/brand?from=2026-03&to=2026-01', 'from'],
  ])('rejects %s as QD_INVALID_REQUEST naming %s', async (url, param) => {
    const res = await get(url, ADMIN);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'QD_INVALID_REQUEST', param } });
  });
});
