import { describe, expect, it } from 'vitest';
import { brandReach, partnerInfluencedRevenue, signupSourceShare } from './brand.js';
import { customers, reach, usage } from './kpi.fixture.js';
import { KpiInputError } from './errors.js';

// Hand computations on kpi.fixture.ts.
describe('brand KPIs', () => {
  it('reach by channel and campaign', () => {
    expect(brandReach(reach, 'channel').map((r) => [r.month, r.key, r.impressions, r.uniqueVisitors])).toEqual([
      ['2026-01', 'direct', 10_000, 2_000], ['2026-01', 'reseller', 5_000, 1_000], ['2026-02', 'direct', 10_000, 2_000],
    ]);
    expect(brandReach(reach, 'campaign').filter((r) => r.month === '2026-02').map((r) => [r.key, r.impressions])).toEqual([['(none)', 2_000], ['launch', 8_000]]);
    expect(() => brandReach(reach, 'segment')).toThrowError(KpiInputError);
  });

  it('direct vs referred signup share', () => {
    // Jan: c1 direct, c2 referred → 0.5 / 0.5. By channel Jan direct: 1 direct → 1 / 0.
    expect(signupSourceShare(customers, 'all').map((r) => [r.month, r.signups, r.directShare, r.referredShare])).toEqual([
      ['2026-01', 2, 0.5, 0.5], ['2026-02', 2, 0.5, 0.5],
    ]);
    expect(signupSourceShare(customers, 'channel')[0]).toMatchObject({ key: 'direct', direct: 1, referred: 0, directShare: 1 });
  });

  it('partner-influenced revenue', () => {
    // Jan: 500 total, c2 via p1 300 → 0.6; Feb: 750, c4 400; Mar: 750, c2 100 + c4 500 = 600 → 0.8.
    expect(partnerInfluencedRevenue(customers, usage, 'all').map((r) => [r.month, r.revenueMicros, r.partnerInfluencedRevenueMicros])).toEqual([
      ['2026-01', 500, 300], ['2026-02', 750, 400], ['2026-03', 750, 600],
    ]);
    // A direct-channel call by a partner-acquired customer still counts as influenced.
    const crossed = [{ ...usage[0]!, customerId: 'c2' }];
    expect(partnerInfluencedRevenue(customers, crossed, 'channel')[0]).toMatchObject({ key: 'direct', partnerInfluencedShare: 1 });
  });
});
