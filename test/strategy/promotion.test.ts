import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AllocationReport, PromotionEconomicsReport, ResponseCurvesReport } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import { DAY, seedCustomer, seedUsage, strategyHarness, type StrategyHarness } from './support.js';

const M = 1_000_000;
const FROM = '2026-01-01T00:00:00Z';
const TO = '2026-04-01T00:00:00Z';
const MONTH_MS = 30.4375 * DAY;
const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

/**
 * search_ads: spend 1,000 / 2,000 / 3,000 in Jan / Feb / Mar.
 *   P1 acquired Jan 15 (first touch search_ads), revenue 300, cost 60 → activated
 *   P2 acquired Feb 10, first touch social then search_ads → a social customer; revenue 200, cost 100
 *   P3 acquired Mar 1 (search_ads), no revenue → signed up, not activated
 *   P4 acquired Mar 20 (search_ads), revenue 100, cost 20 → activated
 *   one anonymous search_ads click
 */
async function seedPromotion(h: StrategyHarness): Promise<void> {
  for (const [month, units] of [['01', 1000], ['02', 2000], ['03', 3000]] as const) {
    expect((await h.api('POST', '/api/spend', { promotionChannel: 'search_ads', amountMicros: units * M, spentOn: `2026-${month}-05T00:00:00Z` })).status).toBe(201);
  }
  const customer = async (name: string, acquired: string, touches: [string, string][], revenue: number, cost: number, usageOn: string) => {
    const id = await seedCustomer(h.store, { name, acquiredAt: d(acquired) });
    for (const [channel, on] of touches) await h.api('POST', '/api/touchpoints', { visitorId: `visitor_${name}`, kind: 'click', promotionChannel: channel, occurredAt: d(on).toISOString() });
    await h.api('POST', '/api/touchpoints/identify', { visitorId: `visitor_${name}`, customerId: id });
    if (revenue > 0) await seedUsage(h.store, id, d(usageOn), revenue * M, cost * M);
  };
  await customer('p1', '2026-01-15', [['search_ads', '2026-01-14']], 300, 60, '2026-02-01');
  await customer('p2', '2026-02-10', [['social', '2026-02-01'], ['search_ads', '2026-02-09']], 200, 100, '2026-02-20');
  await customer('p3', '2026-03-01', [['search_ads', '2026-02-28']], 0, 0, '');
  await customer('p4', '2026-03-20', [['search_ads', '2026-03-19']], 100, 20, '2026-03-25');
  await h.api('POST', '/api/touchpoints', { visitorId: 'visitor_anon', kind: 'click', promotionChannel: 'search_ads', occurredAt: d('2026-03-02').toISOString() });
}

describe.each(storeKinds)('promotion channel economics, response curves and budget allocation (%s)', (kind) => {
  let h: StrategyHarness;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
    await seedPromotion(h);
  });
  afterAll(async () => h?.dispose());

  it('measures spend, reach, signups, activation, revenue, CAC, LTV/CAC and payback from the ledger', async ({ skip }) => {
    if (!h) skip();
    const r = (await h.api<PromotionEconomicsReport>('GET', `/api/promotion/economics?from=${FROM}&to=${TO}&monthlyChurn=0.05&horizonMonths=36`)).json;
    const search = r.channels.find((c) => c.promotionChannel === 'search_ads')!;
    expect(search).toMatchObject({ spendMicros: 6000 * M, reach: 5, clicks: 5, signups: 3, activatedCustomers: 2, revenueMicros: 400 * M, costToServeMicros: 80 * M, grossMargin: 0.8 });
    // Customer-months: P1 from Jan 15 to Apr 1 (76 days), P4 twelve days but at least one month.
    const customerMonths = (76 * DAY) / MONTH_MS + 1;
    const arpa = Math.round((400 * M) / customerMonths);
    const ltv = Math.round(arpa * 0.8 * ((1 - 0.95 ** 36) / 0.05));
    expect(search.arpaMicros).toBe(arpa);
    expect(search.economics).toMatchObject({ cacMicros: 3000 * M, ltvMicros: ltv });
    expect(search.economics.ltvToCac).toBeCloseTo(ltv / (3000 * M), 12);
    expect(search.economics.paybackMonths).toBeCloseTo((3000 * M) / (arpa * 0.8), 9);
    expect(search.economics.conversion!.map((c) => c.count)).toEqual([5, 3, 2]);
    const social = r.channels.find((c) => c.promotionChannel === 'social')!;
    expect(social).toMatchObject({ spendMicros: 0, signups: 1, activatedCustomers: 1, revenueMicros: 200 * M, grossMargin: 0.5 });
  });

  it('gives the monthly history per channel and says why a curve cannot be fitted', async ({ skip }) => {
    if (!h) skip();
    const r = (await h.api<ResponseCurvesReport>('GET', `/api/promotion/curves?from=${FROM}&to=${TO}&outcome=activated`)).json;
    const search = r.channels.find((c) => c.promotionChannel === 'search_ads')!;
    expect(search.observations).toEqual([
      { month: '2026-01', spendMicros: 1000 * M, outcome: 1 },
      { month: '2026-02', spendMicros: 2000 * M, outcome: 0 },
      { month: '2026-03', spendMicros: 3000 * M, outcome: 1 },
    ]);
    const social = r.channels.find((c) => c.promotionChannel === 'social')!;
    expect(social.curve).toBeNull();
    expect(social.error).toMatchObject({ code: 'QD_FIT_DEGENERATE' });
  });

  it('allocates to equal marginal returns, as the closed-form KKT solution for exponential curves', async ({ skip }) => {
    if (!h) skip();
    // f_i(x) = a_i (1 − e^{−b_i x}); margin m_i per outcome. Interior optimum: m_i a_i b_i e^{−b_i x_i} = μ with
    // Σ x_i = T, so ln μ = (Σ ln(m_i a_i b_i)/b_i − T) / Σ 1/b_i.
    const channels = [
      { promotionChannel: 'search_ads', curve: { model: 'negativeExponential', params: { a: 100, b: 1 / (2000 * M) } }, marginPerOutcomeMicros: 500 * M },
      { promotionChannel: 'events', curve: { model: 'negativeExponential', params: { a: 50, b: 1 / (1000 * M) } }, marginPerOutcomeMicros: 800 * M },
    ];
    const total = 3000 * M;
    const k = channels.map((c) => (c.marginPerOutcomeMicros * c.curve.params.a * c.curve.params.b));
    const invB = channels.map((c) => 1 / c.curve.params.b);
    const mu = Math.exp((k.reduce((s, ki, i) => s + Math.log(ki) * invB[i]!, 0) - total) / invB.reduce((a, b) => a + b, 0));
    const r = await h.api<AllocationReport>('POST', '/api/promotion/allocate', { totalBudgetMicros: total, channels });
    expect(r.status).toBe(200);
    expect(r.json.spentMicros).toBe(total);
    expect(r.json.shadowPrice).toBeCloseTo(mu, 6);
    r.json.channels.forEach((c, i) => {
      expect(Math.abs(c.spendMicros - Math.log(k[i]! / mu) * invB[i]!)).toBeLessThanOrEqual(2);
      expect(c.marginalReturn).toBeCloseTo(mu, 6);
    });
    const bounded = await h.api<AllocationReport>('POST', '/api/promotion/allocate', { totalBudgetMicros: total, channels: [channels[0], { ...channels[1], maxSpendMicros: 1000 * M }] });
    expect(bounded.json.channels[1]).toMatchObject({ spendMicros: 1000 * M, atBound: 'max' });
    expect(bounded.json.channels[0]!.spendMicros).toBe(2000 * M);
    expect(bounded.json.channels[0]!.marginalReturn).toBeCloseTo(25 / Math.E, 6);
  });

  it('refuses infeasible bounds and a channel whose history cannot give a curve', async ({ skip }) => {
    if (!h) skip();
    const curve = { model: 'negativeExponential', params: { a: 10, b: 1e-9 } };
    const infeasible = await h.api<{ error: { code: string } }>('POST', '/api/promotion/allocate', { totalBudgetMicros: 100, channels: [{ promotionChannel: 'social', curve, marginPerOutcomeMicros: 1, minSpendMicros: 200 }] });
    expect(infeasible.status).toBe(422);
    expect(infeasible.json.error.code).toBe('QD_BUDGET_INFEASIBLE');
    const degenerate = await h.api<{ error: { code: string; message: string } }>('POST', '/api/promotion/allocate', { totalBudgetMicros: 100, from: FROM, to: TO, channels: [{ promotionChannel: 'social', marginPerOutcomeMicros: 1 }] });
    expect(degenerate.status).toBe(422);
    expect(degenerate.json.error).toMatchObject({ code: 'QD_FIT_DEGENERATE', message: expect.stringMatching(/^promotion channel social: /) });
  });
});
