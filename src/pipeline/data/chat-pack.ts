import type { Batch } from '../../models/index.js';
import type { TokenizedChat } from './chat-tokens.js';

/**
 * Packing of short conversations into training sequences.
 *
 * A sequence holds `seqLen + 1` ids (inputs are the first `seqLen`, targets the same shifted by one).
 * Conversations are placed whole, first fit in file order: each goes into the first sequence with room
 * for it, else opens a new one; none is ever split. Each starts with `<|endoftext|>`, the document
 * boundary the model was pretrained with, and the target that crosses from one conversation into the next
 * (that `<|endoftext|>`) is never trained.
 *
 * Why attending across conversations is accepted: the engine's attention is causal over the whole row,
 * with no block-diagonal mask and no per-document positions, so a packed conversation can attend to the
 * ones before it in its row and sits at a later position than when served. That is how the model was
 * pretrained (documents concatenated with `<|endoftext|>` between them, nanoGPT's and GPT-2's recipe), so
 * the separator already reads to it as "what came before is unrelated". The loss itself never mixes
 * conversations: every target of a packed row belongs to one conversation's answer. What it does allow
 * is learning from the neighbours: packed in a file's order (two questions in turn), a model learned the
 * turn-taking instead of the question and answered a lone served question wrongly, so the trainer packs
 * in a seeded random order (train/chat.ts; measured in the README's chat fine-tuning section). Where
 * exact serving conditions matter more than speed, `packing: false` gives each conversation its own row
 * (position 0 on, nothing before it; the padding after it is never attended to by a real token and
 * never scored).
 */

/** One training sequence: ids, which of them are trained targets, and the conversations it holds (indices). */
export interface PackedRow {
  readonly ids: Int32Array;
  readonly trained: Uint8Array;
  readonly examples: readonly number[];
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
    return { ids, trained, examples: b.members };
  });
}

/**
 * A batch of rows, as wide as its longest row needs (`longest − 1` positions, at most `seqLen`): targets
 * are the next ids where those are trained, else -100 (crossEntropy's ignoreIndex), and positions past a
 * row's inputs (its last id is only a target) hold id 0 with target -100. Causal attention keeps that padding out of every real position's
 * context (it comes after them). `targets` counts the scored positions.
 */
export function chatBatch(rows: readonly PackedRow[]): { batch: Batch; targets: number } {
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
  return { batch: { ids, targets, shape: [rows.length, width] }, targets: scored };
}

/** Ids (padding excluded) of a list of rows: what training on them reads. */
export function rowTokens(rows: readonly PackedRow[]): number {
  return rows.reduce((n, r) => n + r.ids.length, 0);
}
