import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import type { Engine } from '../engine.js';
import type { Tensor } from '../engine.js';
import { Rng } from '../rng.js';
import { gradCheck } from '../testing/gradcheck.js';
import * as op from './index.js';

let e: Engine;
const rng = new Rng(42);
beforeAll(async () => {
  e = await createEngine({ backend: 'reference' });
});
afterAll(async () => {
  await e.dispose();
});

/** A leaf tensor with uniform values in [-scale, scale] that requires a gradient. */
function leaf(shape: number[], scale = 1): Tensor {
  const n = shape.reduce((p, d) => p * d, 1);
  const t = e.fromArray(shape, Array.from({ length: n }, () => (rng.uniform() * 2 - 1) * scale));
  t.requiresGrad = true;
  return t;
}

function check(inputs: Tensor[], f: () => Tensor, opts: { h?: number; atol?: number; rtol?: number } = {}): void {
  const r = gradCheck(inputs, f, opts);
  expect(r.worst, r.where).toBeLessThanOrEqual(1);
}

describe('op values', () => {
  it('broadcasts add over trailing and unit dimensions', () => {
    const a = e.fromArray([2, 1, 3], [1, 2, 3, 4, 5, 6]);
    const b = e.fromArray([2, 1], [10, 20]);
    const c = op.add(a, b);
    expect(c.shape).toEqual([2, 2, 3]);
    expect([...c.data]).toEqual([11, 12, 13, 21, 22, 23, 14, 15, 16, 24, 25, 26]);
  });
  it('rejects shapes that do not broadcast', () => {
    expect(() => op.add(e.zeros([2, 3]), e.zeros([4]))).toThrow(/do not broadcast/);
  });
  it('matmul gives the textbook product and checks inner sizes', () => {
    const a = e.fromArray([2, 3], [1, 2, 3, 4, 5, 6]);
    const b = e.fromArray([3, 2], [7, 8, 9, 10, 11, 12]);
    expect([...op.matmul(a, b).data]).toEqual([58, 64, 139, 154]);
    expect(() => op.matmul(a, a)).toThrow(/do not fit/);
  });
  it('softmax rows sum to 1 and logSoftmax is its log', () => {
    const x = leaf([3, 5], 4);
    const s = op.softmax(x);
    const l = op.logSoftmax(x);
    for (let r = 0; r < 3; r++) {
      let t = 0;
      for (let i = 0; i < 5; i++) {
        t += s.data[r * 5 + i]!;
        expect(Math.log(s.data[r * 5 + i]!)).toBeCloseTo(l.data[r * 5 + i]!, 5);
      }
      expect(t).toBeCloseTo(1, 6);
    }
  });
  it('cross-entropy skips the ignore index and equals -log p', () => {
    const logits = e.fromArray([2, 3], [1, 2, 3, 0, 0, 0]);
    const loss = op.crossEntropy(logits, Int32Array.from([2, -100]));
    const p = Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3));
    expect(loss.item()).toBeCloseTo(-Math.log(p), 6);
  });
  it('GELU matches the tanh formula at a few points', () => {
    const x = e.fromArray([3], [-1, 0.5, 2]);
    const y = op.gelu(x);
    const g = (v: number): number => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    [-1, 0.5, 2].forEach((v, i) => expect(y.data[i]).toBeCloseTo(g(v), 6));
  });
  it('dropout is seeded and scales kept values', () => {
    const x = e.fromArray([1000], new Float32Array(1000).fill(1));
    const a = op.dropout(x, 0.5, new Rng(3));
    const b = op.dropout(x, 0.5, new Rng(3));
    expect([...a.data]).toEqual([...b.data]);
    expect(new Set(a.data)).toEqual(new Set([0, 2]));
  });
});

describe('gradients match finite differences', () => {
  it('add, sub, mul, div with broadcasting', () => {
    const a = leaf([2, 3, 4]);
    const b = leaf([4]);
    const c = leaf([3, 1]);
    check([a, b], () => op.add(a, b));
    check([a, c], () => op.sub(a, c));
    check([a, b], () => op.mul(a, b));
    const d = e.fromArray([3, 1], [1.5, -2, 2.5]);
    d.requiresGrad = true;
    check([a, d], () => op.div(a, d));
    check([a], () => op.scale(a, -1.5));
  });
  it('sum and mean, whole and along an axis', () => {
    const a = leaf([2, 3, 4]);
    check([a], () => op.sum(a));
    check([a], () => op.mean(a, 1));
    check([a], () => op.sum(a, -1, true));
  });
  it('reshape, permute, transpose, slice, concat', () => {
    const a = leaf([2, 3, 4]);
    const b = leaf([2, 2, 4]);
    check([a], () => op.reshape(a, [6, -1]));
    check([a], () => op.permute(a, [2, 0, 1]));
    check([a], () => op.transpose(a));
    check([a], () => op.slice(a, 1, 1, 3));
    check([a, b], () => op.concat([a, b], 1));
  });
  it('matmul in all transposed forms, batched and with a shared matrix', () => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = leaf(transA ? [2, 4, 3] : [2, 3, 4]);
        const b = leaf(transB ? [2, 5, 4] : [2, 4, 5]);
        check([a, b], () => op.matmul(a, b, { transA, transB }));
        const w = leaf(transB ? [5, 4] : [4, 5]);
        check([a, w], () => op.matmul(a, w, { transA, transB }));
      }
    }
  });
  it('linear', () => {
    const x = leaf([2, 3, 4]);
    const w = leaf([4, 6]);
    const b = leaf([6]);
    check([x, w, b], () => op.linear(x, w, b));
  });
  it('gather (embedding)', () => {
    const table = leaf([5, 3]);
    check([table], () => op.gather(table, Int32Array.from([1, 4, 1, 0]), [2, 2]));
  });
  it('GELU, tanh, sigmoid, ReLU, softmax, log-softmax', () => {
    const a = leaf([3, 8], 3);
    check([a], () => op.gelu(a));
    check([a], () => op.tanh(a));
    check([a], () => op.sigmoid(a));
    const r = e.fromArray([6], [-1, -0.5, 0.3, 0.7, 1.2, -2]);
    r.requiresGrad = true;
    check([r], () => op.relu(r));
    check([a], () => op.softmax(a));
    check([a], () => op.logSoftmax(a));
  });
  it('layerNorm', () => {
    const x = leaf([3, 8], 2);
    const w = leaf([8]);
    const b = leaf([8]);
    check([x, w, b], () => op.layerNorm(x, w, b));
  });
  it('fused causal self-attention', () => {
    const qkv = leaf([2, 5, 24]);
    check([qkv], () => op.causalSelfAttention(qkv, 2));
  });
  it('dropout (fixed seed)', () => {
    const a = leaf([4, 5]);
    check([a], () => op.dropout(a, 0.3, new Rng(9)));
  });
  it('cross-entropy with ignore index, and MSE', () => {
    const logits = leaf([4, 6], 2);
    check([logits], () => op.crossEntropy(logits, Int32Array.from([1, -100, 5, 0])));
    const p = leaf([3, 4]);
    const t = leaf([3, 4]);
    check([p, t], () => op.mse(p, t));
  });
  it('LSTM cell (both outputs)', () => {
    const gates = leaf([2, 12], 2);
    const c = leaf([2, 3]);
    check([gates, c], () => op.concat(op.lstmCell(gates, c), 1));
  });
});
