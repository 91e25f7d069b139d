import { describe, expect, it } from 'vitest';
import { scoreWeightedSum } from './weightedSum.js';
import { fighterAircraft } from './fighterAircraft.fixture.js';
import { StrategyInputError } from './errors.js';

// Independent hand computation of simple additive weighting (Hwang & Yoon 1981, §3.3, linear
// scale transformation r = x/max for benefit, r = min/x for cost) on the fighter-aircraft data
// of §3.5. For A1: 0.2·2.0/2.5 + 0.1·1500/2700 + 0.1·20000/21000 + 0.1·4.5/5.5 + 0.2·5/7 + 0.3·9/9
//   = 0.16 + 0.055556 + 0.095238 + 0.081818 + 0.142857 + 0.3 = 0.835469.
describe('scoreWeightedSum', () => {
  it('matches a hand computation with the linear scale', () => {
    const result = scoreWeightedSum(fighterAircraft);
    expect(result.scores[0]).toBeCloseTo(0.835469, 6);
    const a2 = 0.2 * 1 + 0.1 * 1 + 0.1 * (18000 / 21000) + 0.1 * (4.5 / 6.5) + 0.2 * (3 / 7) + 0.3 * (5 / 9);
    expect(result.scores[1]).toBeCloseTo(a2, 12);
    // A3: 0.2·1.8/2.5 + 0.1·2000/2700 + 0.1 + 0.1 + 0.2·7/7 + 0.3·7/9 = 0.851407 — SAW prefers A3
    // where TOPSIS prefers A1 (the two methods disagree on this data, as Hwang & Yoon discuss).
    expect(result.scores[2]).toBeCloseTo(0.851407, 6);
    expect(result.ranking.map((r) => r.id)).toEqual(['A3', 'A1', 'A4', 'A2']);
  });

  it('min-max normalisation maps best to 1 and worst to 0 per criterion', () => {
    const result = scoreWeightedSum(
      {
        criteria: [{ id: 'size', weight: 3, kind: 'benefit' }, { id: 'competition', weight: 1, kind: 'cost' }],
        alternatives: [{ id: 'smb', scores: [10, 8] }, { id: 'enterprise', scores: [30, 2] }, { id: 'edu', scores: [20, 5] }],
      },
      { normalisation: 'minMax' },
    );
    expect(result.weights).toEqual([0.75, 0.25]);
    expect(result.scores).toEqual([0, 1, 0.75 * 0.5 + 0.25 * 0.5]);
    expect(result.ranking.map((r) => r.id)).toEqual(['enterprise', 'edu', 'smb']);
  });

  it('refuses non-positive scores under the linear scale', () => {
    expect(() => scoreWeightedSum({ criteria: [{ id: 'c', weight: 1, kind: 'cost' }], alternatives: [{ id: 'a', scores: [0] }] }))
      .toThrowError(StrategyInputError);
  });
});
