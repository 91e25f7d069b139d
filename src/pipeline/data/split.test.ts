import { describe, expect, it } from 'vitest';
import { assignSplits, splitHash } from './split.js';

const ids = Array.from({ length: 2000 }, (_, i) => `doc-${i}.txt`);

describe('assignSplits', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    expect(assignSplits(ids, 7, 0.1)).toEqual(assignSplits(ids, 7, 0.1));
    expect(assignSplits(ids, 8, 0.1)).not.toEqual(assignSplits(ids, 7, 0.1));
  });
  it('sends about valFraction of documents to validation', () => {
    const val = assignSplits(ids, 1, 0.1).filter((s) => s === 'val').length;
    expect(val).toBeGreaterThan(150);
    expect(val).toBeLessThan(250);
  });
  it('keeps each document in its split when others are added, removed or reordered', () => {
    const original = assignSplits(ids, 3, 0.2);
    const before = new Map(ids.map((id, i) => [id, original[i]]));
    const changed = [...ids.slice(500), 'new-a', 'new-b'].reverse();
    assignSplits(changed, 3, 0.2).forEach((s, i) => {
      if (before.has(changed[i]!)) expect(s).toBe(before.get(changed[i]!));
    });
  });
  it('never leaves validation empty for a tiny corpus, nor train empty', () => {
    expect(assignSplits(['a', 'b'], 1, 0.01).sort()).toEqual(['train', 'val']);
    expect(assignSplits(['only'], 1, 0.5)).toEqual(['train']);
    expect(assignSplits(['a', 'b', 'c'], 1, 0)).toEqual(['train', 'train', 'train']);
  });
  it('hashes into [0, 1)', () => {
    for (const id of ids.slice(0, 100)) {
      const h = splitHash(id, 1);
      expect(h >= 0 && h < 1).toBe(true);
    }
  });
});
