import { describe, expect, it } from 'vitest';
import { acquisitionCost, servingCost } from './costControl.js';
import { unitEconomics } from './unitEconomics.js';
import { customers, spend, usage } from './kpi.fixture.js';
import { KpiInputError } from './errors.js';

// Hand computations on kpi.fixture.ts.
describe('acquisitionCost', () => {
  it('CAC per channel includes partner payouts', () => {
    // Jan direct 1000 / 1 = 1000; Jan reseller payout 600 / 1 = 600;
    // Feb direct 500 + 100 = 600 / 1; Feb reseller 100 media + 300 payout = 400 / 1.
    expect(acquisitionCost(customers, spend, 'channel').map((r) => [r.month, r.key, r.spendMicros, r.partnerPayoutMicros, r.newCustomers, r.cacMicros])).toEqual([
      ['2026-01', 'direct', 1000, 0, 1, 1000],
      ['2026-01', 'reseller', 0, 600, 1, 600],
      ['2026-02', 'direct', 600, 0, 1, 600],
      ['2026-02', 'reseller', 100, 300, 1, 400],
    ]);
  });
  it('by campaign, with no-campaign spend under (none); refuses segment grouping', () => {
    const feb = acquisitionCost(customers, spend, 'campaign').filter((r) => r.month === '2026-02');
    expect(feb.map((r) => [r.key, r.acquisitionCostMicros, r.newCustomers, r.cacMicros])).toEqual([['(none)', 500, 1, 500], ['launch', 500, 1, 500]]);
    expect(() => acquisitionCost(customers, spend, 'segment')).toThrowError(KpiInputError);
    expect(() => acquisitionCost(customers, [{ ...spend[0]!, amountMicros: -1 }], 'channel')).toThrowError(KpiInputError);
  });
  it('CAC is null without new customers', () => {
    const rows = acquisitionCost([], spend.slice(0, 1), 'channel');
    expect(rows[0]).toMatchObject({ newCustomers: 0, cacMicros: null, acquisitionCostMicros: 1000 });
  });
});

describe('servingCost', () => {
  it('gross margin and cost to serve per 1M tokens', () => {
    const rows = servingCost(customers, usage, 'channel');
    // Jan direct: 2000 tokens, revenue 200, cost 80 → margin 0.6, 80/2000·1e6 = 40,000 per 1M.
    expect(rows[0]).toMatchObject({ month: '2026-01', key: 'direct', tokens: 2000, revenueMicros: 200, costMicros: 80, grossProfitMicros: 120, grossMargin: 0.6, costPerMillionTokensMicros: 40_000 });
    // Feb direct: 4500 tokens, revenue 350, cost 150 → 200/350; 150/4500·1e6 = 33,333.3 → 33,333.
    const feb = rows.find((r) => r.month === '2026-02' && r.key === 'direct')!;
    expect(feb.grossMargin).toBeCloseTo(200 / 350, 12);
    expect(feb.costPerMillionTokensMicros).toBe(33_333);
    expect(servingCost(customers, usage, 'region').map((r) => [r.month, r.key, r.revenueMicros])).toEqual([
      ['2026-01', 'CN', 200], ['2026-01', 'SEA', 300], ['2026-02', 'CN', 750], ['2026-03', 'CN', 650], ['2026-03', 'SEA', 100],
    ]);
  });
});

describe('unitEconomics', () => {
  it('LTV/CAC and payback per acquisition channel', () => {
    const rows = unitEconomics(customers, usage, spend, 'channel');
    const at = (month: string, key: string) => rows.find((r) => r.month === month && r.key === key)!;
    // Feb direct: CAC 600; active c1, c3: revenue 350 → ARPA 175, cost 150 → margin 200/350,
    // monthly margin 100; churn 0 → LTV null; payback 600 / 100 = 6 months.
    expect(at('2026-02', 'direct')).toMatchObject({ cacMicros: 600, activeCustomers: 2, arpaMicros: 175, churnRate: 0, ltvMicros: null, ltvToCac: null, paybackMonths: 6 });
    // Feb reseller: CAC 400; active c4: ARPA 400, margin 0.75 → 300/month; churn 1 (c2) → LTV 300;
    // LTV/CAC 0.75; payback 400/300.
    const feb = at('2026-02', 'reseller');
    expect(feb).toMatchObject({ cacMicros: 400, arpaMicros: 400, grossMargin: 0.75, churnRate: 1, ltvMicros: 300, ltvToCac: 0.75 });
    expect(feb.paybackMonths).toBeCloseTo(4 / 3, 12);
    // Mar direct: no spend, no new customers → CAC null; active c1: 150 revenue, 50 cost →
    // 100/month; churn 0.5 → LTV 200.
    expect(at('2026-03', 'direct')).toMatchObject({ cacMicros: null, newCustomers: 0, arpaMicros: 150, ltvMicros: 200, paybackMonths: null });
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });
});
