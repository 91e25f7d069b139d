import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions {
  /** Targets equal to this id are skipped (default -100, as PyTorch). */
  ignoreIndex?: number;
  /**
   * Per-class weights (length V): row r counts `classWeights[target_r]` times, and the loss is the weighted
   * mean `Σ w_t·nll_r / Σ w_t` over the rows not ignored (PyTorch's `weight=` with `reduction='mean'`).
   * Default: every class weighs 1.
   */
  classWeights?: ArrayLike<number>;
}

/**
 * Mean cross-entropy of `logits` (..., V) against integer `targets` (one per row), fused with the
 * softmax: the backward pass is `(softmax - onehot) / count`, or `w_t·(softmax - onehot) / Σ w` with
 * class weights. Returns a scalar; 0 when every target is ignored (or weighs nothing).
 */
export function crossEntropy(logits: Tensor, targets: Int32Array, options: CrossEntropyOptions = {}): Tensor {
  const e = logits.engine;
  const ignore = options.ignoreIndex ?? -100;
  const V = logits.shape[logits.rank - 1]!;
  const rows = logits.size / V;
  if (targets.length !== rows) {
    throw new RangeError(`crossEntropy: ${targets.length} targets for logits ${shapeString(logits.shape)}`);
  }
  const weights = options.classWeights;
  if (weights && weights.length !== V) throw new RangeError(`crossEntropy: ${weights.length} class weights for ${V} classes`);
  const probs = e.scratch(logits.size);
  e.kernels.softmax(probs, logits.data, rows, V);
  let total = 0;
  let count = 0; // rows counted, each by its class weight
  for (let r = 0; r < rows; r++) {
    const t = targets[r]!;
    if (t === ignore) continue;
    if (t < 0 || t >= V) throw new RangeError(`target ${t} out of range [0, ${V})`);
    const w = weights ? weights[t]! : 1;
    total -= w * Math.log(Math.max(probs[r * V + t]!, 1e-30));
    count += w;
  }
  const out = e.empty([]);
  out.data[0] = count > 0 ? total / count : 0;
  const saved = Int32Array.from(targets);
  const savedWeights = weights ? Float64Array.from(weights) : null;
  e.record([out], [logits], () => {
    const gl = e.gradOf(logits)!;
    const scale = count > 0 ? out.grad![0]! / count : 0;
    for (let r = 0; r < rows; r++) {
      const t = saved[r]!;
      if (t === ignore) continue;
      const o = r * V;
      const g = savedWeights ? scale * savedWeights[t]! : scale;
      for (let i = 0; i < V; i++) gl[o + i] = gl[o + i]! + probs[o + i]! * g;
      gl[o + t] = gl[o + t]! - g;
    }
  });
  return out;
}

/** Mean squared error between `pred` and `target` (same shape); gradient flows to both. */
export function mse(pred: Tensor, target: Tensor): Tensor {
  const e = pred.engine;
  if (pred.size !== target.size) throw new RangeError(`mse: ${shapeString(pred.shape)} vs ${shapeString(target.shape)}`);
  const n = pred.size;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i]! - target.data[i]!;
    s += d * d;
  }
  const out = e.empty([]);
  out.data[0] = s / n;
  e.record([out], [pred, target], () => {
    const g = (2 * out.grad![0]!) / n;
    const gp = e.gradOf(pred);
    const gt = e.gradOf(target);
    for (let i = 0; i < n; i++) {
      const d = (pred.data[i]! - target.data[i]!) * g;
      if (gp) gp[i] = gp[i]! + d;
      if (gt) gt[i] = gt[i]! - d;
    }
  });
  return out;
}
