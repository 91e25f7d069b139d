/**
 * Seq gaps of the ledger rollup, as plain data. A gap is a range of `seq` values below the watermark that
 * held no visible row when the rollup passed it: either a transaction that was still in flight (its rows
 * commit later with lower seqs than rows already counted) or one that rolled back. Gaps are re-checked on
 * every refresh and forgotten after a retention period.
 */

/** An inclusive range of missing seqs and when it was first noticed (ms since the epoch). */
export interface SeqGap {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly notedAtMs: number;
}

/**
 * The gaps left after the seqs in `found` were counted and gaps older than `retentionMs` dropped. A gap
 * that loses a seq in its middle splits in two; each part keeps its original notice time.
 */
export function remainingGaps(gaps: readonly SeqGap[], found: readonly number[], nowMs: number, retentionMs: number): SeqGap[] {
  const sorted = [...found].sort((a, b) => a - b);
  const out: SeqGap[] = [];
  for (const gap of gaps) {
    if (nowMs - gap.notedAtMs > retentionMs) continue;
    let from = gap.fromSeq;
    for (const seq of sorted) {
      if (seq < from || seq > gap.toSeq) continue;
      if (seq > from) out.push({ fromSeq: from, toSeq: seq - 1, notedAtMs: gap.notedAtMs });
      from = seq + 1;
    }
    if (from <= gap.toSeq) out.push({ fromSeq: from, toSeq: gap.toSeq, notedAtMs: gap.notedAtMs });
  }
  return out;
}
