import type { Rng } from '../../engine/index.js';
import { documentWindows, packDocuments, type Batch, type RowLayout, type Truncation } from '../../models/index.js';

/** Token ids of one split, as the data step stores them. */
export type TokenIds = Uint16Array | Uint32Array;

/**
 * A training batch of `batch` windows of `seqLen + 1` tokens at random offsets (nanoGPT's `get_batch`): inputs
 * are the first `seqLen` tokens, targets the same shifted by one. The offsets come from `rng`, whose state the
 * checkpoint saves, so a resumed run draws exactly the batches an uninterrupted one would have.
 */
export function sampleLmBatch(tokens: TokenIds, batch: number, seqLen: number, rng: Rng): Batch {
  const span = tokens.length - seqLen - 1;
  if (span < 0) throw new RangeError(`${tokens.length} tokens cannot fill one sequence of ${seqLen}`);
  const ids = new Int32Array(batch * seqLen);
  const targets = new Int32Array(batch * seqLen);
  for (let b = 0; b < batch; b++) {
    const start = Math.floor(rng.uniform() * (span + 1));
    for (let t = 0; t < seqLen; t++) {
      ids[b * seqLen + t] = tokens[start + t]!;
      targets[b * seqLen + t] = tokens[start + t + 1]!;
    }
  }
  return { ids, targets, shape: [batch, seqLen] };
}

/**
 * The validation batches: consecutive, non-overlapping windows from the start of the split, at most
 * `maxBatches` of them. Fixed, so every evaluation of every run scores the same tokens and curves compare.
 * The last batch may be shorter; each token is predicted exactly once.
 */
export function validationBatches(tokens: TokenIds, batch: number, seqLen: number, maxBatches: number): Batch[] {
  const windows = Math.min(Math.floor((tokens.length - 1) / seqLen), maxBatches * batch);
  const out: Batch[] = [];
  for (let w = 0; w < windows; w += batch) {
    const rows = Math.min(batch, windows - w);
    const ids = new Int32Array(rows * seqLen);
    const targets = new Int32Array(rows * seqLen);
    for (let r = 0; r < rows; r++) {
      const start = (w + r) * seqLen;
      for (let t = 0; t < seqLen; t++) {
        ids[r * seqLen + t] = tokens[start + t]!;
        targets[r * seqLen + t] = tokens[start + t + 1]!;
      }
    }
    out.push({ ids, targets, shape: [rows, seqLen] });
  }
  return out;
}

/** One labeled example: token ids (any length) and a class id. */
export interface LabeledExample {
  readonly tokens: readonly number[];
  readonly label: number;
}

/**
 * Packs labeled examples into a right-padded batch of rows at most `seqLen` wide, each example read as
 * `truncation` says (`head`, the default, keeps its first tokens; see `documentWindows`); `layout` maps rows to
 * examples for the classifier's pooling. `batch.targets` holds the labels, one per example.
 */
export function packClassBatch(examples: readonly LabeledExample[], seqLen: number, padId: number, truncation: Truncation = 'head'): { batch: Batch; labels: Int32Array; layout: RowLayout } {
  const packed = packDocuments(examples.map((ex) => ex.tokens), seqLen, truncation, padId);
  const labels = Int32Array.from(examples, (ex) => ex.label);
  return { batch: { ids: packed.ids, targets: labels, shape: packed.shape }, labels, layout: packed.layout };
}

/**
 * Consecutive groups of examples (as `[start, end)` index pairs) whose windows fill at most `maxRows` rows, a
 * group holding at least one example: scoring `chunk-and-pool` batches by rows, not by examples, keeps a batch
 * of long documents (up to 8 rows each) within the engine's memory, and never splits one document's chunks.
 * With `head` or `head+tail` every example is one row, so the groups are plain batches of `maxRows`.
 */
export function rowBudgetGroups(examples: readonly LabeledExample[], seqLen: number, truncation: Truncation, maxRows: number): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  let start = 0;
  let rows = 0;
  examples.forEach((ex, i) => {
    const n = truncation === 'chunk-and-pool' ? documentWindows(ex.tokens, seqLen, truncation, 0).length : 1;
    if (i > start && rows + n > maxRows) {
      groups.push([start, i]);
      start = i;
      rows = 0;
    }
    rows += n;
  });
  if (start < examples.length) groups.push([start, examples.length]);
  return groups;
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates) drawn from `rng`. */
export function permutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
