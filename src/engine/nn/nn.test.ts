import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import type { Engine } from '../engine.js';
import type { Tensor } from '../engine.js';
import { Rng } from '../rng.js';
import { gradCheck } from '../testing/gradcheck.js';
import { Linear, Embedding, LayerNorm, Dropout } from './layers.js';
import { LSTM } from './lstm.js';
import { CausalSelfAttention, MLP } from './transformer.js';
import type { Module } from './module.js';

let e: Engine;
beforeAll(async () => {
  e = await createEngine({ backend: 'reference' });
});
afterAll(async () => {
  await e.dispose();
});

function input(shape: number[], seed = 5): Tensor {
  const r = new Rng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const t = e.fromArray(shape, Array.from({ length: n }, () => r.uniform() * 2 - 1));
  t.requiresGrad = true;
  return t;
}

function checkModule(m: Module, inputs: Tensor[], f: () => Tensor): void {
  const params = [...m.parameters().values()];
  // Small init (std 0.02) makes gradients tiny; widen weights so the check is meaningful.
  const r = new Rng(77);
  for (const p of params) for (let i = 0; i < p.size; i++) p.data[i] = r.uniform() - 0.5;
  const res = gradCheck([...inputs, ...params], f, { samples: 12 });
  expect(res.worst, res.where).toBeLessThanOrEqual(1);
}

describe('layers: gradients match finite differences', () => {
  const rng = new Rng(1);
  it('Linear', () => {
    const l = new Linear(e, 4, 3, rng);
    const x = input([2, 4]);
    checkModule(l, [x], () => l.forward(x));
  });
  it('Embedding', () => {
    const m = new Embedding(e, 6, 3, rng);
    checkModule(m, [], () => m.forward(Int32Array.from([0, 5, 5, 2]), [2, 2]));
  });
  it('LayerNorm', () => {
    const m = new LayerNorm(e, 8);
    const x = input([3, 8]);
    checkModule(m, [x], () => m.forward(x));
  });
  it('Dropout is the identity in eval mode', () => {
    const d = new Dropout(0.5, rng).train(false);
    const x = input([4]);
    expect(d.forward(x)).toBe(x);
  });
  it('LSTM, two layers, with parameter names as PyTorch', () => {
    const m = new LSTM(e, 3, 4, 2, rng);
    expect([...m.parameters().keys()].slice(0, 4)).toEqual(['weight_ih_l0', 'weight_hh_l0', 'bias_ih_l0', 'bias_hh_l0']);
    const x = input([2, 3, 3]);
    checkModule(m, [x], () => m.forward(x).output);
  });
  it('causal multi-head self-attention', () => {
    const m = new CausalSelfAttention(e, { dModel: 8, nHead: 2, dropout: 0, projStd: 0.02 }, rng);
    const x = input([2, 4, 8]);
    checkModule(m, [x], () => m.forward(x));
  });
  it('MLP', () => {
    const m = new MLP(e, { dModel: 4, nHead: 1, dropout: 0, projStd: 0.02 }, rng);
    const x = input([3, 4]);
    checkModule(m, [x], () => m.forward(x));
  });
  it('attention is causal: later tokens do not change earlier outputs', () => {
    const m = new CausalSelfAttention(e, { dModel: 8, nHead: 2, dropout: 0, projStd: 0.02 }, rng);
    const x = input([1, 4, 8]);
    const y1 = m.forward(x).toArray();
    x.data.fill(9, 3 * 8, 4 * 8);
    const y2 = m.forward(x).toArray();
    expect([...y2.slice(0, 24)]).toEqual([...y1.slice(0, 24)]);
  });
});
