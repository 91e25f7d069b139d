import type { Tensor } from '../engine.js';

/** Splits a shape around `axis` into (outer, n, inner) for axis reductions. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  return [outer, shape[axis]!, inner];
}

function normAxis(axis: number, rank: number): number {
  const ax = axis < 0 ? axis + rank : axis;
  if (ax < 0 || ax >= rank) throw new RangeError(`axis ${axis} out of range for rank ${rank}`);
  return ax;
}

/** Sum of all elements (scalar, shape []) or along `axis` (dropped unless `keepDims`). */
export function sum(a: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce(a, axis, keepDims, false);
}

/** Mean of all elements (scalar) or along `axis`. */
export function mean(a: Tensor, axis?: number, keepDims = false): Tensor {
  return reduce(a, axis, keepDims, true);
}

function reduce(a: Tensor, axis: number | undefined, keepDims: boolean, average: boolean): Tensor {
  const e = a.engine;
  const ax = axis === undefined ? -1 : normAxis(axis, a.rank);
  const [outer, n, inner] = ax < 0 ? [1, a.size, 1] : around(a.shape, ax);
  const shape = ax < 0 ? (keepDims ? a.shape.map(() => 1) : []) : a.shape.flatMap((d, i) => (i === ax ? (keepDims ? [1] : []) : [d]));
  const out = e.empty(shape);
  const f = average ? 1 / n : 1;
  const x = a.data;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[(o * n + i) * inner + j]!;
      out.data[o * inner + j] = s * f;
    }
  }
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const gv = g[o * inner + j]! * f;
        for (let i = 0; i < n; i++) ga[(o * n + i) * inner + j] = ga[(o * n + i) * inner + j]! + gv;
      }
    }
  });
  return out;
}
