import { BpeTokenizer } from './bpe.js';
import { PairHeap } from './heap.js';
import { pairKey, pairLeft, pairRight } from './pairKey.js';
import { gpt2Regex } from './pretokenize.js';
import { END_OF_TEXT, type Tokenizer } from './types.js';

/** Options of {@link trainBpe}. */
export interface TrainBpeOptions {
  /** Final vocabulary size: 256 bytes + merges + 1 for `<|endoftext|>`; at least 257. */
  readonly vocabSize: number;
  /** Called after each merge with (merges done, merges wanted). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Trains a byte-level BPE vocabulary (GPT-2 pre-tokenisation; ids 0-255 are the bytes, merges follow, and
 * `<|endoftext|>` is the last id). Training is deterministic: the most frequent pair wins, ties go to the
 * smaller (left id, right id).
 *
 * Speed comes from working on unique pre-token words with counts and updating pair counts incrementally: a
 * merge only revisits the words that contain the merged pair, found through a pair → words index. If the
 * corpus runs out of pairs first, the vocabulary is smaller than asked (`vocabSize` tells the truth).
 */
export function trainBpe(texts: Iterable<string>, opts: TrainBpeOptions): Tokenizer {
  if (!Number.isInteger(opts.vocabSize) || opts.vocabSize < 257) {
    throw new RangeError(`vocabSize must be an integer >= 257 (256 bytes + ${END_OF_TEXT}), got ${opts.vocabSize}`);
  }
  const wantMerges = opts.vocabSize - 257;
  const { words, counts } = countWords(texts);
  const merges = learnMerges(words, counts, wantMerges, opts.onProgress);
  const tokens: Uint8Array[] = [];
  for (let b = 0; b < 256; b++) tokens.push(Uint8Array.of(b));
  for (const [a, b] of merges) {
    const joined = new Uint8Array(tokens[a]!.length + tokens[b]!.length);
    joined.set(tokens[a]!);
    joined.set(tokens[b]!, tokens[a]!.length);
    tokens.push(joined);
  }
  return new BpeTokenizer({ tokens, merges, specialTokens: { [END_OF_TEXT]: tokens.length } });
}

/**
 * Pre-tokens longer than this are counted in chunks of this length. A merge rewrites every word holding the pair,
 * so one huge word (a space-free CJK paragraph, a 100 kB run of "=") would cost its length on every merge; chunking
 * only loses the pairs across chunk edges, which cannot matter to the statistics.
 */
const MAX_TRAIN_WORD = 256;

/** Unique pre-token words as byte-id arrays, with how often each occurs. */
function countWords(texts: Iterable<string>): { words: number[][]; counts: number[] } {
  const freq = new Map<string, number>();
  const add = (w: string) => freq.set(w, (freq.get(w) ?? 0) + 1);
  for (const text of texts) {
    const re = gpt2Regex();
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const w = m[0];
      if (w.length <= MAX_TRAIN_WORD) add(w);
      else for (const chunk of chunks(w)) add(chunk);
    }
  }
  // Sorted so that word order (and hence every tie) is independent of the order texts arrive in.
  const entries = [...freq].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const utf8 = new TextEncoder();
  return { words: entries.map(([w]) => Array.from(utf8.encode(w))), counts: entries.map(([, c]) => c) };
}

/** The merge loop; `words` are rewritten in place as merges apply. */
function learnMerges(
  words: number[][],
  counts: number[],
  wantMerges: number,
  onProgress?: (done: number, total: number) => void,
): Array<[number, number]> {
  const pairCount = new Map<number, number>();
  // Append-only lists of words that (once) held each pair; entries can go stale and are re-checked on use.
  const pairWords = new Map<number, number[]>();
  const addPairs = (w: number, sign: number, changed: Set<number>): void => {
    const syms = words[w]!;
    const c = counts[w]! * sign;
    for (let i = 0; i + 1 < syms.length; i++) {
      const key = pairKey(syms[i]!, syms[i + 1]!);
      pairCount.set(key, (pairCount.get(key) ?? 0) + c);
      changed.add(key);
      if (sign > 0) {
        const list = pairWords.get(key);
        if (list === undefined) pairWords.set(key, [w]);
        else if (list[list.length - 1] !== w) list.push(w);
      }
    }
  };
  const heap = new PairHeap(1024);
  const initial = new Set<number>();
  for (let w = 0; w < words.length; w++) addPairs(w, 1, initial);
  // Max-heap on count via negation; ties broken by the smaller packed pair.
  for (const key of initial) heap.push(-pairCount.get(key)!, key);

  const merges: Array<[number, number]> = [];
  const lastVisit = new Int32Array(words.length).fill(-1);
  while (merges.length < wantMerges && heap.size > 0) {
    const count = -heap.topPrimary!;
    const key = heap.topSecondary!;
    heap.pop();
    if (pairCount.get(key) !== count || count <= 0) continue;
    const a = pairLeft(key);
    const b = pairRight(key);
    const newId = 256 + merges.length;
    const changed = new Set<number>();
    for (const w of pairWords.get(key) ?? []) {
      if (lastVisit[w] === newId) continue;
      lastVisit[w] = newId;
      const syms = words[w]!;
      if (!containsPair(syms, a, b)) continue;
      addPairs(w, -1, changed);
      words[w] = mergePair(syms, a, b, newId);
      addPairs(w, 1, changed);
    }
    pairWords.delete(key);
    for (const k of changed) {
      const c = pairCount.get(k)!;
      if (c > 0) heap.push(-c, k);
      else pairCount.delete(k);
    }
    merges.push([a, b]);
    onProgress?.(merges.length, wantMerges);
  }
  return merges;
}

/** Cuts a string into MAX_TRAIN_WORD-length pieces without splitting a surrogate pair. */
function* chunks(w: string): Generator<string> {
  let start = 0;
  while (start < w.length) {
    let end = Math.min(w.length, start + MAX_TRAIN_WORD);
    const c = w.charCodeAt(end - 1);
    if (end < w.length && c >= 0xd800 && c <= 0xdbff) end--;
    yield w.slice(start, end);
    start = end;
  }
}

function containsPair(syms: number[], a: number, b: number): boolean {
  for (let i = 0; i + 1 < syms.length; i++) if (syms[i] === a && syms[i + 1] === b) return true;
  return false;
}

/** Replaces every non-overlapping (a, b), left to right, by `id`: the same rule encoding applies. */
function mergePair(syms: number[], a: number, b: number, id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < syms.length; i++) {
    if (i + 1 < syms.length && syms[i] === a && syms[i + 1] === b) {
      out.push(id);
      i++;
    } else out.push(syms[i]!);
  }
  return out;
}
