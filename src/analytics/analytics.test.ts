import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, postgresReachable, type TestStore } from '../../test/support/stores.js';
import { schema } from '../store/index.js';
import { fixtureCustomers, fixtureEvents, fixtureSpend, ledgerRow, seedFixtureCrm, usageRow } from './analytics.fixture.js';
import {
  acquisitionCost, brandReach, churnRate, cohortRetention, dauMau, marketCoverage, netRevenueRetention, partnerInfluencedRevenue,
  servingCost, signupSourceShare, unitEconomics,
} from './kpi/index.js';
import { AnalyticsService } from './service.js';

const range = { from: '2026-01', to: '2026-03' };
const usage = fixtureEvents.map(usageRow);
const som = [{ segmentId: 's1', somAccounts: 50 }, { segmentId: 's2', somAccounts: 50 }];

describe.each(['pglite', 'postgres'] as const)('analytics on %s', async (kind) => {
  const available = kind === 'pglite' || (await postgresReachable());
  let t: TestStore;
  let analytics: AnalyticsService;
  beforeAll(async () => {
    if (!available) return;
    t = await openTestStore(kind);
    await seedFixtureCrm(t.store);
    await t.store.db.insert(schema.usageEvents).values(fixtureEvents.map((e, i) => ledgerRow(e, `req_${i}`)));
    analytics = new AnalyticsService(t.store);
    expect((await analytics.refresh({ batchSize: 5 })).rows).toBe(fixtureEvents.length);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it.skipIf(!available)('the overview from the rollups equals the overview computed from the raw ledger', async () => {
    const fromRollups = await analytics.overview(range);
    const fromLedger = await analytics.overview(range, 'ledger');
    expect(fromRollups.months).toEqual(fromLedger.months);
    expect(fromRollups.freshness).toEqual({ rollupSeq: fromLedger.freshness.ledgerSeq, ledgerSeq: fromLedger.freshness.ledgerSeq });
  });

  it.skipIf(!available)('the overview matches hand-checked figures', async () => {
    const { months } = await analytics.overview(range);
    const [jan, feb, mar] = months;
    expect(months.map((m) => m.coverage.activeCustomers)).toEqual([2, 3, 4]);
    // January: c1 on 2 days, c2 on 1 day → 3 customer-days over 31 days, MAU 2.
    expect(jan!.stickiness.averageDau).toBeCloseTo(3 / 31, 12);
    expect(jan!.cost.revenueMicros).toBe(12_600);
    expect(jan!.cost.costMicros).toBe(2_380);
    expect(jan!.cost.tokens).toBe(11_900);
    // February: c1 stays, c2 pauses → churn 1/2; NRR = c1's 2,700 / (c1 + c2 in January) 12,600.
    expect(feb!.stickiness.churnRate).toBe(0.5);
    expect(feb!.stickiness.netRevenueRetention).toBeCloseTo(2_700 / 12_600, 12);
    expect(feb!.cost.spendMicros).toBe(500_000);
    expect(feb!.cost.cacMicros).toBe(250_000);
    // March: c1, c3 stay, c4 churns (1/3); c2 is back, c5 new. Partner revenue: c2's 6,000 × 20 %.
    expect(mar!.stickiness.churnRate).toBeCloseTo(1 / 3, 12);
    expect(mar!.cost.partnerPayoutMicros).toBe(1_200);
    expect(mar!.brand.partnerInfluencedRevenueMicros).toBe(6_000);
    expect(mar!.coverage.segmentsReached).toBe(2);
    expect(mar!.coverage.regionsReached).toBe(2);
    expect(mar!.coverage.shareOfSom).toBe(4 / 100);
    expect(jan!.brand).toMatchObject({ signups: 2, directShare: 0.5, referredShare: 0.5, impressions: 1, uniqueVisitors: 1 });
  });

  it.skipIf(!available)('the overview agrees with the pure KPI formulas over the raw rows', async () => {
    const { months } = await analytics.overview(range);
    const coverage = marketCoverage({ customers: fixtureCustomers, usage, som }, 'all');
    const engagement = dauMau(fixtureCustomers, usage, 'all');
    const churn = churnRate(fixtureCustomers, usage, 'all');
    const nrr = netRevenueRetention(fixtureCustomers, usage, 'all', 1);
    const serving = servingCost(fixtureCustomers, usage, 'all');
    const cac = acquisitionCost(fixtureCustomers, fixtureSpend, 'all');
    const economics = unitEconomics(fixtureCustomers, usage, fixtureSpend, 'all');
    const influence = partnerInfluencedRevenue(fixtureCustomers, usage, 'all');
    const signups = signupSourceShare(fixtureCustomers, 'all');
    for (const m of months) {
      const at = <T extends { month: string }>(rows: T[]) => rows.find((r) => r.month === m.month);
      expect(m.coverage).toEqual({ activeCustomers: at(coverage)!.activeCustomers, segmentsReached: at(coverage)!.segmentsReached, regionsReached: at(coverage)!.regionsReached, shareOfSom: at(coverage)!.shareOfSom });
      expect(m.stickiness.averageDau).toBeCloseTo(at(engagement)!.averageDau, 12);
      expect(m.stickiness.dauMau).toBeCloseTo(at(engagement)!.dauMau, 12);
      expect(m.stickiness.churnRate).toBe(at(churn)?.churnRate ?? null);
      expect(m.stickiness.netRevenueRetention).toBe(at(nrr)?.netRevenueRetention ?? null);
      expect(m.cost).toMatchObject({ revenueMicros: at(serving)!.revenueMicros, costMicros: at(serving)!.costMicros, grossMargin: at(serving)!.grossMargin, costPerMillionTokensMicros: at(serving)!.costPerMillionTokensMicros });
      expect(m.cost).toMatchObject({ spendMicros: at(cac)!.spendMicros, partnerPayoutMicros: at(cac)!.partnerPayoutMicros, newCustomers: at(cac)!.newCustomers, cacMicros: at(cac)!.cacMicros });
      const e = at(economics)!;
      expect(m.cost).toMatchObject({ arpaMicros: e.arpaMicros, ltvMicros: e.ltvMicros, ltvToCac: e.ltvToCac, paybackMonths: e.paybackMonths });
      expect(m.brand.partnerInfluencedRevenueMicros).toBe(at(influence)!.partnerInfluencedRevenueMicros);
      expect(m.brand.referredShare).toBe(at(signups)?.referredShare ?? null);
    }
  });

  it.skipIf(!available)('per-group reports equal the pure formulas over the raw rows', async () => {
    for (const by of ['channel', 'partner', 'segment', 'campaign', 'region'] as const) {
      const coverage = await analytics.coverage({ ...range, groupBy: by });
      expect(coverage.coverage).toEqual(marketCoverage({ customers: fixtureCustomers, usage, som }, by));
      const stickiness = await analytics.stickiness({ ...range, groupBy: by });
      expect(stickiness.engagement).toEqual(dauMau(fixtureCustomers, usage, by).map((r) => ({ ...r, complete: true })));
      expect(stickiness.cohorts).toEqual(cohortRetention(fixtureCustomers, usage, by, { throughMonth: '2026-03' }).map((c) => ({ ...c, complete: c.retention.map(() => true) })));
      expect(stickiness.netRevenueRetention).toEqual(netRevenueRetention(fixtureCustomers, usage, by, 1));
      expect(stickiness.churn).toEqual(churnRate(fixtureCustomers, usage, by));
      const cost = await analytics.cost({ ...range, groupBy: by });
      expect(cost.serving).toEqual(servingCost(fixtureCustomers, usage, by));
      if (by !== 'segment' && by !== 'region') {
        expect(cost.acquisition).toEqual(acquisitionCost(fixtureCustomers, fixtureSpend, by));
        expect(cost.unitEconomics).toEqual(unitEconomics(fixtureCustomers, usage, fixtureSpend, by));
      }
      const brand = await analytics.brand({ ...range, groupBy: by });
      expect(brand.signups).toEqual(signupSourceShare(fixtureCustomers, by));
      expect(brand.partnerInfluence).toEqual(partnerInfluencedRevenue(fixtureCustomers, usage, by));
    }
    const reach = await analytics.brand({ ...range, groupBy: 'campaign' });
    expect(reach.reach).toEqual(brandReach([
      { month: '2026-01', channelId: 'ch_ref', partnerId: 'p1', campaignId: null, impressions: 1, uniqueVisitors: 1 },
      { month: '2026-02', channelId: 'ch_direct', partnerId: null, campaignId: 'cmp1', impressions: 3, uniqueVisitors: 2 },
    ], 'campaign'));
  });

  it.skipIf(!available)('on the 2nd of March, February is the headline and March is month-to-date', async () => {
    const onMarch2 = new AnalyticsService(t.store, { now: () => new Date('2026-03-02T12:00:00Z') });
    const overview = await onMarch2.overview(range);
    expect(overview).toMatchObject({ headlineMonth: '2026-02', runningMonth: '2026-03', asOf: '2026-03-02T12:00:00.000Z' });
    const [jan, feb, mar] = overview.months;
    expect([jan!.complete, feb!.complete, mar!.complete]).toEqual([true, true, false]);
    expect(feb!.stickiness.churnRate).toBe(0.5);
    expect(mar!).toMatchObject({ elapsedDays: 2, daysInMonth: 31 });
    // March's customer-days (c1, c2, c3 one each, c5 two) = 5 over 2 elapsed days, not 31; MAU so far 4.
    expect(mar!.stickiness.averageDau).toBe(2.5);
    expect(mar!.stickiness.dauMau).toBe(2.5 / 4);
    // Churn and NRR wait for the month's end; so do ARPA and what is built on it.
    expect(mar!.stickiness).toMatchObject({ churned: null, churnRate: null, netRevenueRetention: null });
    expect(mar!.cost).toMatchObject({ arpaMicros: null, ltvMicros: null, ltvToCac: null, paybackMonths: null });
    // Ratios of two month-to-date quantities stay: gross margin = 1 − 2,400 / 14,600.
    expect(mar!.cost.grossMargin).toBeCloseTo(1 - 2_400 / 14_600, 12);
    const stickiness = await onMarch2.stickiness({ ...range });
    expect(stickiness.runningMonth).toBe('2026-03');
    expect(stickiness.churn.map((r) => r.month)).toEqual(['2026-02']);
    expect(stickiness.netRevenueRetention.every((r) => r.month < '2026-03')).toBe(true);
    expect(stickiness.cohorts.map((c) => [c.cohortMonth, c.complete])).toEqual([['2026-01', [true, true, false]], ['2026-02', [true, false]], ['2026-03', [false]]]);
    expect(stickiness.engagement.find((r) => r.month === '2026-03')).toMatchObject({ averageDau: 2.5, complete: false });
    const cost = await onMarch2.cost({ ...range });
    expect(cost.runningMonth).toBe('2026-03');
    expect(cost.unitEconomics.map((r) => r.month)).toEqual(['2026-01', '2026-02']);
    expect(cost.acquisition.some((r) => r.month === '2026-03')).toBe(true);
    expect((await onMarch2.coverage({ ...range })).runningMonth).toBe('2026-03');
    expect((await onMarch2.brand({ ...range })).runningMonth).toBe('2026-03');
    expect((await analytics.brand({ ...range })).runningMonth).toBeNull();
  });
});
