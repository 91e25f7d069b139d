import { PairHeap } from './heap.js';
import { pairKey } from './pairKey.js';

/**
 * The BPE merge loop for one pre-token: repeatedly merge the adjacent pair with the lowest merge rank, all
 * non-overlapping occurrences left to right, until no adjacent pair is a merge. This is GPT-2's `bpe()`.
 *
 * `rankOf` maps a packed pair to its rank; `resultOf[rank]` is the id the merge produces.
 */
export function applyMerges(
  ids: number[],
  rankOf: ReadonlyMap<number, number>,
  resultOf: Int32Array,
): number[] {
  if (ids.length < 2) return ids;
  // Short pieces (almost all words) are fastest with the plain quadratic scan; long ones (a paragraph of
  // Chinese has no spaces, so it is one pre-token) need the heap so that cost stays n log n.
  return ids.length <= 48 ? mergeQuadratic(ids, rankOf, resultOf) : mergeWithHeap(ids, rankOf, resultOf);
}

/** The plain loop, O(n²) per piece; exported so tests can compare it with {@link mergeWithHeap}. */
export function mergeQuadratic(ids: number[], rankOf: ReadonlyMap<number, number>, resultOf: Int32Array): number[] {
  let syms = ids;
  for (;;) {
    let best = -1;
    for (let i = 0; i + 1 < syms.length; i++) {
      const r = rankOf.get(pairKey(syms[i]!, syms[i + 1]!));
      if (r !== undefined && (best < 0 || r < best)) best = r;
    }
    if (best < 0) return syms;
    const out: number[] = [];
    const merged = resultOf[best]!;
    for (let i = 0; i < syms.length; i++) {
      if (i + 1 < syms.length && rankOf.get(pairKey(syms[i]!, syms[i + 1]!)) === best) {
        out.push(merged);
        i++;
      } else out.push(syms[i]!);
    }
    if (out.length === 1) return out;
    syms = out;
  }
}

/** The same result in O(n log n) with a linked list and a heap of candidate pairs. */
export function mergeWithHeap(ids: number[], rankOf: ReadonlyMap<number, number>, resultOf: Int32Array): number[] {
  const n = ids.length;
  const sym = Int32Array.from(ids);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1 < n ? i + 1 : -1;
    prev[i] = i - 1;
  }
  const heap = new PairHeap(n);
  for (let i = 0; i + 1 < n; i++) {
    const r = rankOf.get(pairKey(sym[i]!, sym[i + 1]!));
    if (r !== undefined) heap.push(r, i);
  }
  // Ties in rank pop in position order, which is the left-to-right rule; a merge never creates a pair of the
  // same or lower rank (that pair's right-hand token did not exist yet), so this equals the round-based loop.
  while (heap.size > 0) {
    const r = heap.topPrimary!;
    const i = heap.topSecondary!;
    heap.pop();
    const j = next[i]!;
    if (sym[i]! < 0 || j < 0 || rankOf.get(pairKey(sym[i]!, sym[j]!)) !== r) continue;
    sym[i] = resultOf[r]!;
    sym[j] = -1;
    const k = next[j]!;
    next[i] = k;
    if (k >= 0) prev[k] = i;
    const p = prev[i]!;
    if (p >= 0) {
      const rp = rankOf.get(pairKey(sym[p]!, sym[i]!));
      if (rp !== undefined) heap.push(rp, p);
    }
    if (k >= 0) {
      const rk = rankOf.get(pairKey(sym[i]!, sym[k]!));
      if (rk !== undefined) heap.push(rk, i);
    }
  }
  const out: number[] = [];
  for (let i = 0; i >= 0; i = next[i]!) out.push(sym[i]!);
  return out;
}
