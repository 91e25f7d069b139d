import { createHash } from 'node:crypto';

/** The two splits of a prepared data set. */
export type SplitName = 'train' | 'val';

/**
 * A number in [0, 1) from SHA-256 of (seed, document id). A document keeps its split when other documents are
 * added, removed or reordered, and a different seed gives an independent split.
 */
export function splitHash(id: string, seed: number): number {
  const d = createHash('sha256').update(`${seed}\u0000${id}`).digest();
  // 52 bits: the most a double holds exactly.
  return (d.readUInt32BE(0) * 2 ** 20 + (d.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

/**
 * Assigns each id to train or validation: `val` when its {@link splitHash} is below `valFraction`. When the
 * fraction is positive, there are at least two documents and chance left validation empty, the document with
 * the smallest hash goes there, so a small corpus still gets a validation loss; likewise train is never left
 * empty (a single document always trains).
 */
export function assignSplits(ids: readonly string[], seed: number, valFraction: number): SplitName[] {
  const hashes = ids.map((id) => splitHash(id, seed));
  const out = hashes.map((h): SplitName => (h < valFraction ? 'val' : 'train'));
  if (valFraction > 0 && ids.length >= 2 && !out.includes('val')) {
    let min = 0;
    hashes.forEach((h, i) => {
      if (h < hashes[min]!) min = i;
    });
    out[min] = 'val';
  }
  if (valFraction < 1 && ids.length >= 1 && !out.includes('train')) {
    let max = 0;
    hashes.forEach((h, i) => {
      if (h > hashes[max]!) max = i;
    });
    out[max] = 'train';
  }
  return out;
}
