import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import type { Engine, Tensor } from '../engine.js';
import { loadNativeAddon } from '../kernels/native.js';
import { Rng } from '../rng.js';
import { gradCheck } from '../testing/gradcheck.js';
import { add, mul } from './elementwise.js';
import { lstmCell, lstmLayer } from './lstm-cell.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';
import { concat, reshape, slice } from './shape.js';

// The whole-sequence LSTM op against the same recurrence written step by step with the generic ops
// (slice, matmul, add, lstmCell, concat), values and every gradient, on the reference kernels and, where
// built, the native ones (whose backward sums the recurrent weight gradient in one product).

function leaf(e: Engine, rng: Rng, shape: number[], scale = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const t = e.fromArray(shape, Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale));
  t.requiresGrad = true;
  return t;
}

/** The recurrence step by step, as nn/lstm.ts ran it before lstmLayer. */
function stepwise(x: Tensor, w: Tensor, bIh: Tensor, bHh: Tensor, h0: Tensor, c0: Tensor): { output: Tensor; h: Tensor; c: Tensor } {
  const [B, T, H4] = x.shape as [number, number, number];
  const H = H4 / 4;
  const xb = add(x, add(bIh, bHh));
  let h = h0;
  let c = c0;
  const outs: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const gates = add(reshape(slice(xb, 1, t, t + 1), [B, H4]), matmul(h, w, { transB: true }));
    [h, c] = lstmCell(gates, c);
    outs.push(reshape(h, [B, 1, H]));
  }
  return { output: concat(outs, 1), h, c };
}

const load = loadNativeAddon();
const backends: Array<'reference' | 'native'> = load.addon ? ['reference', 'native'] : ['reference'];

for (const kernels of backends) {
  describe(`lstmLayer on the ${kernels} kernels`, () => {
    let e: Engine;
    beforeAll(async () => {
      e = await createEngine(kernels === 'reference' ? { backend: 'reference' } : { kernels: 'native', threads: 2 });
    });
    afterAll(async () => {
      await e.dispose();
    });

    // Both ways of running the recurrent product: by wHh as stored (few rows) and by a transposed copy.
    it.each([[3, 7, 40], [12, 5, 24]])('equals the step-by-step recurrence at B=%i, T=%i, H=%i: outputs, final state and all gradients', (B, T, H) => {
      const rng = new Rng(11);
      const x = leaf(e, rng, [B, T, 4 * H], 2);
      const w = leaf(e, rng, [4 * H, H], 0.3);
      const bIh = leaf(e, rng, [4 * H]);
      const bHh = leaf(e, rng, [4 * H]);
      const h0 = leaf(e, rng, [B, H]);
      const c0 = leaf(e, rng, [B, H]);
      const inputs = [x, w, bIh, bHh, h0, c0];
      const weights = [leaf(e, rng, [B, T, H]), leaf(e, rng, [B, H]), leaf(e, rng, [B, H])].map((t) => ((t.requiresGrad = false), t));
      const run = (f: () => { output: Tensor; h: Tensor; c: Tensor }): { values: Float32Array[]; grads: Float32Array[] } => {
        for (const t of inputs) t.grad = null;
        const r = f();
        const values = [r.output, r.h, r.c].map((t) => t.toArray());
        // A loss that reaches the outputs, the final h and the final c with different weights.
        const loss = add(add(sum(mul(r.output, weights[0]!)), sum(mul(r.h, weights[1]!))), sum(mul(r.c, weights[2]!)));
        e.backward(loss);
        return { values, grads: inputs.map((t) => Float32Array.from(t.grad!)) };
      };
      const want = run(() => stepwise(x, w, bIh, bHh, h0, c0));
      const got = run(() => lstmLayer(x, w, [bIh, bHh], h0, c0));
      const close = (a: Float32Array, b: Float32Array): void => {
        let max = 0;
        let worst = 0;
        for (let i = 0; i < b.length; i++) {
          max = Math.max(max, Math.abs(b[i]!));
          worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
        }
        expect(worst / max).toBeLessThanOrEqual(1e-5);
      };
      want.values.forEach((v, i) => close(got.values[i]!, v));
      want.grads.forEach((g, i) => close(got.grads[i]!, g));
      // A hand-checked point: every gradient is non-trivial.
      for (const g of got.grads) expect(g.some((v) => v !== 0)).toBe(true);
    });
  });
}

describe('lstmLayer gradients match finite differences', () => {
  let e: Engine;
  beforeAll(async () => {
    e = await createEngine({ backend: 'reference' });
  });
  afterAll(async () => {
    await e.dispose();
  });
  it('through the outputs, the final state, the biases and the initial state', () => {
    const rng = new Rng(3);
    const [B, T, H] = [2, 4, 3];
    const x = leaf(e, rng, [B, T, 4 * H]);
    const w = leaf(e, rng, [4 * H, H]);
    const bIh = leaf(e, rng, [4 * H]);
    const bHh = leaf(e, rng, [4 * H]);
    const h0 = leaf(e, rng, [B, H]);
    const c0 = leaf(e, rng, [B, H]);
    const res = gradCheck([x, w, bIh, bHh, h0, c0], () => {
      const r = lstmLayer(x, w, [bIh, bHh], h0, c0);
      return concat([reshape(r.output, [B, T * H]), r.h, r.c], 1);
    });
    expect(res.worst, res.where).toBeLessThanOrEqual(1);
  });
});

describe.skipIf(!load.addon)('lstmLayer on the native kernels', () => {
  it('gives bit-identical outputs and gradients on 1 and 2 threads', async () => {
    const results: Float32Array[][] = [];
    for (const threads of [1, 2]) {
      const e = await createEngine({ kernels: 'native', threads });
      const rng = new Rng(5);
      const [B, T, H] = [10, 12, 64];
      const x = leaf(e, rng, [B, T, 4 * H]);
      const w = leaf(e, rng, [4 * H, H], 0.2);
      const bias = leaf(e, rng, [4 * H]);
      const h0 = leaf(e, rng, [B, H]);
      const c0 = leaf(e, rng, [B, H]);
      const r = lstmLayer(x, w, [bias], h0, c0);
      const wts = leaf(e, rng, [B, T, H]);
      wts.requiresGrad = false;
      e.backward(sum(mul(r.output, wts)));
      results.push([r.output.toArray(), ...[x, w, bias, h0, c0].map((t) => Float32Array.from(t.grad!))]);
      await e.dispose();
    }
    results[0]!.forEach((a, i) => expect(results[1]![i]!).toEqual(a));
  });
});
