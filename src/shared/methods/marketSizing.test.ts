import { describe, expect, it } from 'vitest';
import { sizeMarket } from './marketSizing.js';
import { scoreSegments } from './segmentScoring.js';
import { StrategyInputError } from './errors.js';

const M = 1_000_000; // micro-units per currency unit

// Independent hand computation (bottom-up TAM/SAM/SOM, Blank & Dorf 2012 convention):
// fintech-CN: 2,000 accounts × 12,000/yr = 24,000,000 TAM; SAM = 2,000 × 0.5 × 12,000 = 12,000,000;
//             SOM = 12,000,000 × 0.1 = 1,200,000.
// edu-SEA:    5,000 × 1,200 = 6,000,000 TAM; SAM = 5,000 × 0.2 × 1,200 = 1,200,000; SOM × 0.05 = 60,000.
describe('sizeMarket', () => {
  it('matches a hand computation', () => {
    const result = sizeMarket([
      { id: 'fintech-CN', accounts: 2000, serviceableShare: 0.5, adoptionRate: 0.1, annualPriceMicros: 12_000 * M },
      { id: 'edu-SEA', accounts: 5000, serviceableShare: 0.2, adoptionRate: 0.05, annualPriceMicros: 1_200 * M },
    ]);
    expect(result.segments[0]).toMatchObject({ tamMicros: 24_000_000 * M, samMicros: 12_000_000 * M, somMicros: 1_200_000 * M, obtainableAccounts: 100 });
    expect(result.segments[1]).toMatchObject({ tamMicros: 6_000_000 * M, samMicros: 1_200_000 * M, somMicros: 60_000 * M });
    expect(result.tamMicros).toBe(30_000_000 * M);
    expect(result.samMicros).toBe(13_200_000 * M);
    expect(result.somMicros).toBe(1_260_000 * M);
    expect(result.somShareOfTam).toBeCloseTo(0.042, 12);
    expect(Number.isSafeInteger(result.somMicros)).toBe(true);
  });

  it('rounds fractional micro-units per segment and keeps totals exact', () => {
    const result = sizeMarket([{ id: 's', accounts: 3, serviceableShare: 1 / 3, adoptionRate: 1 / 3, annualPriceMicros: 10 }]);
    expect(result.segments[0]).toMatchObject({ tamMicros: 30, samMicros: 10, somMicros: 3 });
  });

  it('rejects bad inputs', () => {
    const ok = { id: 's', accounts: 10, serviceableShare: 0.5, adoptionRate: 0.5, annualPriceMicros: 100 };
    const bad = [
      [],
      [{ ...ok, accounts: -1 }],
      [{ ...ok, accounts: 1.5 }],
      [{ ...ok, serviceableShare: 1.2 }],
      [{ ...ok, adoptionRate: Number.NaN }],
      [{ ...ok, annualPriceMicros: -5 }],
      [ok, ok],
      [{ ...ok, accounts: 10_000_000, annualPriceMicros: 10_000_000_000 }],
    ];
    for (const segments of bad) expect(() => sizeMarket(segments), JSON.stringify(segments)).toThrowError(StrategyInputError);
  });
});

describe('scoreSegments', () => {
  // Hand computation with min-max weighted sum, equal weights 1/5:
  // A (size 10, growth 5, wtp 5, comp 1, fit 5) vs B (size 5, growth 10, wtp 5, comp 5, fit 5):
  // size: A 1, B 0; growth: A 0, B 1; wtp: equal → 1, 1; competition (cost): A 1, B 0; fit: 1, 1
  // → A = (1 + 0 + 1 + 1 + 1)/5 = 0.8, B = (0 + 1 + 1 + 0 + 1)/5 = 0.6.
  const segments = [
    { id: 'A', size: 10, growth: 5, willingnessToPay: 5, competition: 1, fit: 5 },
    { id: 'B', size: 5, growth: 10, willingnessToPay: 5, competition: 5, fit: 5 },
  ];
  const equal = { size: 1, growth: 1, willingnessToPay: 1, competition: 1, fit: 1 };

  it('weighted sum matches the hand computation', () => {
    const r = scoreSegments(segments, equal, 'weightedSum');
    expect(r.scores[0]).toBeCloseTo(0.8, 12);
    expect(r.scores[1]).toBeCloseTo(0.6, 12);
    expect(r.ranking[0]!.id).toBe('A');
  });

  it('TOPSIS treats competition as a cost', () => {
    const r = scoreSegments(segments, { ...equal, growth: 3 }, 'topsis');
    expect(r.ranking[0]!.id).toBe('B');
    expect(scoreSegments(segments, { ...equal, competition: 3 }, 'topsis').ranking[0]!.id).toBe('A');
  });

  it('rejects empty segments and zero weights', () => {
    expect(() => scoreSegments([], equal)).toThrowError(StrategyInputError);
    expect(() => scoreSegments(segments, { ...equal, fit: 0 })).toThrowError(/weight/);
  });
});
