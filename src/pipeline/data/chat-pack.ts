import type { Batch } from '../../models/index.js';
import type { TokenizedChat } from './chat-tokens.js';

/**
 * Packing of short conversations into training sequences.
 *
 * A sequence holds `seqLen + 1` ids (inputs are the first `seqLen`, targets the same shifted by one).
 * Conversations are placed whole, first fit in the order given: each goes into the first sequence with room
 * for it, else opens a new one; none is ever split. Each starts with `<|endoftext|>`, the document
 * boundary the model was pretrained with, and the target that crosses from one conversation into the next
 * (that `<|endoftext|>`) is never trained.
 *
 * Packed conversations are kept apart: a GPT is given each row's conversations as attention segments
 * ({@link chatBatch} `segments`, engine ops/attention.ts AttentionSegments), so each one attends only to
 * itself and its positions start at 0, exactly as when it is served alone (a test checks a packed row's
 * loss and gradients against its conversations in rows of their own). The loss never mixes
 * conversations either: every target of a row belongs to one conversation's answer. The LSTM has no
 * such mask (its state would run on across a packed row), so the trainer gives it one conversation per
 * row unless packing is asked for. The trainer also packs in a seeded random order, not the file's:
 * packed in file order without segments, a model learned the turn-taking of two alternating questions
 * from its neighbours instead of reading the question (README, chat fine-tuning).
 */

/** One training sequence: ids, which of them are trained targets, the conversations it holds (indices) and their lengths. */
export interface PackedRow {
  readonly ids: Int32Array;
  readonly trained: Uint8Array;
  readonly examples: readonly number[];
  readonly lengths: readonly number[];
}

/** Places conversations into sequences of `seqLen + 1` ids (first fit; `pack: false` = one per sequence). */
export function packChats(chats: readonly TokenizedChat[], seqLen: number, pack = true): PackedRow[] {
  const capacity = seqLen + 1;
  const bins: { used: number; members: number[] }[] = [];
  chats.forEach((c, i) => {
    const n = c.ids.length;
    if (n > capacity) throw new RangeError(`conversation ${i} has ${n} ids; a sequence holds ${capacity}`);
    const bin = pack ? bins.find((b) => b.used + n <= capacity) : undefined;
    if (bin) {
      bin.used += n;
      bin.members.push(i);
    } else {
      bins.push({ used: n, members: [i] });
    }
  });
  return bins.map((b) => {
    const ids = new Int32Array(b.used);
    const trained = new Uint8Array(b.used);
    let at = 0;
    for (const i of b.members) {
      const c = chats[i]!;
      ids.set(c.ids, at);
      trained.set(c.trained, at);
      at += c.ids.length;
    }
    return { ids, trained, examples: b.members, lengths: b.members.map((i) => chats[i]!.ids.length) };
  });
}

/**
 * A batch of rows, as wide as its longest row needs (`longest − 1` positions, at most `seqLen`): targets
 * are the next ids where those are trained, else -100 (crossEntropy's ignoreIndex), and positions past a
 * row's inputs (its last id is only a target) hold id 0 with target -100. Causal attention keeps that padding out of every real position's
 * context (it comes after them). `targets` counts the scored positions.
 */
export function chatBatch(rows: readonly PackedRow[]): { batch: Batch; targets: number; segments: number[][] } {
  const width = Math.max(1, ...rows.map((r) => r.ids.length - 1));
  const ids = new Int32Array(rows.length * width);
  const targets = new Int32Array(rows.length * width).fill(-100);
  let scored = 0;
  rows.forEach((r, b) => {
    const o = b * width;
    const n = r.ids.length;
    for (let t = 0; t < n - 1; t++) ids[o + t] = r.ids[t]!;
    for (let t = 0; t + 1 < n; t++) {
      if (r.trained[t + 1] === 1) {
        targets[o + t] = r.ids[t + 1]!;
        scored++;
      }
    }
  });
  return { batch: { ids, targets, shape: [rows.length, width] }, targets: scored, segments: rows.map(inputSegments) };
}

/**
 * The input positions each conversation of a row occupies, for attention that keeps them apart
 * (AttentionSegments): every conversation's length, the last one less its final id (a target only).
 */
function inputSegments(row: PackedRow): number[] {
  const out = [...row.lengths];
  out[out.length - 1]! -= 1;
  return out.filter((n) => n > 0);
}

/** Ids (padding excluded) of a list of rows: what training on them reads. */
export function rowTokens(rows: readonly PackedRow[]): number {
  return rows.reduce((n, r) => n + r.ids.length, 0);
}
