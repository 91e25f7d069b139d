import { describe, expect, it } from 'vitest';
import { marketCoverage } from './coverage.js';
import { customers, usage } from './kpi.fixture.js';
import { KpiInputError } from './errors.js';

// Hand computation on kpi.fixture.ts. SOM: fintech 10 accounts, edu 40 → 50 in total.
// Feb by channel: direct active {c1, c3} → 2 customers, segments {fintech, edu}, regions {CN};
// share of SOM 2/50. By segment Feb: fintech {c1, c4} → 2/10; edu {c3} → 1/40.
const som = [{ segmentId: 'fintech', somAccounts: 10 }, { segmentId: 'edu', somAccounts: 40 }];

describe('marketCoverage', () => {
  it('by channel', () => {
    const rows = marketCoverage({ customers, usage, som }, 'channel');
    expect(rows.map((r) => [r.month, r.key, r.activeCustomers, r.segmentsReached, r.regionsReached])).toEqual([
      ['2026-01', 'direct', 1, 1, 1],
      ['2026-01', 'reseller', 1, 1, 1],
      ['2026-02', 'direct', 2, 2, 1],
      ['2026-02', 'reseller', 1, 1, 1],
      ['2026-03', 'direct', 1, 1, 1],
      ['2026-03', 'reseller', 2, 2, 2],
    ]);
    expect(rows[2]!.shareOfSom).toBeCloseTo(0.04, 12);
  });

  it('by segment uses the segment SOM; without SOM the share is null', () => {
    const feb = marketCoverage({ customers, usage, som }, 'segment').filter((r) => r.month === '2026-02');
    expect(feb.map((r) => [r.key, r.activeCustomers, r.shareOfSom])).toEqual([['edu', 1, 1 / 40], ['fintech', 2, 0.2]]);
    expect(marketCoverage({ customers, usage }, 'all').every((r) => r.shareOfSom === null)).toBe(true);
    expect(marketCoverage({ customers, usage }, 'partner').find((r) => r.month === '2026-03' && r.key === 'p1')!.activeCustomers).toBe(2);
  });

  it('rejects malformed rows', () => {
    expect(() => marketCoverage({ customers, usage: [{ ...usage[0]!, customerId: 'ghost' }] }, 'channel')).toThrowError(KpiInputError);
    expect(() => marketCoverage({ customers, usage: [{ ...usage[0]!, day: '2026-13-01' }] }, 'channel')).toThrowError(/YYYY-MM-DD/);
    expect(() => marketCoverage({ customers, usage: [{ ...usage[0]!, revenueMicros: 1.5 }] }, 'channel')).toThrowError(/safe integer/);
    expect(() => marketCoverage({ customers: [customers[0]!, customers[0]!], usage: [] }, 'channel')).toThrowError(/duplicate/);
  });
});
