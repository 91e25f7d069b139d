import { describe, expect, it } from 'vitest';
import { evaluatePromotionChannel, funnelConversionRates, lifetimeValueMicros } from './channelEconomics.js';
import { StrategyInputError } from './errors.js';

const M = 1_000_000;

// Formulas from Skok (2013), "SaaS Metrics 2.0"; numbers computed by hand:
// spend 40,000 + partner payouts 8,000 + other 2,000 = 50,000 over 100 new customers → CAC 500.
// ARPA 100/month, gross margin 0.7 → 70/month margin; churn 2%/month → LTV = 70 / 0.02 = 3,500.
// LTV/CAC = 7; payback = 500 / 70 = 7.142857 months.
describe('evaluatePromotionChannel', () => {
  it('matches a hand computation', () => {
    const r = evaluatePromotionChannel({
      channelId: 'search-ads',
      spendMicros: 40_000 * M,
      partnerPayoutMicros: 8_000 * M,
      otherCostMicros: 2_000 * M,
      newCustomers: 100,
      arpaMicros: 100 * M,
      grossMargin: 0.7,
      monthlyChurn: 0.02,
      funnel: [{ stage: 'click', count: 10_000 }, { stage: 'signup', count: 800 }, { stage: 'paying', count: 100 }],
    });
    expect(r.acquisitionCostMicros).toBe(50_000 * M);
    expect(r.cacMicros).toBe(500 * M);
    expect(r.monthlyMarginMicros).toBe(70 * M);
    expect(r.ltvMicros).toBe(3_500 * M);
    expect(r.ltvToCac).toBeCloseTo(7, 12);
    expect(r.paybackMonths).toBeCloseTo(500 / 70, 12);
    expect(r.conversion![1]).toEqual({ stage: 'signup', count: 800, fromPrevious: 0.08, fromFirst: 0.08 });
    expect(r.conversion![2]!.fromPrevious).toBeCloseTo(0.125, 12);
    expect(r.conversion![2]!.fromFirst).toBeCloseTo(0.01, 12);
  });

  it('caps lifetime with a horizon: geometric sum of surviving months', () => {
    // 10/month margin, churn 0.5, 3 months: 10 × (1 + 0.5 + 0.25) = 17.5
    expect(lifetimeValueMicros(10 * M, 1, 0.5, 3)).toBe(17_500_000);
    expect(lifetimeValueMicros(10 * M, 1, 0, 12)).toBe(120 * M);
    expect(lifetimeValueMicros(10 * M, 1, 0)).toBeNull();
  });

  it('returns nulls for undefined ratios instead of Infinity/NaN', () => {
    const r = evaluatePromotionChannel({ channelId: 'events', spendMicros: 0, newCustomers: 0, arpaMicros: 0, grossMargin: 0.5, monthlyChurn: 0.1 });
    expect(r).toMatchObject({ cacMicros: null, ltvToCac: null, paybackMonths: null, ltvMicros: 0 });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('rejects negative spend, NaN and bad funnels', () => {
    const base = { channelId: 'c', spendMicros: 1, newCustomers: 1, arpaMicros: 1, grossMargin: 0.5, monthlyChurn: 0.1 };
    expect(() => evaluatePromotionChannel({ ...base, spendMicros: -1 })).toThrowError(StrategyInputError);
    expect(() => evaluatePromotionChannel({ ...base, grossMargin: Number.NaN })).toThrowError(StrategyInputError);
    expect(() => evaluatePromotionChannel({ ...base, monthlyChurn: 2 })).toThrowError(StrategyInputError);
    expect(() => funnelConversionRates([])).toThrowError(StrategyInputError);
    expect(() => funnelConversionRates([{ stage: 'a', count: 1 }, { stage: 'b', count: 2 }])).toThrowError(/exceeds/);
  });
});
