import { describe, expect, it } from 'vitest';
import { createEngine, loadNativeAddon, supportedVariants, Rng, AdamW, type KernelChoice, type NativeVariant } from '../engine/index.js';
import type { GPT } from './gpt.js';
import { createModel } from './presets.js';
import { trainStep, type Batch } from './train-step.js';

// Training must not depend on how many threads run the kernels: every backend cuts work into chunks
// that write their own outputs and reduces in a fixed order. Across backends, results agree to
// rounding (each backend's kernels equal the reference twins to 1e-5; see engine/kernels/*.test.ts).
const addon = loadNativeAddon().addon;
const backends: Array<{ kernels: KernelChoice; variant?: NativeVariant }> = [
  { kernels: 'wasm' },
  ...(addon ? supportedVariants(addon).map((variant) => ({ kernels: 'native' as const, variant })) : []),
];

function batch(step: number, B: number, T: number, V: number): Batch {
  const r = new Rng(step);
  const ids = new Int32Array(B * T);
  const targets = new Int32Array(B * T);
  for (let i = 0; i < B * T; i++) {
    ids[i] = Math.floor(r.uniform() * V);
    targets[i] = (ids[i]! * 7 + 3) % V;
  }
  return { ids, targets, shape: [B, T] };
}

/** Losses and final weights of a few AdamW steps of a small GPT with dropout (exercises every kernel). */
async function trainRun(kernels: KernelChoice, threads: number, variant?: NativeVariant, steps = 4): Promise<{ losses: number[]; weights: Float32Array }> {
  const eng = await createEngine({ kernels, threads, nativeVariant: variant });
  const m = createModel(eng, { kind: 'gpt', config: { vocabSize: 64, contextLength: 64, nLayer: 2, nHead: 4, dModel: 128, dropout: 0.1 } }, { seed: 9 }) as GPT;
  const opt = new AdamW(eng, m.parameters(), { weightDecay: 0.1 });
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push(trainStep(m, opt, batch(s, 16, 64, 64), 1e-3, 1).loss);
  const parts = [...m.parameters().values()].map((p) => Float32Array.from(p.data));
  const weights = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    weights.set(p, o);
    o += p.length;
  }
  await eng.dispose();
  return { losses, weights };
}

describe('training across thread counts and backends', () => {
  for (const { kernels, variant } of backends) {
    it(`${kernels}${variant ? ` (${variant})` : ''}: one and two threads give bit-identical losses and weights`, async () => {
      const one = await trainRun(kernels, 1, variant);
      const two = await trainRun(kernels, 2, variant);
      expect(two.losses).toEqual(one.losses);
      expect(Buffer.from(two.weights.buffer).equals(Buffer.from(one.weights.buffer))).toBe(true);
    });
  }

  it.skipIf(!addon)('native and wasm training agree to rounding', async () => {
    const wasm = await trainRun('wasm', 2);
    const native = await trainRun('native', 2);
    for (let s = 0; s < wasm.losses.length; s++) expect(Math.abs(native.losses[s]! - wasm.losses[s]!)).toBeLessThan(1e-4 * Math.abs(wasm.losses[s]!));
  });
});
