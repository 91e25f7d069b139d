import { shapeString } from '../shapes.js';

/** NumPy broadcasting: the shape two operands broadcast to. */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`shapes ${shapeString(a)} and ${shapeString(b)} do not broadcast`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * For each element of `outShape`, the flat index of the element of `inShape` it reads under
 * broadcasting; null when the shapes are equal (identity map).
 */
export function broadcastIndex(outShape: readonly number[], inShape: readonly number[]): Int32Array | null {
  if (outShape.length === inShape.length && outShape.every((d, i) => d === inShape[i])) return null;
  let size = 1;
  for (const d of outShape) size *= d;
  const map = new Int32Array(size);
  const n = outShape.length;
  const strides = new Array<number>(n).fill(0);
  let s = 1;
  for (let i = n - 1; i >= 0; i--) {
    const d = inShape[inShape.length - n + i] ?? 1;
    strides[i] = d === 1 ? 0 : s;
    s *= d;
  }
  const idx = new Array<number>(n).fill(0);
  let src = 0;
  for (let o = 0; o < size; o++) {
    map[o] = src;
    for (let ax = n - 1; ax >= 0; ax--) {
      idx[ax]!++;
      src += strides[ax]!;
      if (idx[ax]! < outShape[ax]!) break;
      src -= strides[ax]! * idx[ax]!;
      idx[ax] = 0;
    }
  }
  return map;
}
