/**
 * A binary min-heap of (primary, secondary) number pairs, compared lexicographically. Used with lazy deletion:
 * callers push a fresh entry whenever a priority changes and skip stale entries when they pop, which is simpler
 * and faster than decrease-key for BPE's many small updates.
 */
export class PairHeap {
  private primary: Float64Array;
  private secondary: Float64Array;
  private n = 0;

  constructor(capacity = 64) {
    this.primary = new Float64Array(Math.max(4, capacity));
    this.secondary = new Float64Array(Math.max(4, capacity));
  }

  /** Number of entries, stale ones included. */
  get size(): number {
    return this.n;
  }

  /** Smallest primary of the top entry (undefined when empty). */
  get topPrimary(): number | undefined {
    return this.n > 0 ? this.primary[0] : undefined;
  }

  /** Secondary of the top entry (undefined when empty). */
  get topSecondary(): number | undefined {
    return this.n > 0 ? this.secondary[0] : undefined;
  }

  /** Adds an entry. */
  push(p: number, s: number): void {
    if (this.n === this.primary.length) this.grow();
    let i = this.n++;
    const P = this.primary;
    const S = this.secondary;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pp = P[parent]!;
      if (pp < p || (pp === p && S[parent]! <= s)) break;
      P[i] = pp;
      S[i] = S[parent]!;
      i = parent;
    }
    P[i] = p;
    S[i] = s;
  }

  /** Removes the top entry; read it first with {@link topPrimary} / {@link topSecondary}. */
  pop(): void {
    const n = --this.n;
    if (n <= 0) return;
    const P = this.primary;
    const S = this.secondary;
    const p = P[n]!;
    const s = S[n]!;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (P[r]! < P[c]! || (P[r] === P[c] && S[r]! < S[c]!))) c = r;
      if (p < P[c]! || (p === P[c] && s <= S[c]!)) break;
      P[i] = P[c]!;
      S[i] = S[c]!;
      i = c;
    }
    P[i] = p;
    S[i] = s;
  }

  private grow(): void {
    const p = new Float64Array(this.primary.length * 2);
    const s = new Float64Array(this.secondary.length * 2);
    p.set(this.primary);
    s.set(this.secondary);
    this.primary = p;
    this.secondary = s;
  }
}
