import { describe, expect, it } from 'vitest';
import { computeScorecard, evaluateCommitment, evaluateSla, type CustomerMonthUsage } from './scorecard.js';
import { recommendTier, type TierForRecommendation } from './tier-recommendation.js';
import { onboardingProgress, defaultOnboarding } from './onboarding.js';

const u = (month: string, customerId: string, revenueMicros: number, extra: Partial<CustomerMonthUsage> = {}): CustomerMonthUsage => ({
  month, customerId, requests: 10, okRequests: 10, tokens: 1_000, revenueMicros, upstreamErrors: 0, ...extra,
});

describe('computeScorecard', () => {
  const usage = [
    u('2026-01', 'a', 4_000_000),
    u('2026-01', 'b', 4_000_000),
    u('2026-01', 'c', 2_000_000, { okRequests: 0, upstreamErrors: 10 }),
    u('2026-02', 'a', 9_000_000, { upstreamErrors: 1 }),
    u('2026-02', 'd', 3_000_000),
    u('2025-12', 'z', 99_000_000),
  ];
  const m = computeScorecard({ month: '2026-02', previousMonth: '2026-01', usage, customersSourced: 1, latencyP95Ms: 850, certifiedStaff: 3, sla: {} });

  it('counts active customers, tokens, revenue and growth from the ledger', () => {
    expect(m).toMatchObject({ activeCustomers: 2, requests: 20, tokens: 2_000, revenueMicros: 12_000_000, previousRevenueMicros: 10_000_000, revenueGrowthBps: 2_000, customersSourced: 1, certifiedStaff: 3 });
  });

  it('measures retention over last month’s active customers (c never succeeded, so only a and b count)', () => {
    expect(m.retentionBps).toBe(5_000);
  });

  it('measures the upstream error rate of the partner’s traffic and checks the SLA', () => {
    expect(m.errorRateBps).toBe(500);
    expect(evaluateSla(m, { maxErrorRateBps: 500, maxP95LatencyMs: 1_000 })).toEqual({ errorRateOk: true, latencyOk: true, met: true });
    expect(evaluateSla(m, { maxErrorRateBps: 100 })).toEqual({ errorRateOk: false, latencyOk: null, met: false });
    expect(evaluateSla(m, { maxP95LatencyMs: 800 }).met).toBe(false);
  });

  it('leaves undefined rates null instead of dividing by zero', () => {
    const empty = computeScorecard({ month: '2026-05', previousMonth: '2026-04', usage, customersSourced: 0, latencyP95Ms: null, certifiedStaff: 0, sla: {} });
    expect(empty).toMatchObject({ revenueGrowthBps: null, retentionBps: null, errorRateBps: null, activeCustomers: 0 });
    expect(evaluateSla(empty, { maxErrorRateBps: 1 }).met).toBe(true);
  });

  it('measures the shortfall against the minimum commitment', () => {
    expect(evaluateCommitment(7_000_000, 10_000_000)).toEqual({ minCommitMicros: 10_000_000, shortfallMicros: 3_000_000, met: false });
    expect(evaluateCommitment(12_000_000, 10_000_000).met).toBe(true);
    expect(evaluateCommitment(0, 0).met).toBe(true);
  });

  it('rounds a fall in revenue towards −∞', () => {
    const fall = computeScorecard({ month: '2026-02', previousMonth: '2026-01', usage: [u('2026-01', 'a', 3), u('2026-02', 'a', 1)], customersSourced: 0, latencyP95Ms: null, certifiedStaff: 0, sla: {} });
    expect(fall.revenueGrowthBps).toBe(-6_667);
  });
});

describe('recommendTier', () => {
  const tiers: TierForRecommendation[] = [
    { id: 'silver', name: 'Silver', rank: 1, requirements: {} },
    { id: 'gold', name: 'Gold', rank: 2, requirements: { minMonthlyRevenueMicros: 10_000_000_000, minCertifiedStaff: 2 } },
    { id: 'platinum', name: 'Platinum', rank: 3, requirements: { minMonthlyRevenueMicros: 50_000_000_000, minActiveCustomers: 20, maxErrorRateBps: 100 } },
  ];
  const metrics = (revenueMicros: number, certifiedStaff = 3) =>
    computeScorecard({ month: '2026-02', previousMonth: '2026-01', usage: [u('2026-02', 'a', revenueMicros)], customersSourced: 0, latencyP95Ms: null, certifiedStaff, sla: {} });

  it('promotes to the highest tier whose requirements are met and says why', () => {
    const r = recommendTier({ currentTierId: 'silver', tiers, metrics: metrics(12_000_000_000) });
    expect(r).toMatchObject({ action: 'promote', recommendedTierId: 'gold' });
    expect(r.reason).toBe('promote to Gold: monthly revenue 12,000.00 ≥ 10,000.00, certified staff 3 ≥ 2; Platinum needs monthly revenue ≥ 50,000.00 (has 12,000.00), active customers ≥ 20 (has 1)');
    expect(r.evidence.map((c) => [c.key, c.actual, c.required, c.met])).toEqual([['minMonthlyRevenueMicros', 12_000_000_000, 10_000_000_000, true], ['minCertifiedStaff', 3, 2, true]]);
    expect(r.next).toMatchObject({ tierId: 'platinum', tierName: 'Platinum' });
  });

  it('never says a tier without requirements is met "in every requirement": it names the entry tier and what the next needs', () => {
    const r = recommendTier({ currentTierId: 'silver', tiers, metrics: metrics(1_000_000_000, 1) });
    expect(r).toMatchObject({ action: 'keep', recommendedTierId: 'silver', evidence: [] });
    expect(r.reason).toBe('keep Silver: Silver has no requirements; Gold needs monthly revenue ≥ 10,000.00 (has 1,000.00), certified staff ≥ 2 (has 1)');
    expect(r.reason).not.toContain('every requirement');
  });

  it('does not demote on a running month, and not a partner whose previous month is not on record', () => {
    const bad = metrics(4_000_000_000);
    const running = recommendTier({ currentTierId: 'gold', tiers, metrics: bad, previousMetrics: bad, monthEnded: false });
    expect(running).toMatchObject({ action: 'keep', monthEnded: false });
    expect(running.reason).toBe('month to date: below Gold so far (monthly revenue 4,000.00 < 10,000.00); a month is judged when it has ended');
    expect(recommendTier({ currentTierId: 'gold', tiers, metrics: bad }).action).toBe('keep');
  });

  it('keeps a tier after one bad month and demotes after two, naming the shortfall', () => {
    const bad = metrics(4_000_000_000);
    const keep = recommendTier({ currentTierId: 'gold', tiers, metrics: bad, previousMetrics: metrics(12_000_000_000) });
    expect(keep.action).toBe('keep');
    expect(keep.reason).toContain('monthly revenue 4,000.00 < 10,000.00');
    const demote = recommendTier({ currentTierId: 'gold', tiers, metrics: bad, previousMetrics: bad });
    expect(demote).toMatchObject({ action: 'demote', recommendedTierId: 'silver' });
    expect(demote.reason).toBe('below Gold two months in a row (monthly revenue 4,000.00 < 10,000.00); qualifies for Silver');
    expect(demote.evidence).toEqual([expect.objectContaining({ key: 'minMonthlyRevenueMicros', bound: 'min', unit: 'micros', met: false })]);
  });

  it('keeps a partner that meets its tier, and assigns a first tier', () => {
    expect(recommendTier({ currentTierId: 'gold', tiers, metrics: metrics(12_000_000_000) }).action).toBe('keep');
    expect(recommendTier({ currentTierId: null, tiers, metrics: metrics(0, 0) })).toMatchObject({ action: 'assign', recommendedTierId: 'silver' });
    expect(recommendTier({ currentTierId: null, tiers: [tiers[1]!], metrics: metrics(0, 0) }).action).toBe('none');
  });

  it('treats an undefined metric as not meeting a requirement on it', () => {
    const r = recommendTier({ currentTierId: 'gold', tiers, metrics: metrics(60_000_000_000) });
    expect(r.action).toBe('keep'); // platinum needs 20 active customers and a measured error rate
  });
});

describe('onboardingProgress', () => {
  it('ticks automatic items from facts and counts progress', () => {
    const items = defaultOnboarding.map((i) => (i.id === 'sales_training' ? { ...i, done: true, doneAt: '2026-01-02T00:00:00.000Z' } : i));
    const p = onboardingProgress(items, { hasAgreement: true, hasPortalUser: true, hasChannel: false, hasKey: false, hasUsage: false });
    expect(p).toMatchObject({ done: 3, total: 7, percent: 42 });
  });
});
