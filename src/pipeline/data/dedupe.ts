import { createHash } from 'node:crypto';
import type { Progress } from '../progress.js';
import { MinHashIndex, type MinHashOptions } from './minhash.js';

/** Options of {@link dedupe}. */
export interface DedupeOptions extends MinHashOptions {
  /** Drop documents identical to an earlier one (default true). */
  readonly exact?: boolean;
  /** Drop documents whose estimated Jaccard similarity to an earlier kept one reaches `threshold` (default true). */
  readonly near?: boolean;
}

/** What {@link dedupe} decided, per input document. */
export interface DedupeResult {
  /** `kind[i]`: `keep`, `exact` or `near`. */
  readonly kind: ReadonlyArray<'keep' | 'exact' | 'near'>;
  /** `duplicateOf[i]`: index of the earlier document that document i duplicates, or -1 when kept. */
  readonly duplicateOf: readonly number[];
  readonly exact: number;
  readonly near: number;
}

/**
 * Exact duplicates first (SHA-256 of the cleaned text, cheap and certain), then near duplicates by MinHash LSH
 * among what is left. The first occurrence in input order is kept, so the result depends only on the order
 * of the inputs, which the data step fixes.
 */
export function dedupe(texts: readonly string[], opts: DedupeOptions, progress: Progress): DedupeResult {
  const kind: Array<'keep' | 'exact' | 'near'> = new Array(texts.length).fill('keep');
  const duplicateOf: number[] = new Array(texts.length).fill(-1);
  let exact = 0;
  let near = 0;
  if (opts.exact ?? true) {
    const firstOf = new Map<string, number>();
    texts.forEach((t, i) => {
      const key = createHash('sha256').update(t).digest('base64');
      const first = firstOf.get(key);
      if (first === undefined) firstOf.set(key, i);
      else {
        kind[i] = 'exact';
        duplicateOf[i] = first;
        exact++;
      }
    });
  }
  if (opts.near ?? true) {
    const index = new MinHashIndex(opts);
    progress.start(texts.length, 'near-duplicates');
    texts.forEach((t, i) => {
      if (kind[i] === 'keep') {
        const dup = index.findOrAdd(i, t);
        if (dup >= 0) {
          kind[i] = 'near';
          duplicateOf[i] = dup;
          near++;
        }
      }
      progress.tick(1, { near });
    });
    progress.done();
  }
  return { kind, duplicateOf, exact, near };
}
