import type { Tensor } from '../engine.js';
import { broadcastIndex, broadcastShape } from './broadcast.js';

type BinaryKind = 'add' | 'sub' | 'mul' | 'div';

/** `a + b` with broadcasting. */
export function add(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'add');
}
/** `a - b` with broadcasting. */
export function sub(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'sub');
}
/** `a * b` (elementwise) with broadcasting. */
export function mul(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'mul');
}
/** `a / b` (elementwise) with broadcasting. */
export function div(a: Tensor, b: Tensor): Tensor {
  return binary(a, b, 'div');
}

/** `a * s` for a number `s`. */
export function scale(a: Tensor, s: number): Tensor {
  const e = a.engine;
  const out = e.empty(a.shape);
  const x = a.data;
  const y = out.data;
  for (let i = 0; i < y.length; i++) y[i] = x[i]! * s;
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let i = 0; i < g.length; i++) ga[i] = ga[i]! + g[i]! * s;
  });
  return out;
}

/** Values of `t` expanded to `size` elements through a broadcast map (or `t.data` itself). */
function expanded(t: Tensor, map: Int32Array | null): Float32Array {
  if (!map) return t.data;
  const out = t.engine.scratch(map.length);
  const d = t.data;
  for (let i = 0; i < map.length; i++) out[i] = d[map[i]!]!;
  return out;
}

/** Adds `g[i] * factor[i]` (factor absent = 1) into `grad`, summing over broadcast dimensions. */
function accumulate(grad: Float32Array, map: Int32Array | null, g: Float32Array, factor: Float32Array | null, sign: number): void {
  if (map) {
    for (let i = 0; i < g.length; i++) grad[map[i]!] = grad[map[i]!]! + sign * g[i]! * (factor ? factor[i]! : 1);
  } else {
    for (let i = 0; i < g.length; i++) grad[i] = grad[i]! + sign * g[i]! * (factor ? factor[i]! : 1);
  }
}

/** Same-shape `a + b` (residual connections): the kernel backend runs both directions. */
function addSameShape(a: Tensor, b: Tensor): Tensor {
  const e = a.engine;
  const out = e.empty(a.shape);
  const n = out.size;
  e.kernels.add(out.data, a.data, b.data, n);
  e.record([out], [a, b], () => {
    const g = out.grad!;
    const ga = e.gradOf(a);
    const gb = e.gradOf(b);
    if (ga) e.kernels.add(ga, ga, g, n);
    if (gb) e.kernels.add(gb, gb, g, n);
  });
  return out;
}

function binary(a: Tensor, b: Tensor, kind: BinaryKind): Tensor {
  const e = a.engine;
  if (kind === 'add' && a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i])) return addSameShape(a, b);
  const shape = broadcastShape(a.shape, b.shape);
  const out = e.empty(shape);
  const ia = broadcastIndex(shape, a.shape);
  const ib = broadcastIndex(shape, b.shape);
  const x = expanded(a, ia);
  const y = expanded(b, ib);
  const z = out.data;
  const n = z.length;
  switch (kind) {
    case 'add': for (let i = 0; i < n; i++) z[i] = x[i]! + y[i]!; break;
    case 'sub': for (let i = 0; i < n; i++) z[i] = x[i]! - y[i]!; break;
    case 'mul': for (let i = 0; i < n; i++) z[i] = x[i]! * y[i]!; break;
    case 'div': for (let i = 0; i < n; i++) z[i] = x[i]! / y[i]!; break;
  }
  e.record([out], [a, b], () => {
    const g = out.grad!;
    const ga = e.gradOf(a);
    const gb = e.gradOf(b);
    switch (kind) {
      case 'add':
        if (ga) accumulate(ga, ia, g, null, 1);
        if (gb) accumulate(gb, ib, g, null, 1);
        break;
      case 'sub':
        if (ga) accumulate(ga, ia, g, null, 1);
        if (gb) accumulate(gb, ib, g, null, -1);
        break;
      case 'mul':
        if (ga) accumulate(ga, ia, g, y, 1);
        if (gb) accumulate(gb, ib, g, x, 1);
        break;
      case 'div': {
        // d(x/y)/dx = 1/y ; d(x/y)/dy = -x/y^2 = -z/y
        const f = e.scratch(n);
        if (ga) {
          for (let i = 0; i < n; i++) f[i] = 1 / y[i]!;
          accumulate(ga, ia, g, f, 1);
        }
        if (gb) {
          for (let i = 0; i < n; i++) f[i] = z[i]! / y[i]!;
          accumulate(gb, ib, g, f, -1);
        }
        break;
      }
    }
  });
  return out;
}
