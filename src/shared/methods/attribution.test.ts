import { describe, expect, it } from 'vitest';
import { attributeByRule, compareAttributionModels } from './attribution.js';
import type { ConversionPath } from './attributionPaths.js';
import { StrategyInputError } from './errors.js';

const DAY = 86_400_000;

// Hand-computed example. Paths (revenue in micro-units):
//   P1: search(day 0) > social(day 7) > partner(day 14) → converts day 14, revenue 1,000
//   P2: social(day 0) > partner(day 0)                 → converts,          revenue 101
//   P3: search(day 0)                                   → converts,          revenue 10
//   P4: social(day 0)                                   → no conversion
const paths: ConversionPath[] = [
  { touchpoints: [{ channelId: 'search', at: 0 }, { channelId: 'social', at: 7 * DAY }, { channelId: 'partner', at: 14 * DAY }], converted: true, revenueMicros: 1000, convertedAt: 14 * DAY },
  { touchpoints: [{ channelId: 'social', at: 0 }, { channelId: 'partner', at: 0 }], converted: true, revenueMicros: 101 },
  { touchpoints: [{ channelId: 'search', at: 0 }], converted: true, revenueMicros: 10 },
  { touchpoints: [{ channelId: 'social', at: 0 }], converted: false, revenueMicros: 0 },
];
const conversions = (model: Parameters<typeof attributeByRule>[1]) => attributeByRule(paths, model).credits.map((c) => c.conversions);
const revenue = (model: Parameters<typeof attributeByRule>[1]) => attributeByRule(paths, model).credits.map((c) => c.revenueMicros);

describe('rule-based attribution (channels in order search, social, partner)', () => {
  it('first touch: search 1000+10, social 101', () => {
    expect(conversions('firstTouch')).toEqual([2, 1, 0]);
    expect(revenue('firstTouch')).toEqual([1010, 101, 0]);
  });
  it('last touch: partner 1000+101, search 10', () => {
    expect(conversions('lastTouch')).toEqual([1, 0, 2]);
    expect(revenue('lastTouch')).toEqual([10, 0, 1101]);
  });
  it('linear: thirds of 1000, halves of 101, with largest-remainder cents', () => {
    // exact: search 333.33+10 = 343.33, social 333.33+50.5 = 383.83, partner 333.33+50.5 = 383.83
    // floors 343, 383, 383 = 1109; 2 left → remainders .83, .83 → social, partner
    expect(revenue('linear')).toEqual([343, 384, 384]);
    expect(conversions('linear').map((x) => Number(x.toFixed(12)))).toEqual([1 + 1 / 3, 1 / 3 + 0.5, 1 / 3 + 0.5].map((x) => Number(x.toFixed(12))));
  });
  it('position-based: 40/20/40 with three touches, 50/50 with two, 100% with one', () => {
    // search 400+10 = 410, social 200+50.5 = 250.5, partner 400+50.5 = 450.5 → floors 410,250,450; 1 left → social (tie, lower index)
    expect(revenue('positionBased')).toEqual([410, 251, 450]);
    expect(conversions('positionBased')).toEqual([1.4, 0.7, 0.9].map((x) => expect.closeTo(x, 12)));
  });
  it('time decay with a 7-day half-life: weights 1/4, 1/2, 1 for touches 14, 7, 0 days before', () => {
    // P1 weights 0.25/1.75, 0.5/1.75, 1/1.75 = 1/7, 2/7, 4/7 → 142.857, 285.714, 571.429 of 1000;
    // P2 both touches at the conversion → 50.5 each; P3 → search 10.
    // search 152.857, social 336.214, partner 621.929 → floors 152, 336, 621 = 1109; 2 left →
    // remainders .929 (partner), .857 (search)
    expect(revenue('timeDecay')).toEqual([153, 336, 622]);
    expect(conversions('timeDecay')).toEqual([1 / 7 + 1, 2 / 7 + 0.5, 4 / 7 + 0.5].map((x) => expect.closeTo(x, 12)));
    const slower = attributeByRule(paths, 'timeDecay', { halfLifeDays: 14 }).credits.map((c) => c.conversions);
    // 14-day half-life: P1 weights 1/2, 1/√2, 1 → search gets 0.5 / (1.5 + √½) of P1, plus P3.
    expect(slower[0]).toBeCloseTo(0.5 / (1.5 + Math.SQRT1_2) + 1, 12);
  });
});

describe('compareAttributionModels', () => {
  it('runs all six models and every model sums exactly to the totals', () => {
    const result = compareAttributionModels(paths);
    expect(result.models.map((m) => m.model)).toEqual(['firstTouch', 'lastTouch', 'linear', 'timeDecay', 'positionBased', 'markov']);
    expect(result.totalConversions).toBe(3);
    expect(result.totalRevenueMicros).toBe(1111);
    for (const m of result.models) {
      expect(m.credits.reduce((s, c) => s + c.revenueMicros, 0)).toBe(1111);
      expect(m.credits.reduce((s, c) => s + c.conversions, 0)).toBeCloseTo(3, 12);
    }
    expect(result.markov).not.toBeNull();
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('rejects bad paths', () => {
    const bad: ConversionPath[][] = [
      [],
      [{ touchpoints: [], converted: true, revenueMicros: 1 }],
      [{ touchpoints: [{ channelId: 'a' }], converted: false, revenueMicros: 5 }],
      [{ touchpoints: [{ channelId: 'a' }], converted: true, revenueMicros: -5 }],
      [{ touchpoints: [{ channelId: 'a', at: 5 }, { channelId: 'b', at: 1 }], converted: true, revenueMicros: 1 }],
      [{ touchpoints: [{ channelId: 'a', at: Number.NaN }], converted: true, revenueMicros: 1 }],
      [{ touchpoints: [{ channelId: 'a', at: 5 }], converted: true, revenueMicros: 1, convertedAt: 1 }],
    ];
    for (const p of bad) expect(() => compareAttributionModels(p), JSON.stringify(p)).toThrowError(StrategyInputError);
    expect(() => attributeByRule([{ touchpoints: [{ channelId: 'a' }], converted: true, revenueMicros: 1 }], 'timeDecay')).toThrow(/time/);
    expect(() => attributeByRule(paths, 'timeDecay', { halfLifeDays: 0 })).toThrowError(StrategyInputError);
  });
});
