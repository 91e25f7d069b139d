import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../test/support/stores.js';
import { schema } from '../store/index.js';
import { fixtureEvents, ledgerRow, seedFixtureCrm } from './analytics.fixture.js';
import { AnalyticsService } from './service.js';

const range = { from: '2026-01', to: '2026-03' };

/**
 * Guardrail lines of the ledger (endpoint `guardrail`: no tokens, price 0, the check's cost) on days with
 * requests and on a day without any (c2 pauses in February: a refused request is all it has then).
 */
const lines = [
  { customer: 'c1', at: '2026-01-05T10:00:01Z', cost: 7, status: 'flag' },
  { customer: 'c2', at: '2026-02-15T10:00:00Z', cost: 11, status: 'refuse' },
  { customer: 'c3', at: '2026-02-04T10:00:02Z', cost: 0, status: 'redact' },
  { customer: 'c5', at: '2026-03-20T10:00:00Z', cost: 5, status: 'pass' },
] as const;

/** Everything a KPI report says except what depends on the cost to serve. */
function withoutCost(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutCost);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => !/cost|margin|profit|ltv|payback/i.test(k)).map(([k, v]) => [k, withoutCost(v)]));
}

describe('guardrail lines in the ledger change no KPI but the cost', () => {
  let plain: TestStore;
  let guarded: TestStore;
  let a: AnalyticsService;
  let b: AnalyticsService;
  beforeAll(async () => {
    [plain, guarded] = await Promise.all([openTestStore('pglite'), openTestStore('pglite')]);
    for (const t of [plain, guarded]) {
      await seedFixtureCrm(t.store);
      await t.store.db.insert(schema.usageEvents).values(fixtureEvents.map((e, i) => ledgerRow(e, `req_${i}`)));
    }
    await guarded.store.db.insert(schema.usageEvents).values(
      lines.map((l, i) => {
        const base = ledgerRow({ customer: l.customer, at: l.at, tokens: [0, 0], cost: l.cost, price: 0 }, `req_g${i}:guardrail:grd_${i}`);
        return { ...base, endpoint: 'guardrail', status: l.status, httpStatus: l.status === 'refuse' ? 400 : 200 };
      }),
    );
    a = new AnalyticsService(plain.store);
    b = new AnalyticsService(guarded.store);
    await a.refresh({ batchSize: 3 });
    await b.refresh({ batchSize: 3 });
  });
  afterAll(async () => {
    await Promise.all([plain?.dispose(), guarded?.dispose()]);
  });

  it('the overview (rollups and raw ledger) is the same apart from the cost, which grows by the lines\' cost', async () => {
    for (const source of ['rollups', 'ledger'] as const) {
      const [without, withLines] = [(await a.overview(range, source)).months, (await b.overview(range, source)).months];
      expect(withoutCost(withLines)).toEqual(withoutCost(without));
      const added = [7, 11, 5];
      withLines.forEach((m, i) => expect(m.cost.costMicros - without[i]!.cost.costMicros).toBe(added[i]));
    }
  });

  it('the grouped reports and the daily usage count the same requests, customers and tokens', async () => {
    for (const groupBy of ['all', 'channel', 'partner', 'segment', 'campaign', 'region'] as const) {
      const q = { ...range, groupBy };
      expect(await b.coverage(q)).toEqual(await a.coverage(q));
      expect(await b.stickiness(q)).toEqual(await a.stickiness(q));
      expect(await b.brand(q)).toEqual(await a.brand(q));
      expect(withoutCost(await b.cost(q))).toEqual(withoutCost(await a.cost(q)));
    }
    const days = { from: '2026-01-01', to: '2026-03-31' };
    expect(withoutCost(await b.dailyUsage(days))).toEqual(withoutCost(await a.dailyUsage(days)));
  });
});
