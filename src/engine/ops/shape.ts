import { Tensor } from '../engine.js';
import { shapeSize, shapeString } from '../shapes.js';

/** Same values, new shape (one dimension may be -1). Shares the data; gradients are copied back. */
export function reshape(a: Tensor, shape: readonly number[]): Tensor {
  const e = a.engine;
  const free = shape.indexOf(-1);
  let dims = [...shape];
  if (free >= 0) {
    const known = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
    dims[free] = a.size / known;
  }
  if (shapeSize(dims) !== a.size) throw new RangeError(`cannot reshape ${shapeString(a.shape)} to ${shapeString(shape)}`);
  dims = dims.map((d) => d);
  const out = new Tensor(e, dims, a.data, a.persistent);
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let i = 0; i < g.length; i++) ga[i] = ga[i]! + g[i]!;
  });
  return out;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Reorders dimensions: output dimension i is input dimension `order[i]`. Copies. */
export function permute(a: Tensor, order: readonly number[]): Tensor {
  const e = a.engine;
  if (order.length !== a.rank || [...order].sort((x, y) => x - y).some((d, i) => d !== i)) {
    throw new RangeError(`permute order [${order.join(', ')}] does not fit rank ${a.rank}`);
  }
  const shape = order.map((d) => a.shape[d]!);
  const out = e.empty(shape);
  const inStrides = strides(a.shape);
  const src = order.map((d) => inStrides[d]!);
  const map = new Int32Array(a.size);
  const idx = new Array<number>(shape.length).fill(0);
  let off = 0;
  for (let o = 0; o < a.size; o++) {
    map[o] = off;
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      idx[ax]!++;
      off += src[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      off -= src[ax]! * idx[ax]!;
      idx[ax] = 0;
    }
  }
  for (let o = 0; o < map.length; o++) out.data[o] = a.data[map[o]!]!;
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let o = 0; o < map.length; o++) ga[map[o]!] = ga[map[o]!]! + g[o]!;
  });
  return out;
}

/** Swaps two dimensions (negative indices count from the end). */
export function transpose(a: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const d0 = dim0 < 0 ? dim0 + a.rank : dim0;
  const d1 = dim1 < 0 ? dim1 + a.rank : dim1;
  const order = a.shape.map((_, i) => (i === d0 ? d1 : i === d1 ? d0 : i));
  return permute(a, order);
}

/** Elements `start..end-1` along `axis`. Copies. */
export function slice(a: Tensor, axis: number, start: number, end: number): Tensor {
  const e = a.engine;
  const ax = axis < 0 ? axis + a.rank : axis;
  const n = a.shape[ax];
  if (n === undefined || start < 0 || end > n || start > end) {
    throw new RangeError(`slice ${start}:${end} of axis ${axis} out of range for ${shapeString(a.shape)}`);
  }
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < ax; i++) outer *= a.shape[i]!;
  for (let i = ax + 1; i < a.rank; i++) inner *= a.shape[i]!;
  const len = (end - start) * inner;
  const out = e.empty(a.shape.map((d, i) => (i === ax ? end - start : d)));
  for (let o = 0; o < outer; o++) {
    out.data.set(a.data.subarray(o * n * inner + start * inner, o * n * inner + start * inner + len), o * len);
  }
  e.record([out], [a], () => {
    const g = out.grad!;
    const ga = e.gradOf(a)!;
    for (let o = 0; o < outer; o++) {
      const base = o * n * inner + start * inner;
      for (let i = 0; i < len; i++) ga[base + i] = ga[base + i]! + g[o * len + i]!;
    }
  });
  return out;
}

/** Joins tensors along `axis`; all other dimensions must match. */
export function concat(tensors: readonly Tensor[], axis: number): Tensor {
  const first = tensors[0];
  if (!first) throw new RangeError('concat needs at least one tensor');
  const e = first.engine;
  const ax = axis < 0 ? axis + first.rank : axis;
  for (const t of tensors) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== ax && d !== first.shape[i])) {
      throw new RangeError(`concat: ${shapeString(t.shape)} does not match ${shapeString(first.shape)} off axis ${axis}`);
    }
  }
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < ax; i++) outer *= first.shape[i]!;
  for (let i = ax + 1; i < first.rank; i++) inner *= first.shape[i]!;
  const total = tensors.reduce((s, t) => s + t.shape[ax]!, 0);
  const out = e.empty(first.shape.map((d, i) => (i === ax ? total : d)));
  const rowLen = total * inner;
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const len = t.shape[ax]! * inner;
    offsets.push(offset);
    for (let o = 0; o < outer; o++) out.data.set(t.data.subarray(o * len, (o + 1) * len), o * rowLen + offset);
    offset += len;
  }
  e.record([out], tensors, () => {
    const g = out.grad!;
    tensors.forEach((t, k) => {
      const gt = e.gradOf(t);
      if (!gt) return;
      const len = t.shape[ax]! * inner;
      for (let o = 0; o < outer; o++) {
        const base = o * rowLen + offsets[k]!;
        for (let i = 0; i < len; i++) gt[o * len + i] = gt[o * len + i]! + g[base + i]!;
      }
    });
  });
  return out;
}
