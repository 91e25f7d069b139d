import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import type { Engine } from '../engine.js';
import { gradCheck } from '../testing/gradcheck.js';
import { crossEntropy } from './loss.js';

let e: Engine;
beforeAll(async () => {
  e = await createEngine({ backend: 'reference' });
});
afterAll(async () => {
  await e.dispose();
});

/** -log softmax(row)[t], computed in float64 from the definition. */
function nll(row: readonly number[], t: number): number {
  const z = Math.max(...row);
  const s = row.reduce((acc, v) => acc + Math.exp(v - z), 0);
  return -(row[t]! - z - Math.log(s));
}

describe('class-weighted cross-entropy', () => {
  const rows = [[1, 2, 0.5], [0.2, -1, 3], [2, 2, 2], [-0.5, 0.1, 0.4]];
  const targets = [0, 2, 1, 2];
  const weights = [3, 0.5, 2];

  it('is the hand-computed weighted mean Σ w_t·nll / Σ w_t, ignoring skipped rows', () => {
    const logits = e.fromArray([4, 3], rows.flat());
    const loss = crossEntropy(logits, Int32Array.from(targets), { classWeights: weights }).item();
    // Σ w·nll = 3·nll(r0,0) + 2·nll(r1,2) + 0.5·nll(r2,1) + 2·nll(r3,2); Σ w = 3 + 2 + 0.5 + 2 = 7.5
    const expected = (3 * nll(rows[0]!, 0) + 2 * nll(rows[1]!, 2) + 0.5 * nll(rows[2]!, 1) + 2 * nll(rows[3]!, 2)) / 7.5;
    expect(loss).toBeCloseTo(expected, 6);
    // An ignored row leaves both sums.
    const skipped = crossEntropy(e.fromArray([4, 3], rows.flat()), Int32Array.from([0, -100, 1, 2]), { classWeights: weights }).item();
    expect(skipped).toBeCloseTo((3 * nll(rows[0]!, 0) + 0.5 * nll(rows[2]!, 1) + 2 * nll(rows[3]!, 2)) / 5.5, 6);
  });

  it('with equal weights is the plain mean', () => {
    const plain = crossEntropy(e.fromArray([4, 3], rows.flat()), Int32Array.from(targets)).item();
    const equal = crossEntropy(e.fromArray([4, 3], rows.flat()), Int32Array.from(targets), { classWeights: [2, 2, 2] }).item();
    expect(equal).toBeCloseTo(plain, 6);
  });

  it('has the gradient w_t·(softmax − onehot) / Σ w, matching central finite differences', () => {
    const logits = e.fromArray([4, 3], rows.flat());
    logits.requiresGrad = true;
    const r = gradCheck([logits], () => crossEntropy(logits, Int32Array.from(targets), { classWeights: weights }), { h: 1e-2 });
    expect(r.worst, r.where).toBeLessThanOrEqual(1);
    // And the closed form, element by element.
    logits.grad?.fill(0);
    e.backward(crossEntropy(logits, Int32Array.from(targets), { classWeights: weights }));
    rows.forEach((row, i) => {
      const z = Math.max(...row);
      const s = row.reduce((acc, v) => acc + Math.exp(v - z), 0);
      row.forEach((v, j) => {
        const p = Math.exp(v - z) / s;
        expect(logits.grad![i * 3 + j]).toBeCloseTo((weights[targets[i]!]! * (p - (j === targets[i] ? 1 : 0))) / 7.5, 6);
      });
    });
  });

  it('refuses a weight list of the wrong length', () => {
    expect(() => crossEntropy(e.fromArray([1, 3], [0, 0, 0]), Int32Array.from([1]), { classWeights: [1, 1] })).toThrow(/2 class weights for 3 classes/);
  });
});
