import type { Tensor } from '../engine.js';
import { shapeString } from '../shapes.js';

/**
 * Documents packed into the rows of a batch: for each row, the lengths of its documents in order (their
 * sum at most T; positions after them form one more document, e.g. padding). A token attends only to the
 * earlier tokens of its own document: the attention matrix is block-diagonal causal.
 */
export type AttentionSegments = readonly (readonly number[])[];

/**
 * Fused causal multi-head self-attention (llm.c style): `qkv` (B, T, 3C) holds the query, key and
 * value projections side by side; returns (B, T, C) with heads concatenated. Only the softmaxed
 * scores (B, NH, T, T) are kept for the backward pass. With `segments`, each packed document is
 * attended over alone: its rows of `qkv` and of the output are contiguous, so the same kernels run on
 * each document as on a batch row of its own length (exactly what it computes unpacked).
 */
export function causalSelfAttention(qkv: Tensor, nHead: number, segments?: AttentionSegments): Tensor {
  const e = qkv.engine;
  if (qkv.rank !== 3 || qkv.shape[2]! % (3 * nHead) !== 0) {
    throw new RangeError(`attention: qkv ${shapeString(qkv.shape)} is not (B, T, 3C) with C divisible by ${nHead} heads`);
  }
  const [B, T, C3] = qkv.shape as [number, number, number];
  const C = C3 / 3;
  if (segments) return segmentedAttention(qkv, nHead, spansOf(segments, B, T), C);
  const out = e.empty([B, T, C]);
  const att = e.scratch(B * nHead * T * T);
  e.kernels.attentionForward(out.data, att, qkv.data, B, T, C, nHead);
  e.record([out], [qkv], () => {
    e.kernels.attentionBackward(e.gradOf(qkv)!, out.grad!, qkv.data, att, B, T, C, nHead);
  });
  return out;
}

/** One document: its first position in the flattened (B·T) rows, and its length. */
interface Span {
  readonly at: number;
  readonly len: number;
}

/** The documents of every row, checked against the batch's shape. */
function spansOf(segments: AttentionSegments, B: number, T: number): Span[] {
  if (segments.length !== B) throw new RangeError(`attention: ${segments.length} rows of segments for a batch of ${B}`);
  const spans: Span[] = [];
  segments.forEach((row, b) => {
    let start = 0;
    for (const len of row) {
      if (!Number.isInteger(len) || len < 1) throw new RangeError(`attention: segment length ${len} in row ${b} is not a positive integer`);
      spans.push({ at: b * T + start, len });
      start += len;
    }
    if (start > T) throw new RangeError(`attention: row ${b}'s segments cover ${start} positions of ${T}`);
    if (start < T) spans.push({ at: b * T + start, len: T - start });
  });
  return spans;
}

function segmentedAttention(qkv: Tensor, nHead: number, spans: readonly Span[], C: number): Tensor {
  const e = qkv.engine;
  const out = e.empty([qkv.shape[0]!, qkv.shape[1]!, C]);
  const rows = (a: Float32Array, s: Span, width: number) => a.subarray(s.at * width, (s.at + s.len) * width);
  const atts = spans.map((s) => e.scratch(nHead * s.len * s.len));
  spans.forEach((s, i) => e.kernels.attentionForward(rows(out.data, s, C), atts[i]!, rows(qkv.data, s, 3 * C), 1, s.len, C, nHead));
  e.record([out], [qkv], () => {
    const dqkv = e.gradOf(qkv)!;
    spans.forEach((s, i) => e.kernels.attentionBackward(rows(dqkv, s, 3 * C), rows(out.grad!, s, C), rows(qkv.data, s, 3 * C), atts[i]!, 1, s.len, C, nHead));
  });
  return out;
}
