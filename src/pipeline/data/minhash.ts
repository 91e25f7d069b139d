/**
 * MinHash signatures with banded locality-sensitive hashing (Broder 1997; Leskovec, Rajaraman & Ullman,
 * "Mining of Massive Datasets", ch. 3). The share of equal signature slots estimates the Jaccard similarity of
 * two documents' shingle sets; LSH makes only documents that agree on a whole band candidates, so finding
 * near duplicates costs about one bucket lookup per band instead of comparing all pairs.
 */

/** What a shingle is: `word` n-grams (robust to re-wrapping and cheap) or `char` n-grams (for CJK text). */
export type ShingleKind = 'word' | 'char';

/** Options of {@link MinHashIndex}. */
export interface MinHashOptions {
  /** Jaccard similarity at or above which two documents are near duplicates (default 0.8). */
  readonly threshold?: number;
  readonly shingle?: ShingleKind;
  /** Shingle length in words or characters (default 5 words, or 5 characters). */
  readonly shingleSize?: number;
  /** Signature length; more is more exact and slower (default 128). */
  readonly numPerm?: number;
  /** Seed of the hash permutations, so results are reproducible (default 1). */
  readonly seed?: number;
}

/** murmur3's 32-bit finaliser: a cheap bijective mixer, used as the family of permutations. */
function fmix32(x: number): number {
  let h = x;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over UTF-16 code units of s[from, to): hashes a shingle without allocating it. */
function fnv1a(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Distinct shingle hashes of a text, lower-cased with whitespace collapsed so layout changes do not count. */
export function shingleHashes(text: string, kind: ShingleKind, size: number): Uint32Array {
  const norm = text.toLowerCase().replace(/\s+/g, ' ').trim();
  const out = new Set<number>();
  if (kind === 'char') {
    const cps = Array.from(norm);
    const joined = cps.join('');
    // Offsets in code units of each code point, so a shingle never splits a surrogate pair.
    const at: number[] = [];
    let o = 0;
    for (const c of cps) {
      at.push(o);
      o += c.length;
    }
    at.push(o);
    if (cps.length <= size) out.add(fnv1a(joined, 0, joined.length));
    else for (let i = 0; i + size <= cps.length; i++) out.add(fnv1a(joined, at[i]!, at[i + size]!));
  } else {
    const words = norm.split(' ');
    const h = words.map((w) => fnv1a(w, 0, w.length));
    const n = Math.max(1, words.length - size + 1);
    for (let i = 0; i < n; i++) {
      let x = 0x9747b28c;
      for (let k = i; k < Math.min(words.length, i + size); k++) x = fmix32(x ^ h[k]!) + k - i;
      out.add(x >>> 0);
    }
  }
  return Uint32Array.from(out);
}

/**
 * Bands × rows for a signature of `numPerm` slots. The candidate probability 1-(1-s^r)^b is an S-curve; this
 * minimises the weighted area of false positives below the threshold and false negatives above it (the rule
 * datasketch uses). Every candidate is verified against its signature, so a false positive costs only one
 * comparison while a false negative keeps a duplicate: misses weigh 9 times more (recall ≈ 0.87 at the
 * threshold 0.8, ≈ 0.98 at 0.85, with 128 slots).
 */
export function lshBands(threshold: number, numPerm: number): { bands: number; rows: number } {
  let best = { bands: 1, rows: numPerm, error: Infinity };
  const steps = 200;
  for (let b = 1; b <= numPerm; b++) {
    const r = Math.floor(numPerm / b);
    const p = (s: number) => 1 - (1 - s ** r) ** b;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < steps; i++) {
      const s = (i + 0.5) / steps;
      if (s < threshold) fp += p(s) / steps;
      else fn += (1 - p(s)) / steps;
    }
    const error = 0.1 * fp + 0.9 * fn;
    if (error < best.error) best = { bands: b, rows: r, error };
  }
  return { bands: best.bands, rows: best.rows };
}

/**
 * An index of documents kept so far. `findOrAdd` returns the id of an indexed near duplicate (estimated
 * Jaccard ≥ threshold among LSH candidates), or adds the document and returns -1: first seen is kept.
 */
export class MinHashIndex {
  readonly threshold: number;
  private readonly kind: ShingleKind;
  private readonly size: number;
  private readonly seeds: Uint32Array;
  private readonly bands: number;
  private readonly rows: number;
  private readonly buckets = new Map<number, number[]>();
  private readonly signatures: Uint32Array[] = [];
  private readonly ids: number[] = [];

  constructor(opts: MinHashOptions = {}) {
    this.threshold = opts.threshold ?? 0.8;
    this.kind = opts.shingle ?? 'word';
    this.size = opts.shingleSize ?? 5;
    const numPerm = opts.numPerm ?? 128;
    if (!(this.threshold > 0 && this.threshold <= 1)) throw new RangeError(`near-duplicate threshold must be in (0, 1], got ${this.threshold}`);
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError(`shingle size must be a positive integer, got ${this.size}`);
    if (!Number.isInteger(numPerm) || numPerm < 2) throw new RangeError(`numPerm must be an integer >= 2, got ${numPerm}`);
    let state = fmix32((opts.seed ?? 1) >>> 0) || 1;
    this.seeds = new Uint32Array(numPerm);
    for (let i = 0; i < numPerm; i++) this.seeds[i] = state = fmix32(state + 0x9e3779b9);
    ({ bands: this.bands, rows: this.rows } = lshBands(this.threshold, numPerm));
  }

  /** MinHash signature: per permutation, the smallest permuted shingle hash. */
  signature(text: string): Uint32Array {
    const shingles = shingleHashes(text, this.kind, this.size);
    const sig = new Uint32Array(this.seeds.length).fill(0xffffffff);
    for (let p = 0; p < this.seeds.length; p++) {
      const seed = this.seeds[p]!;
      let min = 0xffffffff;
      for (let i = 0; i < shingles.length; i++) {
        const v = fmix32(shingles[i]! ^ seed);
        if (v < min) min = v;
      }
      sig[p] = min;
    }
    return sig;
  }

  /** Estimated Jaccard similarity of two signatures: the share of equal slots. */
  static similarity(a: Uint32Array, b: Uint32Array): number {
    let same = 0;
    for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
    return same / a.length;
  }

  /** The id of a kept near duplicate of `text`, or -1 after adding `text` under `id`. */
  findOrAdd(id: number, text: string): number {
    const sig = this.signature(text);
    const keys: number[] = [];
    const seen = new Set<number>();
    for (let band = 0; band < this.bands; band++) {
      let h = 0x2545f491 ^ band;
      for (let r = band * this.rows; r < (band + 1) * this.rows; r++) h = fmix32(h ^ sig[r]!) + r;
      // Band number in the high bits keeps bands apart in one map.
      const key = band * 0x100000000 + (h >>> 0);
      keys.push(key);
      for (const slot of this.buckets.get(key) ?? []) {
        if (seen.has(slot)) continue;
        seen.add(slot);
        if (MinHashIndex.similarity(sig, this.signatures[slot]!) >= this.threshold) return this.ids[slot]!;
      }
    }
    const slot = this.signatures.length;
    this.signatures.push(sig);
    this.ids.push(id);
    for (const key of keys) {
      const list = this.buckets.get(key);
      if (list) list.push(slot);
      else this.buckets.set(key, [slot]);
    }
    return -1;
  }
}
