import { describe, expect, it } from 'vitest';
import { cohortRetention } from './cohortRetention.js';
import { dauMau } from './engagement.js';
import { churnRate, netRevenueRetention } from './revenueRetention.js';
import { customers, usage } from './kpi.fixture.js';

// Hand computations on kpi.fixture.ts (activity: Jan c1 c2 · Feb c1 c3 c4 · Mar c1 c2 c4).
describe('cohortRetention', () => {
  it('by acquisition channel', () => {
    // Jan direct {c1}: active Jan, Feb, Mar. Jan reseller {c2}: Jan, –, Mar. Feb direct {c3}: Feb, –.
    // Feb reseller {c4}: Feb, Mar.
    const rows = cohortRetention(customers, usage, 'channel');
    expect(rows.map((r) => [r.cohortMonth, r.key, r.cohortSize, r.retention])).toEqual([
      ['2026-01', 'direct', 1, [1, 1, 1]],
      ['2026-01', 'reseller', 1, [1, 0, 1]],
      ['2026-02', 'direct', 1, [1, 0]],
      ['2026-02', 'reseller', 1, [1, 1]],
    ]);
  });
  it('all customers, and a shorter window', () => {
    const rows = cohortRetention(customers, usage, 'all');
    expect(rows.map((r) => r.activeCustomers)).toEqual([[2, 1, 2], [2, 1]]);
    expect(rows[0]!.retention).toEqual([1, 0.5, 1]);
    expect(cohortRetention(customers, usage, 'all', { throughMonth: '2026-01' }).map((r) => r.retention)).toEqual([[1]]);
  });
});

describe('dauMau', () => {
  it('averages daily actives over calendar days', () => {
    // Jan direct: c1 on 2 days → 2/31 average DAU, MAU 1. Feb direct: c1 1 day + c3 2 days → 3/28, MAU 2.
    // Jan all: 3 customer-days / 31, MAU 2 → 3/62.
    const rows = dauMau(customers, usage, 'channel');
    const jan = rows.find((r) => r.month === '2026-01' && r.key === 'direct')!;
    expect(jan.averageDau).toBeCloseTo(2 / 31, 12);
    expect(jan.dauMau).toBeCloseTo(2 / 31, 12);
    const feb = rows.find((r) => r.month === '2026-02' && r.key === 'direct')!;
    expect(feb.mau).toBe(2);
    expect(feb.dauMau).toBeCloseTo(3 / 56, 12);
    expect(dauMau(customers, usage, 'all')[0]!.dauMau).toBeCloseTo(3 / 62, 12);
  });
});

describe('churnRate', () => {
  it('activity churn overall and by acquisition channel', () => {
    // Feb: of Jan actives {c1, c2}, c2 is gone → 1/2. Mar: of Feb actives {c1, c3, c4}, c3 gone → 1/3.
    expect(churnRate(customers, usage, 'all').map((r) => [r.month, r.activeAtStart, r.churned, r.churnRate])).toEqual([
      ['2026-02', 2, 1, 0.5],
      ['2026-03', 3, 1, 1 / 3],
    ]);
    // By channel: Feb direct {c1} 0, Feb reseller {c2} 1; Mar direct {c1, c3} 0.5, Mar reseller {c4} 0.
    expect(churnRate(customers, usage, 'channel').map((r) => [r.month, r.key, r.churnRate])).toEqual([
      ['2026-02', 'direct', 0], ['2026-02', 'reseller', 1], ['2026-03', 'direct', 0.5], ['2026-03', 'reseller', 0],
    ]);
  });
});

describe('netRevenueRetention', () => {
  it('month-on-month and two-month lags', () => {
    // Lag 1, Feb: base Jan {c1 200, c2 300} = 500 → their Feb revenue 50 + 0 → 0.1.
    // Lag 1, Mar: base Feb {c1 50, c3 300, c4 400} = 750 → Mar 150 + 0 + 500 = 650 → 0.8667.
    const monthly = netRevenueRetention(customers, usage, 'all', 1);
    expect(monthly.map((r) => [r.month, r.baseRevenueMicros, r.retainedRevenueMicros])).toEqual([['2026-02', 500, 50], ['2026-03', 750, 650]]);
    expect(monthly[1]!.netRevenueRetention).toBeCloseTo(650 / 750, 12);
    // Lag 2, Mar: base Jan {c1, c2} 500 → Mar 150 + 100 = 250 → 0.5 (c2 came back).
    const lag2 = netRevenueRetention(customers, usage, 'all', 2);
    expect(lag2.map((r) => [r.month, r.netRevenueRetention])).toEqual([['2026-03', 0.5]]);
    expect(netRevenueRetention(customers, usage, 'all')).toEqual([]);
    expect(() => netRevenueRetention(customers, usage, 'all', 0)).toThrow(/lagMonths/);
  });
});
