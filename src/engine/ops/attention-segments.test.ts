import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import type { Engine, Tensor } from '../engine.js';
import { Rng } from '../rng.js';
import { gradCheck } from '../testing/gradcheck.js';
import { causalSelfAttention } from './attention.js';
import { mse } from './loss.js';

/**
 * Packed documents (AttentionSegments): attention over a packed row must be what each document computes
 * alone in a row of its own length, values and gradients, on the reference kernels, the wasm ones and
 * the engine's default (native where built).
 */
const B = 2;
const T = 7;
const C = 8;
const NH = 2;
const segments = [[3, 4], [2, 2]]; // row 1 leaves 3 positions (padding) as one more document
const spans = [{ at: 0, len: 3 }, { at: 3, len: 4 }, { at: 7, len: 2 }, { at: 9, len: 2 }, { at: 11, len: 3 }];

describe.each(['reference', 'wasm', 'default'] as const)('segmented causal attention (%s kernels)', (backend) => {
  let e: Engine;
  beforeAll(async () => {
    e = await createEngine(backend === 'reference' ? { backend: 'reference' } : backend === 'wasm' ? { threads: 2, kernels: 'wasm' } : { threads: 2 });
  });
  afterAll(async () => e?.dispose());

  const leaf = (shape: number[], values: ArrayLike<number>): Tensor => {
    const t = e.fromArray(shape, values);
    t.requiresGrad = true;
    return t;
  };

  it('equals each document attended over alone, forward and backward', () => {
    e.resetArena();
    const rng = new Rng(9);
    const values = Float32Array.from({ length: B * T * 3 * C }, () => rng.uniform() * 2 - 1);
    const goal = Float32Array.from({ length: B * T * C }, () => rng.uniform());
    const qkv = leaf([B, T, 3 * C], values);
    const out = causalSelfAttention(qkv, NH, segments);
    const packed = Float32Array.from(out.data);
    e.backward(mse(out, e.fromArray([B, T, C], goal)));
    const dPacked = Float32Array.from(e.gradOf(qkv)!);
    for (const s of spans) {
      const alone = leaf([1, s.len, 3 * C], values.subarray(s.at * 3 * C, (s.at + s.len) * 3 * C));
      const o = causalSelfAttention(alone, NH);
      packed.subarray(s.at * C, (s.at + s.len) * C).forEach((x, i) => expect(x).toBeCloseTo(o.data[i]!, 6));
      e.backward(mse(o, e.fromArray([1, s.len, C], goal.subarray(s.at * C, (s.at + s.len) * C))));
      // mse is a mean: the packed loss weighs this document by its share of the elements.
      const share = (s.len * C) / (B * T * C);
      const g = e.gradOf(alone)!;
      dPacked.subarray(s.at * 3 * C, (s.at + s.len) * 3 * C).forEach((x, i) => expect(x).toBeCloseTo(g[i]! * share, 6));
    }
  });

  it('passes a finite-difference gradient check', () => {
    if (backend !== 'reference') return;
    const rng = new Rng(3);
    const qkv = leaf([B, T, 3 * C], Array.from({ length: B * T * 3 * C }, () => rng.uniform() * 2 - 1));
    const r = gradCheck([qkv], () => mse(causalSelfAttention(qkv, NH, segments), e.zeros([B, T, C])));
    expect(r.worst, r.where).toBeLessThanOrEqual(1);
  });

  it('refuses segments that do not fit the batch', () => {
    const qkv = e.zeros([B, T, 3 * C]);
    expect(() => causalSelfAttention(qkv, NH, [[7]])).toThrow(/1 rows of segments for a batch of 2/);
    expect(() => causalSelfAttention(qkv, NH, [[4, 4], [7]])).toThrow(/cover 8 positions of 7/);
    expect(() => causalSelfAttention(qkv, NH, [[0, 7], [7]])).toThrow(/not a positive integer/);
  });
});
