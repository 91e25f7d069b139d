import type { Tensor } from '../engine.js';

/** GELU, tanh approximation (as GPT-2); kernel-backed. */
export function gelu(a: Tensor): Tensor {
  const e = a.engine;
  const out = e.empty(a.shape);
  if (!e.gradEnabled || !a.requiresGrad) {
    e.kernels.geluForward(out.data, a.data, a.size);
    return out;
  }
  // Training: keep tanh(u) (arena, lives until the step's reset) so the backward skips it.
  const th = e.empty(a.shape).data;
  e.kernels.geluForwardSave(out.data, th, a.data, a.size);
  e.record([out], [a], () => {
    e.kernels.geluBackwardSaved(e.gradOf(a)!, a.data, th, out.grad!, a.size);
  });
  return out;
}

/** Elementwise op whose derivative is a function of the output only. */
function unaryFromOutput(a: Tensor, f: (x: number) => number, dfFromOut: (y: number, x: number) => number): Tensor {
  const e = a.engine;
  const out = e.empty(a.shape);
  const x = a.data;
  const y = out.data;
  for (let i = 0; i < y.length; i++) y[i] = f(x[i]!);
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let i = 0; i < g.length; i++) ga[i] = ga[i]! + g[i]! * dfFromOut(y[i]!, x[i]!);
  });
  return out;
}

/** Hyperbolic tangent. */
export function tanh(a: Tensor): Tensor {
  return unaryFromOutput(a, Math.tanh, (y) => 1 - y * y);
}

/** Logistic sigmoid 1/(1+e^-x). */
export function sigmoid(a: Tensor): Tensor {
  return unaryFromOutput(a, sigmoidValue, (y) => y * (1 - y));
}

/** max(0, x); the gradient at 0 is taken as 0. */
export function relu(a: Tensor): Tensor {
  return unaryFromOutput(a, (x) => (x > 0 ? x : 0), (_y, x) => (x > 0 ? 1 : 0));
}

/** Numerically safe logistic function. */
export function sigmoidValue(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const z = Math.exp(x);
  return z / (1 + z);
}

/** Softmax over the last axis; kernel-backed. */
export function softmax(a: Tensor): Tensor {
  const e = a.engine;
  const cols = a.shape[a.rank - 1]!;
  const rows = a.size / cols;
  const out = e.empty(a.shape);
  e.kernels.softmax(out.data, a.data, rows, cols);
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    const y = out.data;
    // dx = y * (g - sum(g * y)) per row.
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let dot = 0;
      for (let i = 0; i < cols; i++) dot += g[o + i]! * y[o + i]!;
      for (let i = 0; i < cols; i++) ga[o + i] = ga[o + i]! + y[o + i]! * (g[o + i]! - dot);
    }
  });
  return out;
}

/** log(softmax(x)) over the last axis, computed stably as x - max - log(sum(exp(x - max))). */
export function logSoftmax(a: Tensor): Tensor {
  const e = a.engine;
  const cols = a.shape[a.rank - 1]!;
  const rows = a.size / cols;
  const out = e.empty(a.shape);
  const x = a.data;
  const y = out.data;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let max = -Infinity;
    for (let i = 0; i < cols; i++) if (x[o + i]! > max) max = x[o + i]!;
    let s = 0;
    for (let i = 0; i < cols; i++) s += Math.exp(x[o + i]! - max);
    const lse = max + Math.log(s);
    for (let i = 0; i < cols; i++) y[o + i] = x[o + i]! - lse;
  }
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    // dx = g - softmax(x) * sum(g) per row.
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let gs = 0;
      for (let i = 0; i < cols; i++) gs += g[o + i]!;
      for (let i = 0; i < cols; i++) ga[o + i] = ga[o + i]! + g[o + i]! - Math.exp(y[o + i]!) * gs;
    }
  });
  return out;
}
