import { describe, expect, it } from 'vitest';
import { mergeQuadratic, mergeWithHeap } from './applyMerges.js';
import { pairKey } from './pairKey.js';
import { pretokenize } from './pretokenize.js';
import { trainBpe } from './train.js';
import { seededRandom as rng } from '../../test/support/random.js';


function randomText(r: () => number, words: number): string {
  const alphabet = 'aabbbcdeé中 ';
  let s = '';
  for (let i = 0; i < words; i++) {
    const len = 1 + Math.floor(r() * 6);
    for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * alphabet.length)];
    s += ' ';
  }
  return s;
}

/**
 * The textbook trainer, as slow as it is obvious: recount every pair of every pre-token occurrence before each
 * merge, take the most frequent (ties: smaller left id, then smaller right id), rewrite every word.
 */
function naiveMerges(texts: string[], merges: number): Array<[number, number]> {
  const utf8 = new TextEncoder();
  let words = texts.flatMap((t) => pretokenize(t)).map((w) => Array.from(utf8.encode(w)));
  const out: Array<[number, number]> = [];
  for (let m = 0; m < merges; m++) {
    const counts = new Map<number, number>();
    for (const w of words) for (let i = 0; i + 1 < w.length; i++) counts.set(pairKey(w[i]!, w[i + 1]!), (counts.get(pairKey(w[i]!, w[i + 1]!)) ?? 0) + 1);
    let best = -1;
    let bestCount = 0;
    for (const [k, c] of counts) if (c > bestCount || (c === bestCount && k < best)) [best, bestCount] = [k, c];
    if (best < 0) break;
    const a = Math.floor(best / 2 ** 22);
    const b = best % 2 ** 22;
    const id = 256 + m;
    words = words.map((w) => {
      const next: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
          next.push(id);
          i++;
        } else next.push(w[i]!);
      }
      return next;
    });
    out.push([a, b]);
  }
  return out;
}

describe('trainBpe against a naive reference trainer', () => {
  for (const seed of [1, 2, 3]) {
    it(`learns the same merges on random text (seed ${seed})`, () => {
      const r = rng(seed);
      const texts = [randomText(r, 300), randomText(r, 200)];
      const tok = trainBpe(texts, { vocabSize: 257 + 60 });
      const json = tok.toJSON();
      if (json.kind !== 'bpe') throw new Error('expected bpe');
      const ids = json.merges.map((m) => m.split(' ').map((t) => json.vocab[t]!));
      expect(ids).toEqual(naiveMerges(texts, 60));
    });
  }
});

describe('merge loops', () => {
  it('heap and quadratic loops agree on long random pieces', () => {
    const r = rng(7);
    const tok = trainBpe([randomText(r, 2000)], { vocabSize: 400 });
    const json = tok.toJSON();
    if (json.kind !== 'bpe') throw new Error('expected bpe');
    const rankOf = new Map<number, number>();
    const resultOf = new Int32Array(json.merges.length);
    json.merges.forEach((m, rank) => {
      const [a, b] = m.split(' ');
      rankOf.set(pairKey(json.vocab[a!]!, json.vocab[b!]!), rank);
      resultOf[rank] = json.vocab[a! + b!]!;
    });
    for (let trial = 0; trial < 30; trial++) {
      const piece = Array.from({ length: 50 + Math.floor(r() * 300) }, () => [97, 98, 99, 32][Math.floor(r() * 4)]!);
      expect(mergeWithHeap(piece, rankOf, resultOf)).toEqual(mergeQuadratic(piece, rankOf, resultOf));
    }
  });
});
