import { describe, expect, it } from 'vitest';
import { rankByTopsis } from './topsis.js';
import type { DecisionProblem } from './decisionMatrix.js';
import { fighterAircraft } from './fighterAircraft.fixture.js';
import { StrategyInputError } from './errors.js';

// Source: Hwang & Yoon (1981), Multiple Attribute Decision Making, §3.5, fighter-aircraft example
// (data and published C* values in fighterAircraft.fixture.ts).
describe('rankByTopsis', () => {
  it('reproduces Hwang & Yoon (1981) fighter-aircraft closeness values', () => {
    const result = rankByTopsis(fighterAircraft);
    const closeness = result.alternatives.map((a) => a.closenessToIdeal);
    [0.643, 0.268, 0.614, 0.312].forEach((c, i) => expect(closeness[i]).toBeCloseTo(c, 3));
    expect(result.ranking.map((r) => r.id)).toEqual(['A1', 'A3', 'A4', 'A2']);
    expect(result.ranking.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  });

  it('takes the minimum of a cost criterion as ideal', () => {
    const result = rankByTopsis({
      criteria: [{ id: 'price', weight: 1, kind: 'cost' }],
      alternatives: [{ id: 'cheap', scores: [1] }, { id: 'dear', scores: [3] }],
    });
    expect(result.ranking[0]!.id).toBe('cheap');
    expect(result.alternatives[0]!.closenessToIdeal).toBe(1);
    expect(result.alternatives[1]!.closenessToIdeal).toBe(0);
  });

  it('gives 0.5 to identical alternatives, shared rank', () => {
    const result = rankByTopsis({
      criteria: [{ id: 'fit', weight: 1, kind: 'benefit' }],
      alternatives: [{ id: 'a', scores: [2] }, { id: 'b', scores: [2] }],
    });
    expect(result.alternatives.map((a) => a.closenessToIdeal)).toEqual([0.5, 0.5]);
    expect(result.ranking.map((r) => r.rank)).toEqual([1, 1]);
  });

  it('rejects bad inputs with QD_INVALID_INPUT', () => {
    const bad: DecisionProblem[] = [
      { criteria: fighterAircraft.criteria, alternatives: [] },
      { criteria: [], alternatives: fighterAircraft.alternatives },
      { criteria: [{ id: 'x', weight: 0, kind: 'benefit' }], alternatives: [{ id: 'a', scores: [1] }] },
      { criteria: [{ id: 'x', weight: -1, kind: 'benefit' }], alternatives: [{ id: 'a', scores: [1] }] },
      { criteria: [{ id: 'x', weight: 1, kind: 'benefit' }], alternatives: [{ id: 'a', scores: [Number.NaN] }] },
      { criteria: [{ id: 'x', weight: 1, kind: 'benefit' }], alternatives: [{ id: 'a', scores: [1, 2] }] },
    ];
    for (const problem of bad) {
      expect(() => rankByTopsis(problem)).toThrowError(StrategyInputError);
      try { rankByTopsis(problem); } catch (e) { expect((e as StrategyInputError).code).toBe('QD_INVALID_INPUT'); }
    }
  });
});
