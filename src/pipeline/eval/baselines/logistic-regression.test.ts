import { describe, expect, it } from 'vitest';
import type { SparseRows } from './features.js';
import { minimizeLbfgs } from './lbfgs.js';
import { logisticObjective, logisticScores, trainLogisticRegression } from './logistic-regression.js';

/** Dense rows to the sparse form (zeros left out). */
function sparse(dense: number[][]): SparseRows {
  const rowStart = [0];
  const cols: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        cols.push(j);
        values.push(v);
      }
    });
    rowStart.push(cols.length);
  }
  return { rows: dense.length, columns: dense[0]!.length, rowStart: Int32Array.from(rowStart), cols: Int32Array.from(cols), values: Float64Array.from(values) };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function at (1, 1)', () => {
    const rosenbrock = (x: Float64Array, g: Float64Array) => {
      const [a, b] = [x[0]!, x[1]!];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const r = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 500, tolerance: 1e-8 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 5);
    expect(r.x[1]).toBeCloseTo(1, 5);
  });
});

describe('logistic regression', () => {
  // Three classes, four features, a few rows with fractional values.
  const x = sparse([
    [1, 0, 0.5, 0],
    [0, 2, 0, 0],
    [0.3, 0, 0, 1],
    [0, 0, 1, 1],
    [1, 1, 0, 0],
  ]);
  const labels = [0, 1, 2, 2, 1];

  it('has the gradient of its objective (central finite differences)', () => {
    const theta = Float64Array.from({ length: 4 * 3 + 3 }, (_, i) => Math.sin(i + 1) * 0.7);
    const g = new Float64Array(theta.length);
    logisticObjective(x, labels, 3, 0.5, theta, g);
    const h = 1e-6;
    for (let p = 0; p < theta.length; p++) {
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[p]! += h;
      minus[p]! -= h;
      const numeric = (logisticObjective(x, labels, 3, 0.5, plus, new Float64Array(theta.length)) - logisticObjective(x, labels, 3, 0.5, minus, new Float64Array(theta.length))) / (2 * h);
      expect(g[p]!, `parameter ${p}`).toBeCloseTo(numeric, 7);
    }
  });

  it('with a vanishing penalty, reproduces the empirical class frequencies of a single binary feature', () => {
    // x = 1: three of four are class 1; x = 0: one of four. The maximum-likelihood fit predicts exactly 3/4 and 1/4.
    const rows = sparse([[1], [1], [1], [1], [0], [0], [0], [0]]);
    const y = [1, 1, 1, 0, 1, 0, 0, 0];
    const m = trainLogisticRegression(rows, y, 2, { c: 1e9, tolerance: 1e-10, maxIterations: 1000 });
    const s = logisticScores(m, sparse([[1], [0]]));
    expect(sigmoid(s[1]! - s[0]!)).toBeCloseTo(3 / 4, 5);
    expect(sigmoid(s[3]! - s[2]!)).toBeCloseTo(1 / 4, 5);
  });

  it('with a penalty, solves the scalar optimality condition of a symmetric problem (solved here by bisection)', () => {
    // x = +1: three of four class 1; x = −1: three of four class 0. By symmetry the biases are 0 and the two
    // classes' weights are ±w/2, so the objective is f(w) = [3·ln(1+e^−w) + ln(1+e^w)]/4 + λw²/4 with
    // λ = 1/(C·n); its minimum solves f'(w) = [−3σ(−w) + σ(w)]/4 + λw/2 = 0.
    const rows = sparse([[1], [1], [1], [1], [-1], [-1], [-1], [-1]]);
    const y = [1, 1, 1, 0, 0, 0, 0, 1];
    const c = 0.25;
    const lambda = 1 / (c * 8);
    const derivative = (w: number) => (-3 * sigmoid(-w) + sigmoid(w)) / 4 + (lambda * w) / 2;
    let [lo, hi] = [0, 10];
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (derivative(mid) > 0) hi = mid;
      else lo = mid;
    }
    const m = trainLogisticRegression(rows, y, 2, { c, tolerance: 1e-12, maxIterations: 1000 });
    const s = logisticScores(m, sparse([[1]]));
    expect(s[1]! - s[0]!).toBeCloseTo(lo, 6);
    expect(m.theta[2]! + m.theta[3]!).toBeCloseTo(0, 8); // biases sum to zero (only their difference matters; both start at 0)
  });

  it('separates a separable problem and is the same fit every time (no randomness)', () => {
    const a = trainLogisticRegression(x, labels, 3);
    const b = trainLogisticRegression(x, labels, 3);
    expect(Array.from(a.theta)).toEqual(Array.from(b.theta));
    const s = logisticScores(a, x);
    const predicted = labels.map((_, i) => [0, 1, 2].reduce((best, c) => (s[i * 3 + c]! > s[i * 3 + best]! ? c : best), 0));
    expect(predicted).toEqual(labels);
  });
});
