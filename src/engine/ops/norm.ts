import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/** LayerNorm over the last axis (Ba et al. 2016) with scale `w` and shift `b`; kernel-backed. */
export function layerNorm(x: Tensor, w: Tensor, b: Tensor, eps = 1e-5): Tensor {
  const e = x.engine;
  const cols = x.shape[x.rank - 1]!;
  if (w.size !== cols || b.size !== cols) {
    throw new RangeError(`layerNorm: input ${shapeString(x.shape)} with weight ${shapeString(w.shape)}, bias ${shapeString(b.shape)}`);
  }
  const rows = x.size / cols;
  const out = e.empty(x.shape);
  const mean = e.scratch(rows);
  const rstd = e.scratch(rows);
  e.kernels.layerNormForward(out.data, mean, rstd, x.data, w.data, b.data, rows, cols, eps);
  e.record([out], [x, w, b], () => {
    // The kernel writes all three gradients; unneeded ones go to scratch.
    const dx = e.gradOf(x) ?? e.scratch(x.size).fill(0);
    const dw = e.gradOf(w) ?? e.scratch(cols).fill(0);
    const db = e.gradOf(b) ?? e.scratch(cols).fill(0);
    e.kernels.layerNormBackward(dx, dw, db, out.grad!, x.data, w.data, mean, rstd, rows, cols);
  });
  return out;
}
