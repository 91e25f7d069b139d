import { describe, expect, it } from 'vitest';
import { analyseWeightSensitivity } from './sensitivity.js';
import { rankByTopsis } from './topsis.js';
import { scoreWeightedSum } from './weightedSum.js';
import type { DecisionProblem } from './decisionMatrix.js';
import { fighterAircraft } from './fighterAircraft.fixture.js';

/** The problem with criterion k at weight t and the rest rescaled proportionally (the definition). */
function reweighted(problem: DecisionProblem, k: number, t: number): DecisionProblem {
  const total = problem.criteria.reduce((s, c) => s + c.weight, 0);
  const wk = problem.criteria[k]!.weight / total;
  return {
    alternatives: problem.alternatives,
    criteria: problem.criteria.map((c, j) => ({ ...c, weight: j === k ? t : ((c.weight / total) * (1 - t)) / (1 - wk) })),
  };
}

describe('analyseWeightSensitivity', () => {
  // Independent hand computation: with min-max normalisation the scores are linear in the weight.
  // r(A) = (1, 0), r(B) = (0, 1), weights (0.6, 0.4): A = w1, B = 1 − w1 → A leads while w1 > 0.5.
  const twoByTwo: DecisionProblem = {
    criteria: [{ id: 'size', weight: 0.6, kind: 'benefit' }, { id: 'fit', weight: 0.4, kind: 'benefit' }],
    alternatives: [{ id: 'A', scores: [10, 0] }, { id: 'B', scores: [0, 10] }],
  };

  it('finds the exact weighted-sum breakpoint of a linear case', () => {
    const result = analyseWeightSensitivity(twoByTwo, { method: 'weightedSum', normalisation: 'minMax' });
    expect(result.top).toBe('A');
    const [size, fit] = result.criteria;
    expect(size!.increase.weightAtChange).toBeNull();
    expect(size!.decrease.weightAtChange).toBeCloseTo(0.5, 8);
    expect(size!.decrease.change).toBeCloseTo(0.1, 8);
    expect(size!.decrease.newTop).toBe('B');
    expect(fit!.increase.weightAtChange).toBeCloseTo(0.5, 8);
    expect(fit!.increase.newTop).toBe('B');
    expect(fit!.decrease.weightAtChange).toBeNull();
    // Both criteria need the same 0.1 move (size down or fit up); either may be reported.
    expect(result.mostCritical).toMatchObject({ newTop: 'B' });
    expect(result.mostCritical!.change).toBeCloseTo(0.1, 8);
  });

  it('hand-computed three-alternative weighted sum', () => {
    // Linear scale, benefit criteria, r = x / max: A (1, 0.2), B (0.5, 1), C (0.8, 0.6).
    // Scores with w1 = t: A = 0.2 + 0.8t, B = 1 − 0.5t, C = 0.6 + 0.2t.
    // Baseline t = 0.7: A = 0.76, B = 0.65, C = 0.74 → A. Decreasing t: A = C at t = 2/3 (C takes over
    // before B, which would tie A at t = 8/13 ≈ 0.615).
    const problem: DecisionProblem = {
      criteria: [{ id: 'c1', weight: 7, kind: 'benefit' }, { id: 'c2', weight: 3, kind: 'benefit' }],
      alternatives: [{ id: 'A', scores: [10, 2] }, { id: 'B', scores: [5, 10] }, { id: 'C', scores: [8, 6] }],
    };
    const result = analyseWeightSensitivity(problem, { method: 'weightedSum' });
    expect(result.top).toBe('A');
    expect(result.criteria[0]!.decrease.weightAtChange).toBeCloseTo(2 / 3, 8);
    expect(result.criteria[0]!.decrease.newTop).toBe('C');
    expect(result.criteria[1]!.increase.weightAtChange).toBeCloseTo(1 / 3, 8);
    expect(scoreWeightedSum(reweighted(problem, 0, 0.66)).ranking[0]!.id).toBe('C');
  });

  it('TOPSIS breakpoints are real reversals on the Hwang & Yoon data', () => {
    const result = analyseWeightSensitivity(fighterAircraft, { method: 'topsis' });
    expect(result.top).toBe('A1');
    let found = 0;
    result.criteria.forEach((c, k) => {
      for (const side of [c.increase, c.decrease]) {
        if (side.weightAtChange === null) continue;
        found++;
        const dir = side === c.increase ? 1 : -1;
        const before = rankByTopsis(reweighted(fighterAircraft, k, side.weightAtChange - dir * 1e-6));
        const after = rankByTopsis(reweighted(fighterAircraft, k, side.weightAtChange + dir * 1e-6));
        expect(before.ranking[0]!.id).toBe('A1');
        expect(after.ranking[0]!.id).toBe(side.newTop);
      }
    });
    expect(found).toBeGreaterThan(0);
    const smallest = Math.min(...result.criteria.flatMap((c) => [c.increase.change, c.decrease.change]).filter((x): x is number => x !== null));
    expect(result.mostCritical!.change).toBe(smallest);
    // Maneuverability (A1's strength, weight 0.3) must be able to rise without changing the winner.
    expect(result.criteria[5]!.increase.weightAtChange).toBeNull();
  });
});
