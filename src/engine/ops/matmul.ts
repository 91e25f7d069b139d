import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use the transpose of the last two dimensions of `a`. */
  transA?: boolean;
  /** Use the transpose of the last two dimensions of `b`. */
  transB?: boolean;
}

/**
 * Matrix product over the last two dimensions, batched over leading ones. `b` may be 2-D (shared
 * by every batch) or have the same batch dimensions as `a`.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const e = a.engine;
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  if (a.rank < 2 || b.rank < 2) throw new RangeError('matmul needs tensors of rank >= 2');
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  const batchShape = a.shape.slice(0, -2);
  const batch = batchShape.reduce((p, d) => p * d, 1);
  const bBatched = b.rank > 2;
  if (k !== kb || (bBatched && b.size !== batch * br * bc)) {
    throw new RangeError(`matmul: ${shapeString(a.shape)}${transA ? 'ᵀ' : ''} · ${shapeString(b.shape)}${transB ? 'ᵀ' : ''} do not fit`);
  }
  const out = e.empty([...batchShape, m, n]);
  const sa = m * k;
  const sb = bBatched ? k * n : 0;
  const sc = m * n;
  const K = e.kernels;
  if (!bBatched && !transA && batch > 1) {
    // Shared weights: fold the batch into the rows for one large product.
    K.matmul(out.data, a.data, b.data, batch * m, n, k, false, transB, false);
  } else {
    for (let i = 0; i < batch; i++) {
      K.matmul(out.data.subarray(i * sc, (i + 1) * sc), a.data.subarray(i * sa, (i + 1) * sa),
        b.data.subarray(i * sb, i * sb + k * n), m, n, k, transA, transB, false);
    }
  }
  e.record([out], [a, b], () => {
    const g = out.grad!;
    const ga = e.gradOf(a);
    const gb = e.gradOf(b);
    if (!bBatched && !transA && batch > 1) {
      const rows = batch * m;
      if (ga) K.matmul(ga, g, b.data, rows, k, n, false, !transB, true);
      if (gb) {
        if (transB) K.matmul(gb, g, a.data, n, k, rows, true, false, true);
        else K.matmul(gb, a.data, g, k, n, rows, true, false, true);
      }
      return;
    }
    for (let i = 0; i < batch; i++) {
      const gi = g.subarray(i * sc, (i + 1) * sc);
      const ai = a.data.subarray(i * sa, (i + 1) * sa);
      const bi = b.data.subarray(i * sb, i * sb + k * n);
      // C = A·B: dA = dC·Bᵀ, dB = Aᵀ·dC (transposed forms follow by swapping roles).
      if (ga) {
        const gai = ga.subarray(i * sa, (i + 1) * sa);
        if (transA) K.matmul(gai, bi, gi, k, m, n, transB, true, true);
        else K.matmul(gai, gi, bi, m, k, n, false, !transB, true);
      }
      if (gb) {
        const gbi = gb.subarray(i * sb, i * sb + k * n);
        if (transB) K.matmul(gbi, gi, ai, n, k, m, true, transA, true);
        else K.matmul(gbi, ai, gi, k, n, m, !transA, false, true);
      }
    }
  });
  return out;
}

/**
 * Affine map `x · w + bias` over the last axis, with `w` of shape [in, out] (the layout of GPT-2's
 * Conv1D, so Hugging Face weights load unchanged) and `bias` of shape [out].
 */
export function linear(x: Tensor, w: Tensor, bias: Tensor | null): Tensor {
  const e = x.engine;
  const [cin, cout] = w.shape as [number, number];
  if (w.rank !== 2 || x.shape[x.rank - 1] !== cin || (bias && bias.size !== cout)) {
    throw new RangeError(`linear: input ${shapeString(x.shape)}, weight ${shapeString(w.shape)}, bias ${bias ? shapeString(bias.shape) : 'none'}`);
  }
  const rows = x.size / cin;
  const out = e.empty([...x.shape.slice(0, -1), cout]);
  const y = out.data;
  if (bias) {
    for (let r = 0; r < rows; r++) y.set(bias.data, r * cout);
  }
  e.kernels.matmul(y, x.data, w.data, rows, cout, cin, false, false, bias !== null);
  e.record([out], bias ? [x, w, bias] : [x, w], () => {
    const g = out.grad!;
    const gx = e.gradOf(x);
    const gw = e.gradOf(w);
    if (gx) e.kernels.matmul(gx, g, w.data, rows, cin, cout, false, true, true);
    if (gw) e.kernels.matmul(gw, x.data, g, cin, cout, rows, true, false, true);
    const gb = bias ? e.gradOf(bias) : null;
    if (gb) {
      // Column sums as a 1×rows · rows×cout product, so the kernel backend does them.
      const ones = e.scratch(rows).fill(1);
      e.kernels.matmul(gb, ones, g, 1, cout, rows, false, false, true);
    }
  });
  return out;
}
