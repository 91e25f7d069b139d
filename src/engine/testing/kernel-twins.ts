import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import { referenceKernels as ref } from '../kernels/reference.js';
import { Rng } from '../rng.js';

// Every fast kernel backend must equal the reference kernels within 1e-5, relative to the size of the
// values (max-abs of the reference output), on shapes that exercise edges, several k-blocks and the
// thread pool. The wasm and native kernel tests run these checks on each build, variant and thread count.

/** Defines a `describe` block checking every kernel of the engine `make` creates against its twin. */
export function describeKernelTwins(title: string, make: () => Promise<Engine>): void {
  describe(title, () => {
    let engine: Engine;
    const rng = new Rng(7);
    beforeAll(async () => {
      engine = await make();
    });
    afterAll(async () => {
      await engine.dispose();
    });

    function rand(n: number, scale = 1): Float32Array {
      const a = engine.scratch(n);
      for (let i = 0; i < n; i++) a[i] = (rng.uniform() * 2 - 1) * scale;
      return a;
    }

    function copy(a: Float32Array): Float32Array {
      const b = engine.scratch(a.length);
      b.set(a);
      return b;
    }

    function expectClose(got: Float32Array, want: Float32Array, tol = 1e-5): void {
      let maxAbs = 0;
      for (const v of want) maxAbs = Math.max(maxAbs, Math.abs(v));
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
      expect(worst / Math.max(maxAbs, 1e-30)).toBeLessThanOrEqual(tol);
    }

    const shapes: Array<[number, number, number]> = [[1, 8, 16], [1, 384, 96], [7, 100, 36], [16, 70, 12], [3, 5, 7], [4, 8, 4], [17, 33, 20], [64, 96, 128], [130, 72, 300], [2, 256, 64], [200, 150, 520], [3, 1000, 70], [20, 64, 300], [33, 96, 40], [48, 128, 24]];
    for (const [m, n, k] of shapes) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          for (const acc of [false, true]) {
            it(`matmul ${m}x${n}x${k} transA=${ta} transB=${tb} accumulate=${acc}`, () => {
              const a = rand(m * k);
              const b = rand(k * n);
              const c0 = rand(m * n);
              const want = copy(c0);
              const got = copy(c0);
              ref.matmul(want, a, b, m, n, k, ta, tb, acc);
              engine.kernels.matmul(got, a, b, m, n, k, ta, tb, acc);
              expectClose(got, want);
            });
          }
        }
      }
    }

    it('layerNorm forward and backward', () => {
      const rows = 37;
      const cols = 64;
      const x = rand(rows * cols, 3);
      const w = rand(cols);
      const b = rand(cols);
      const outs = [copy(rand(rows * cols)), engine.scratch(rows * cols)];
      const means = [engine.scratch(rows), engine.scratch(rows)];
      const rstds = [engine.scratch(rows), engine.scratch(rows)];
      ref.layerNormForward(outs[0]!, means[0]!, rstds[0]!, x, w, b, rows, cols, 1e-5);
      engine.kernels.layerNormForward(outs[1]!, means[1]!, rstds[1]!, x, w, b, rows, cols, 1e-5);
      expectClose(outs[1]!, outs[0]!);
      expectClose(rstds[1]!, rstds[0]!);
      const dout = rand(rows * cols);
      const dx0 = rand(rows * cols);
      const dw0 = rand(cols);
      const db0 = rand(cols);
      const [dx1, dw1, db1] = [copy(dx0), copy(dw0), copy(db0)];
      ref.layerNormBackward(dx0, dw0, db0, dout, x, w, means[0]!, rstds[0]!, rows, cols);
      engine.kernels.layerNormBackward(dx1, dw1, db1, dout, x, w, means[0]!, rstds[0]!, rows, cols);
      expectClose(dx1, dx0);
      expectClose(dw1, dw0);
      expectClose(db1, db0);
    });

    it('layerNorm backward on many rows (threaded partial sums)', () => {
      const rows = 600;
      const cols = 128;
      const x = rand(rows * cols, 2);
      const w = rand(cols);
      const mean = engine.scratch(rows);
      const rstd = engine.scratch(rows);
      ref.layerNormForward(engine.scratch(rows * cols), mean, rstd, x, w, rand(cols), rows, cols, 1e-5);
      const dout = rand(rows * cols);
      const g0 = [engine.scratch(rows * cols).fill(0), engine.scratch(cols).fill(0), engine.scratch(cols).fill(0)] as const;
      const g1 = [engine.scratch(rows * cols).fill(0), engine.scratch(cols).fill(0), engine.scratch(cols).fill(0)] as const;
      ref.layerNormBackward(g0[0], g0[1], g0[2], dout, x, w, mean, rstd, rows, cols);
      engine.kernels.layerNormBackward(g1[0], g1[1], g1[2], dout, x, w, mean, rstd, rows, cols);
      for (let i = 0; i < 3; i++) expectClose(g1[i]!, g0[i]!);
    });

    it('softmax (odd widths, large values)', () => {
      for (const [rows, cols] of [[5, 7], [300, 256], [3, 1]] as const) {
        const x = rand(rows * cols, 30);
        const o0 = engine.scratch(rows * cols);
        const o1 = engine.scratch(rows * cols);
        ref.softmax(o0, x, rows, cols);
        engine.kernels.softmax(o1, x, rows, cols);
        expectClose(o1, o0);
      }
    });

    it('add (out of place, in place, odd lengths) is exact', () => {
      for (const n of [3, 64, 1001, 100_003]) {
        const a = rand(n, 3);
        const b = rand(n);
        const o0 = engine.scratch(n);
        const o1 = engine.scratch(n);
        ref.add(o0, a, b, n);
        engine.kernels.add(o1, a, b, n);
        expect(o1).toEqual(o0);
        const g = copy(a);
        engine.kernels.add(g, g, b, n);
        expect(g).toEqual(o0);
      }
    });

    it('GELU forward and backward', () => {
      const n = 100_000;
      const x = rand(n, 6);
      const o0 = engine.scratch(n);
      const o1 = engine.scratch(n);
      ref.geluForward(o0, x, n);
      engine.kernels.geluForward(o1, x, n);
      expectClose(o1, o0);
      const dout = rand(n);
      const d0 = rand(n);
      const d1 = copy(d0);
      ref.geluBackward(d0, x, dout, n);
      engine.kernels.geluBackward(d1, x, dout, n);
      expectClose(d1, d0);
    });

    it('GELU forward keeping tanh, and backward from it', () => {
      const n = 100_000;
      const x = rand(n, 6);
      const o0 = engine.scratch(n);
      const o1 = engine.scratch(n);
      const t0 = engine.scratch(n);
      const t1 = engine.scratch(n);
      ref.geluForward(o0, x, n);
      engine.kernels.geluForwardSave(o1, t1, x, n);
      expectClose(o1, o0);
      ref.geluForwardSave(o0, t0, x, n);
      expectClose(t1, t0);
      const dout = rand(n);
      const d0 = rand(n);
      const d1 = copy(d0);
      ref.geluBackward(d0, x, dout, n);
      engine.kernels.geluBackwardSaved(d1, x, t1, dout, n);
      expectClose(d1, d0);
    });

    it('sum of squares and scale', () => {
      for (const n of [7, 100_003]) {
        const x = rand(n);
        const y = copy(x);
        expect(engine.kernels.sumSquares(y, n)).toBeCloseTo(ref.sumSquares(x, n), 6);
        ref.scale(x, 0.37, n);
        engine.kernels.scale(y, 0.37, n);
        expectClose(y, x);
      }
    });

    it('fused attention forward and backward', () => {
      for (const [B, T, C, NH] of [[2, 5, 16, 2], [4, 64, 128, 4], [1, 37, 30, 3], [2, 70, 192, 3]] as const) {
        const qkv = rand(B * T * 3 * C);
        const out0 = engine.scratch(B * T * C);
        const out1 = engine.scratch(B * T * C);
        const att0 = engine.scratch(B * NH * T * T);
        const att1 = engine.scratch(B * NH * T * T);
        ref.attentionForward(out0, att0, qkv, B, T, C, NH);
        engine.kernels.attentionForward(out1, att1, qkv, B, T, C, NH);
        expectClose(out1, out0);
        expectClose(att1, att0);
        const dout = rand(B * T * C);
        const d0 = rand(B * T * 3 * C);
        const d1 = copy(d0);
        ref.attentionBackward(d0, dout, qkv, att0, B, T, C, NH);
        engine.kernels.attentionBackward(d1, dout, qkv, att0, B, T, C, NH);
        expectClose(d1, d0);
      }
    });

    it('blocked (flash) attention forward and backward, where the backend has it', () => {
      const fwd = engine.kernels.flashAttentionForward?.bind(engine.kernels);
      const bwd = engine.kernels.flashAttentionBackward?.bind(engine.kernels);
      if (!fwd || !bwd) return;
      // Shapes below, at and above one key block (64), odd head sizes, a partial last query block.
      for (const [B, T, C, NH] of [[2, 5, 16, 2], [4, 64, 128, 4], [1, 37, 30, 3], [2, 70, 192, 3], [1, 200, 96, 2], [3, 129, 48, 1]] as const) {
        const qkv = rand(B * T * 3 * C, 2);
        const out0 = engine.scratch(B * T * C);
        const out1 = engine.scratch(B * T * C);
        const lse0 = engine.scratch(B * NH * T);
        const lse1 = engine.scratch(B * NH * T);
        ref.flashAttentionForward!(out0, lse0, qkv, B, T, C, NH);
        fwd(out1, lse1, qkv, B, T, C, NH);
        expectClose(out1, out0);
        expectClose(lse1, lse0);
        // The unblocked reference gives the same output.
        const out2 = engine.scratch(B * T * C);
        ref.attentionForward(out2, engine.scratch(B * NH * T * T), qkv, B, T, C, NH);
        expectClose(out1, out2);
        const dout = rand(B * T * C);
        const d0 = rand(B * T * 3 * C);
        const d1 = copy(d0);
        ref.flashAttentionBackward!(d0, dout, qkv, out0, lse0, B, T, C, NH);
        bwd(d1, dout, qkv, out1, lse1, B, T, C, NH);
        expectClose(d1, d0);
      }
    });

    it('attention against a KV cache', () => {
      const [n, C, NH, maxLen, rows] = [5, 32, 4, 40, 3];
      const qkv = rand(n * 3 * C);
      const kc = rand(rows * maxLen * C);
      const vc = rand(rows * maxLen * C);
      const rowIdx = engine.int32(n);
      const pos = engine.int32(n);
      rowIdx.set([0, 2, 2, 1, 0]);
      pos.set([0, 7, 8, 39, 13]);
      const o0 = engine.scratch(n * C);
      const o1 = engine.scratch(n * C);
      ref.attentionDecode(o0, qkv, kc, vc, rowIdx, pos, n, C, NH, maxLen);
      engine.kernels.attentionDecode(o1, qkv, kc, vc, rowIdx, pos, n, C, NH, maxLen);
      expectClose(o1, o0);
    });

    it('LSTM cell forward (odd widths, saturated gates)', () => {
      for (const [B, H] of [[3, 5], [32, 512], [7, 100]] as const) {
        const gates = rand(B * 4 * H, 12);
        const cPrev = rand(B * H, 3);
        const outs = [0, 1].map(() => [engine.scratch(B * H), engine.scratch(B * H), engine.scratch(B * 4 * H), engine.scratch(B * H)] as const);
        ref.lstmCellForward(...outs[0]!, gates, cPrev, B, H);
        engine.kernels.lstmCellForward(...outs[1]!, gates, cPrev, B, H);
        for (let i = 0; i < 4; i++) expectClose(outs[1]![i]!, outs[0]![i]!);
      }
    });

    it('LSTM cell backward (accumulates into dgates and dcPrev)', () => {
      for (const [B, H] of [[3, 5], [32, 512], [7, 100]] as const) {
        const gates = rand(B * 4 * H, 6);
        const cPrev = rand(B * H, 3);
        const [h, c, act, tc] = [engine.scratch(B * H), engine.scratch(B * H), engine.scratch(B * 4 * H), engine.scratch(B * H)];
        ref.lstmCellForward(h, c, act, tc, gates, cPrev, B, H);
        const dh = rand(B * H);
        const dc = rand(B * H);
        const dg0 = rand(B * 4 * H);
        const dcp0 = rand(B * H);
        const [dg1, dcp1] = [copy(dg0), copy(dcp0)];
        ref.lstmCellBackward(dg0, dcp0, dh, dc, act, tc, cPrev, B, H);
        engine.kernels.lstmCellBackward(dg1, dcp1, dh, dc, act, tc, cPrev, B, H);
        expectClose(dg1, dg0);
        expectClose(dcp1, dcp0);
      }
    });

    it('AdamW update', () => {
      const n = 50_003;
      const p0 = rand(n);
      const g = rand(n);
      const m0 = rand(n, 0.1);
      const v0 = rand(n, 0.1).map(Math.abs);
      const [p1, m1, v1] = [copy(p0), copy(m0), copy(v0)];
      const vv0 = copy(v0);
      ref.adamw(p0, g, m0, vv0, n, 1e-3, 0.9, 0.95, 1e-8, 0.1, 0.19, 0.0975);
      engine.kernels.adamw(p1, g, m1, v1, n, 1e-3, 0.9, 0.95, 1e-8, 0.1, 0.19, 0.0975);
      expectClose(p1, p0);
      expectClose(m1, m0);
      expectClose(v1, vv0);
    });
  });
}
