import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../create.js';
import type { Engine } from '../engine.js';
import type { Tensor } from '../engine.js';
import { SGD } from './sgd.js';
import { Adam, AdamW } from './adam.js';
import { clipGradNorm } from './clip.js';
import { learningRate } from './schedule.js';

let e: Engine;
beforeAll(async () => {
  e = await createEngine({ backend: 'wasm', threads: 1 });
});
afterAll(async () => {
  await e.dispose();
});

function param(values: number[], grad: number[], shape = [values.length]): Map<string, Tensor> {
  const p = e.parameter(shape, values);
  e.gradOf(p)!.set(grad);
  return new Map([['w', p]]);
}

describe('optimisers match hand-computed updates', () => {
  it('SGD with momentum', () => {
    const ps = param([1, -2], [0.5, 1], [1, 2]);
    const opt = new SGD(e, ps, { momentum: 0.9 });
    opt.step(0.1);
    ps.get('w')!.grad!.set([0.5, 1]);
    opt.step(0.1);
    // v1 = g, v2 = 0.9 g + g = 1.9 g; w = w0 - 0.1 (g + 1.9 g)
    expect(ps.get('w')!.data[0]).toBeCloseTo(1 - 0.1 * 2.9 * 0.5, 6);
    expect(ps.get('w')!.data[1]).toBeCloseTo(-2 - 0.1 * 2.9 * 1, 6);
  });
  it('Adam: first step moves each weight by lr·sign(g)', () => {
    const ps = param([1, -2, 3], [0.5, -1, 2]);
    new Adam(e, ps).step(0.01);
    expect([...ps.get('w')!.data].map((v) => +v.toFixed(5))).toEqual([0.99, -1.99, 2.99]);
  });
  it('AdamW decays matrices, not vectors, decoupled from the moments', () => {
    const ps = new Map<string, Tensor>([['m', e.parameter([1, 1], [2])], ['b', e.parameter([1], [2])]]);
    const opt = new AdamW(e, ps, { weightDecay: 0.5 });
    opt.step(0.1);
    // zero gradient: Adam part is 0, decay: w -= lr · wd · w
    expect(ps.get('m')!.data[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2, 6);
    expect(ps.get('b')!.data[0]).toBe(2);
  });
  it('L1 and L2 penalties add to the gradient', () => {
    const ps = param([2, -3], [0, 0], [1, 2]);
    new SGD(e, ps, { l1: 0.1, l2: 0.5 }).step(1);
    expect(ps.get('w')!.data[0]).toBeCloseTo(2 - (0.5 * 2 + 0.1), 6);
    expect(ps.get('w')!.data[1]).toBeCloseTo(-3 - (0.5 * -3 - 0.1), 6);
  });
  it('state round-trips', () => {
    const ps = param([1, 2], [0.3, -0.2]);
    const opt = new AdamW(e, ps);
    opt.step(0.1);
    const s = opt.getState();
    const ps2 = param([1, 2], [0.3, -0.2]);
    const opt2 = new AdamW(e, ps2);
    opt2.setState(s);
    expect(opt2.stepCount).toBe(1);
    expect([...opt2.getState().buffers.get('w.exp_avg')!]).toEqual([...s.buffers.get('w.exp_avg')!]);
  });
});

describe('gradient clipping and schedules', () => {
  it('clips the global norm', () => {
    const a = e.parameter([2]);
    const b = e.parameter([1]);
    e.gradOf(a)!.set([3, 0]);
    e.gradOf(b)!.set([4]);
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(5, 6);
    expect(Math.hypot(a.grad![0]!, a.grad![1]!, b.grad![0]!)).toBeCloseTo(1, 4);
  });
  it('warm-up then cosine decay to the floor', () => {
    const s = { kind: 'warmup-cosine', maxLr: 1, minLr: 0.1, warmupSteps: 10, totalSteps: 110 } as const;
    expect(learningRate(s, 0)).toBeCloseTo(0.1);
    expect(learningRate(s, 9)).toBeCloseTo(1);
    expect(learningRate(s, 60)).toBeCloseTo(0.55);
    expect(learningRate(s, 500)).toBe(0.1);
    expect(learningRate({ kind: 'constant', lr: 3e-4 }, 7)).toBe(3e-4);
  });
});
