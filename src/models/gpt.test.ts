import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, loadNativeAddon, Rng, type Engine } from '../engine/index.js';
import { GPT, type GptConfig } from './gpt.js';
import { loadStateDict, stateDict, StateDictError } from './state-dict.js';

// An independent GPT-2 in float64 written without the engine: the spec the engine must meet.
type Weights = Map<string, Float64Array>;

function naiveGpt(W: Weights, cfg: GptConfig, ids: Int32Array, B: number, T: number, targets: Int32Array): { loss: number; logits: Float64Array } {
  const { vocabSize: V, nLayer: L, nHead: NH, dModel: C } = cfg;
  const hs = C / NH;
  const w = (n: string): Float64Array => W.get(n)!;
  const N = B * T;
  let x: Float64Array<ArrayBufferLike> = new Float64Array(N * C);
  for (let i = 0; i < N; i++) for (let c = 0; c < C; c++) x[i * C + c] = w('wte.weight')[ids[i]! * C + c]! + w('wpe.weight')[(i % T) * C + c]!;
  const ln = (inp: Float64Array, g: Float64Array, b: Float64Array): Float64Array => {
    const out = new Float64Array(inp.length);
    for (let i = 0; i < N; i++) {
      let m = 0;
      for (let c = 0; c < C; c++) m += inp[i * C + c]! / C;
      let v = 0;
      for (let c = 0; c < C; c++) v += (inp[i * C + c]! - m) ** 2 / C;
      for (let c = 0; c < C; c++) out[i * C + c] = ((inp[i * C + c]! - m) / Math.sqrt(v + 1e-5)) * g[c]! + b[c]!;
    }
    return out;
  };
  const lin = (inp: Float64Array, din: number, wt: Float64Array, b: Float64Array, dout: number): Float64Array => {
    const out = new Float64Array(N * dout);
    for (let i = 0; i < N; i++) for (let o = 0; o < dout; o++) {
      let s = b[o]!;
      for (let k = 0; k < din; k++) s += inp[i * din + k]! * wt[k * dout + o]!;
      out[i * dout + o] = s;
    }
    return out;
  };
  for (let l = 0; l < L; l++) {
    const p = `h.${l}.`;
    const qkv = lin(ln(x, w(p + 'ln_1.weight'), w(p + 'ln_1.bias')), C, w(p + 'attn.c_attn.weight'), w(p + 'attn.c_attn.bias'), 3 * C);
    const y = new Float64Array(N * C);
    for (let b = 0; b < B; b++) for (let h = 0; h < NH; h++) for (let t = 0; t < T; t++) {
      const sc: number[] = [];
      for (let u = 0; u <= t; u++) {
        let s = 0;
        for (let j = 0; j < hs; j++) s += qkv[(b * T + t) * 3 * C + h * hs + j]! * qkv[(b * T + u) * 3 * C + C + h * hs + j]!;
        sc.push(s / Math.sqrt(hs));
      }
      const mx = Math.max(...sc);
      const ex = sc.map((s) => Math.exp(s - mx));
      const z = ex.reduce((a, c) => a + c, 0);
      for (let j = 0; j < hs; j++) {
        let s = 0;
        for (let u = 0; u <= t; u++) s += (ex[u]! / z) * qkv[(b * T + u) * 3 * C + 2 * C + h * hs + j]!;
        y[(b * T + t) * C + h * hs + j] = s;
      }
    }
    const a = lin(y, C, w(p + 'attn.c_proj.weight'), w(p + 'attn.c_proj.bias'), C);
    x = x.map((v, i) => v + a[i]!);
    const f = lin(ln(x, w(p + 'ln_2.weight'), w(p + 'ln_2.bias')), C, w(p + 'mlp.c_fc.weight'), w(p + 'mlp.c_fc.bias'), 4 * C)
      .map((v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))));
    const m = lin(f, 4 * C, w(p + 'mlp.c_proj.weight'), w(p + 'mlp.c_proj.bias'), C);
    x = x.map((v, i) => v + m[i]!);
  }
  x = ln(x, w('ln_f.weight'), w('ln_f.bias'));
  const logits = new Float64Array(N * V);
  let loss = 0;
  for (let i = 0; i < N; i++) {
    for (let v = 0; v < V; v++) {
      let s = 0;
      for (let c = 0; c < C; c++) s += x[i * C + c]! * w('wte.weight')[v * C + c]!;
      logits[i * V + v] = s;
    }
    const row = Array.from(logits.subarray(i * V, (i + 1) * V));
    const mx = Math.max(...row);
    const lse = mx + Math.log(row.reduce((a, s) => a + Math.exp(s - mx), 0));
    loss += (lse - logits[i * V + targets[i]!]!) / N;
  }
  return { loss, logits };
}

const cfg: GptConfig = { vocabSize: 11, contextLength: 6, nLayer: 2, nHead: 2, dModel: 8 };
const B = 2;
const T = 5;
const ids = Int32Array.from([1, 4, 7, 2, 9, 0, 3, 3, 10, 5]);
const targets = Int32Array.from([4, 7, 2, 9, 1, 3, 3, 10, 5, 6]);

const engines: Engine[] = [];
afterAll(async () => {
  for (const e of engines) await e.dispose();
});

/** A GPT with fixed, non-trivial weights, and the same weights in float64. */
function fixedModel(e: Engine): { model: GPT; W: Weights } {
  const model = new GPT(e, cfg, { seed: 1 });
  const r = new Rng(2024);
  const W: Weights = new Map();
  for (const [name, p] of model.parameters()) {
    const isGain = /ln_.*weight|ln_f\.weight/.test(name);
    for (let i = 0; i < p.size; i++) p.data[i] = (isGain ? 1 : 0) + (r.uniform() - 0.5) * 0.8;
    W.set(name, Float64Array.from(p.data));
  }
  return { model, W };
}

// The native kernels join when their addon is built (npm install with a C++ compiler).
const kernelChoices = ['reference', 'wasm', ...(loadNativeAddon().addon ? ['native'] as const : [])] as const;
for (const backend of kernelChoices) {
  describe(`GPT against an independent float64 implementation (${backend} kernels)`, () => {
    let e: Engine;
    beforeAll(async () => {
      e = await createEngine({ kernels: backend, threads: 2 });
      engines.push(e);
    });

    it('gives the same logits and loss', () => {
      const { model, W } = fixedModel(e);
      const want = naiveGpt(W, cfg, ids, B, T, targets);
      const { logits, loss } = model.forward(ids, [B, T], targets);
      expect(logits.shape).toEqual([B, T, cfg.vocabSize]);
      const scale = Math.max(...want.logits.map(Math.abs));
      for (let i = 0; i < want.logits.length; i++) expect(Math.abs(logits.data[i]! - want.logits[i]!)).toBeLessThan(1e-5 * scale);
      expect(loss!.item()).toBeCloseTo(want.loss, 5);
    });

    it('gives gradients equal to float64 finite differences of the independent model', () => {
      const { model, W } = fixedModel(e);
      e.resetArena();
      const { loss } = model.forward(ids, [B, T], targets);
      e.backward(loss!);
      const r = new Rng(3);
      for (const [name, p] of model.parameters()) {
        const w = W.get(name)!;
        for (let s = 0; s < 4; s++) {
          const i = Math.floor(r.uniform() * p.size);
          const orig = w[i]!;
          const h = 1e-5;
          w[i] = orig + h;
          const up = naiveGpt(W, cfg, ids, B, T, targets).loss;
          w[i] = orig - h;
          const down = naiveGpt(W, cfg, ids, B, T, targets).loss;
          w[i] = orig;
          const numeric = (up - down) / (2 * h);
          expect(Math.abs(p.grad![i]! - numeric), `${name}[${i}]`).toBeLessThan(2e-4 + 2e-3 * Math.abs(numeric));
        }
      }
    });
  });
}

describe('GPT parameter layout', () => {
  it('uses Hugging Face GPT-2 names and Conv1D shapes', async () => {
    const e = await createEngine({ backend: 'reference' });
    engines.push(e);
    const m = new GPT(e, { vocabSize: 10, contextLength: 4, nLayer: 1, nHead: 2, dModel: 4 });
    const shapes = Object.fromEntries([...m.parameters()].map(([n, t]) => [n, t.shape]));
    expect(shapes).toEqual({
      'wte.weight': [10, 4], 'wpe.weight': [4, 4],
      'h.0.ln_1.weight': [4], 'h.0.ln_1.bias': [4],
      'h.0.attn.c_attn.weight': [4, 12], 'h.0.attn.c_attn.bias': [12],
      'h.0.attn.c_proj.weight': [4, 4], 'h.0.attn.c_proj.bias': [4],
      'h.0.ln_2.weight': [4], 'h.0.ln_2.bias': [4],
      'h.0.mlp.c_fc.weight': [4, 16], 'h.0.mlp.c_fc.bias': [16],
      'h.0.mlp.c_proj.weight': [16, 4], 'h.0.mlp.c_proj.bias': [4],
      'ln_f.weight': [4], 'ln_f.bias': [4],
    });
    expect(m.parameterCount()).toBe(10 * 4 + 16 + 12 * 16 + 13 * 4 + 8);
    // HF files carry a `transformer.` prefix, causal-mask buffers and a tied lm_head: all accepted.
    const sd = new Map([...stateDict(m)].map(([n, t]) => [`transformer.${n}`, { shape: t.shape, data: t.data.map((v) => v + 1) }]));
    sd.set('transformer.h.0.attn.bias', { shape: [1, 1, 4, 4], data: new Float32Array(16) });
    sd.set('lm_head.weight', { shape: [10, 4], data: new Float32Array(40) });
    const before = m.wte.weight.data[0]!;
    loadStateDict(m, sd);
    expect(m.wte.weight.data[0]).toBeCloseTo(before + 1, 6);
    sd.set('transformer.wpe.weight', { shape: [5, 4], data: new Float32Array(20) });
    expect(() => loadStateDict(m, sd)).toThrow(StateDictError);
    expect(() => loadStateDict(m, sd)).toThrow(/wpe\.weight: file has shape \[5, 4\], model expects \[4, 4\]/);
  });
});
