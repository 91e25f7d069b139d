import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/**
 * Fused causal multi-head self-attention (llm.c style): `qkv` (B, T, 3C) holds the query, key and
 * value projections side by side; returns (B, T, C) with heads concatenated. Only the softmaxed
 * scores (B, NH, T, T) are kept for the backward pass, or, on kernels with the blocked pair, one
 * log-sum-exp per query row.
 */
export function causalSelfAttention(qkv: Tensor, nHead: number): Tensor {
  const e = qkv.engine;
  if (qkv.rank !== 3 || qkv.shape[2]! % (3 * nHead) !== 0) {
    throw new RangeError(`attention: qkv ${shapeString(qkv.shape)} is not (B, T, 3C) with C divisible by ${nHead} heads`);
  }
  const [B, T, C3] = qkv.shape as [number, number, number];
  const C = C3 / 3;
  const out = e.empty([B, T, C]);
  const k = e.kernels;
  if (k.flashAttentionForward && k.flashAttentionBackward) {
    // Blocked kernels (native): keep one log-sum-exp per query row, not the T x T probabilities.
    const lse = e.scratch(B * nHead * T);
    k.flashAttentionForward(out.data, lse, qkv.data, B, T, C, nHead);
    e.record([out], [qkv], () => {
      k.flashAttentionBackward!(e.gradOf(qkv)!, out.grad!, qkv.data, out.data, lse, B, T, C, nHead);
    });
    return out;
  }
  const att = e.scratch(B * nHead * T * T);
  e.kernels.attentionForward(out.data, att, qkv.data, B, T, C, nHead);
  e.record([out], [qkv], () => {
    e.kernels.attentionBackward(e.gradOf(qkv)!, out.grad!, qkv.data, att, B, T, C, nHead);
  });
  return out;
}
