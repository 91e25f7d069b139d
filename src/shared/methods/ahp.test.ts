import { describe, expect, it } from 'vitest';
import { analysePairwiseMatrix, deriveAhpWeights, validatePairwiseMatrix } from './ahp.js';
import { StrategyInputError } from './errors.js';

// Published example 1: Saaty, T.L. (2008), "Decision making with the analytic hierarchy process",
// Int. J. Services Sciences 1(1), 83–98, Table 2 "Which drink is consumed more in the U.S.?"
// (coffee, wine, tea, beer, sodas, milk, water). Published eigenvector:
// .177 .019 .042 .116 .190 .129 .327, C.R. = .022.
const drinks = [
  [1, 9, 5, 2, 1, 1, 1 / 2],
  [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
  [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
  [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
  [1, 9, 4, 2, 1, 2, 1 / 2],
  [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
  [2, 9, 9, 3, 2, 3, 1],
];

// Published example 2: the AHP "choosing a leader" example (Wikipedia, "Analytic hierarchy
// process – leader example", criteria experience, education, charisma, age). Published criterion
// priorities 0.547, 0.127, 0.270, 0.056 and CR 0.044.
const leaderCriteria = [
  [1, 4, 3, 7],
  [1 / 4, 1, 1 / 3, 3],
  [1 / 3, 3, 1, 5],
  [1 / 7, 1 / 3, 1 / 5, 1],
];

/** A perfectly consistent matrix a_ij = w_i / w_j (independent reference: λmax = n, CR = 0). */
function consistentMatrix(w: number[]): number[][] {
  return w.map((wi) => w.map((wj) => wi / wj));
}

describe('AHP', () => {
  it("reproduces Saaty's drink-consumption eigenvector", () => {
    const result = deriveAhpWeights(drinks);
    [0.177, 0.019, 0.042, 0.116, 0.19, 0.129, 0.327].forEach((w, i) => expect(result.weights[i]).toBeCloseTo(w, 3));
    expect(result.randomIndex).toBe(1.32);
    expect(result.consistencyRatio).toBeCloseTo(0.022, 3);
    // Eigen-equation check, independent of how the vector was found: A w = λmax w.
    drinks.forEach((row, i) => {
      const aw = row.reduce((s, a, j) => s + a * result.weights[j]!, 0);
      expect(aw).toBeCloseTo(result.lambdaMax * result.weights[i]!, 10);
    });
  });

  it('reproduces the leader example priorities and CR', () => {
    const result = deriveAhpWeights(leaderCriteria, { labels: ['experience', 'education', 'charisma', 'age'] });
    [0.547, 0.127, 0.27, 0.056].forEach((w, i) => expect(Math.abs(result.weights[i]! - w)).toBeLessThan(0.0015));
    expect(result.consistencyRatio).toBeCloseTo(0.044, 3);
    expect(result.consistencyIndex).toBeCloseTo((result.lambdaMax - 4) / 3, 12);
  });

  it('recovers the weights of a consistent matrix with λmax = n and CR = 0', () => {
    const w = [0.5, 0.25, 0.125, 0.125];
    const result = deriveAhpWeights(consistentMatrix(w));
    w.forEach((x, i) => expect(result.weights[i]).toBeCloseTo(x, 12));
    expect(result.lambdaMax).toBeCloseTo(4, 10);
    expect(result.consistencyRatio).toBeCloseTo(0, 10);
  });

  it('refuses CR > 0.10 and names the corrupted judgement first', () => {
    const m = consistentMatrix([0.4, 0.3, 0.2, 0.1]);
    m[0]![3] = 1 / 6; // judged 1/6 where 4 is implied
    m[3]![0] = 6;
    expect(analysePairwiseMatrix(m).consistencyRatio).toBeGreaterThan(0.1);
    try {
      deriveAhpWeights(m, { labels: ['price', 'reach', 'fit', 'support'] });
      expect.unreachable();
    } catch (e) {
      const err = e as StrategyInputError;
      expect(err.code).toBe('QD_AHP_INCONSISTENT');
      expect(err.message).toContain('(price,support)');
      expect(err.message.split('\n')).toHaveLength(1);
      expect(analysePairwiseMatrix(m).mostInconsistent[0]).toMatchObject({ i: 0, j: 3 });
    }
  });

  it('validates shape, positivity, diagonal, reciprocity and scale', () => {
    const cases: number[][][] = [
      [],
      [[1, 2], [0.5]],
      [[1, 2, 3], [0.5, 1, 2]],
      [[1, -2], [-0.5, 1]],
      [[2, 2], [0.5, 1]],
      [[1, 3], [0.5, 1]],
      [[1, 12], [1 / 12, 1]],
      [[1, Number.NaN], [1, 1]],
    ];
    for (const m of cases) {
      expect(() => validatePairwiseMatrix(m), JSON.stringify(m)).toThrowError(StrategyInputError);
      try { validatePairwiseMatrix(m); } catch (e) { expect((e as StrategyInputError).code).toBe('QD_AHP_INVALID_MATRIX'); }
    }
    expect(() => validatePairwiseMatrix([[1, 3], [0.333, 1]])).not.toThrow();
  });

  it('treats 1×1 and 2×2 matrices as consistent', () => {
    expect(deriveAhpWeights([[1]]).weights).toEqual([1]);
    const two = deriveAhpWeights([[1, 3], [1 / 3, 1]]);
    expect(two.weights[0]).toBeCloseTo(0.75, 12);
    expect(two.consistencyRatio).toBe(0);
  });
});
