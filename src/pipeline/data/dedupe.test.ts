import { describe, expect, it } from 'vitest';
import { silentProgress } from '../progress.js';
import { readBrownCorpus } from './brown.js';
import { dedupe } from './dedupe.js';
import { lshBands, MinHashIndex, shingleHashes } from './minhash.js';

function jaccard(a: Uint32Array, b: Uint32Array): number {
  const sa = new Set(a);
  let inter = 0;
  for (const x of new Set(b)) if (sa.has(x)) inter++;
  return inter / (sa.size + new Set(b).size - inter);
}

/** Replaces every `step`-th word, a controlled amount of editing. */
function edit(text: string, step: number): string {
  return text.split(' ').map((w, i) => (i % step === 0 ? `${w}x` : w)).join(' ');
}

describe('MinHash', () => {
  it('estimates Jaccard similarity of shingle sets within a few points', async () => {
    const [doc] = await readBrownCorpus({ limit: 1 });
    const a = doc!.text.slice(0, 4000);
    const index = new MinHashIndex({ numPerm: 256 });
    for (const step of [3, 10, 40]) {
      const b = edit(a, step);
      const exact = jaccard(shingleHashes(a, 'word', 5), shingleHashes(b, 'word', 5));
      const est = MinHashIndex.similarity(index.signature(a), index.signature(b));
      expect(Math.abs(est - exact)).toBeLessThan(0.08);
    }
  });
  it('picks LSH bands whose S-curve crosses near the threshold', () => {
    for (const t of [0.5, 0.8, 0.9]) {
      const { bands, rows } = lshBands(t, 128);
      expect(bands * rows).toBeLessThanOrEqual(128);
      const crossing = (1 / bands) ** (1 / rows); // where the candidate probability is steepest
      expect(Math.abs(crossing - t)).toBeLessThan(0.15);
    }
  });
  it('char shingles never split a surrogate pair and handle text shorter than a shingle', () => {
    expect(shingleHashes('😀', 'char', 5).length).toBe(1);
    expect(shingleHashes('😀😀😀😀😀😀', 'char', 5).length).toBe(1);
  });
});

describe('dedupe', () => {
  it('removes exact duplicates and near duplicates, keeping the first and leaving distinct text alone', async () => {
    const docs = (await readBrownCorpus({ limit: 4 })).map((d) => d.text.slice(0, 3000));
    const texts = [docs[0]!, docs[1]!, docs[0]!, edit(docs[1]!, 50), docs[2]!, edit(docs[2]!, 3), docs[3]!];
    const r = dedupe(texts, {}, silentProgress());
    expect(r.kind).toEqual(['keep', 'keep', 'exact', 'near', 'keep', 'keep', 'keep']);
    expect(r.duplicateOf).toEqual([-1, -1, 0, 1, -1, -1, -1]);
    expect([r.exact, r.near]).toEqual([1, 1]);
  });
  it('follows the threshold and can be switched off', async () => {
    const [doc] = await readBrownCorpus({ limit: 1 });
    const a = doc!.text.slice(0, 3000);
    // Editing every 10th word leaves ~0.9^5 of the 5-word shingles intact: Jaccard ≈ 0.59 / 1.41 ≈ 0.42.
    const texts = [a, edit(a, 10), a];
    expect(dedupe(texts, {}, silentProgress()).kind).toEqual(['keep', 'keep', 'exact']);
    expect(dedupe(texts, { threshold: 0.3 }, silentProgress()).kind).toEqual(['keep', 'near', 'exact']);
    expect(dedupe(texts, { near: false }, silentProgress()).kind).toEqual(['keep', 'keep', 'exact']);
    expect(dedupe(texts, { exact: false, near: false }, silentProgress()).kind).toEqual(['keep', 'keep', 'keep']);
  });
  it('finds re-wrapped and re-cased copies (whitespace and case do not count)', () => {
    const a = 'The quick brown fox jumps over the lazy dog while the cat watches from the warm windowsill all afternoon long.';
    const b = a.toUpperCase().replace(/ /g, '\n  ');
    expect(dedupe([a, b], {}, silentProgress()).kind).toEqual(['keep', 'near']);
  });
});
