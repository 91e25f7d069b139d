import { asc, gt } from 'drizzle-orm';
import type { Database } from '../database.js';
import { auditHead, auditLog } from '../schema/audit.js';
import { GENESIS_HASH, rowHash } from './chain.js';

/** What a walk of the chain found: `ok`, how many rows it checked, and the first bad row with why. */
export interface ChainReport {
  ok: boolean;
  rows: number;
  firstBadSeq: number | null;
  reason: string | null;
  /** The hash of the last row that verified (keep a copy elsewhere: a later rewrite of the chain then shows), or null. */
  headHash: string | null;
}

/** Rows read per page, so a long chain is walked in constant memory. */
const PAGE = 1_000;

/**
 * Walks the whole chain in `seq` order and recomputes every hash. Finds an edited row (its hash no longer
 * matches its fields), a deleted row (a gap in `seq`, or a `prev_hash` that is not the previous row's
 * hash), and a truncated tail (the head record names a later or different row than the chain's last).
 * Someone who can write SQL can still rewrite the whole chain from the edited row on; keeping a copy of
 * the head hash elsewhere (e.g. printed by `qudao audit verify` into a ticket) detects that too.
 */
export async function verifyAuditChain(db: Database): Promise<ChainReport> {
  let rows = 0;
  let prev: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  const bad = (seq: number, reason: string): ChainReport => ({ ok: false, rows, firstBadSeq: seq, reason, headHash: rows > 0 ? prev.hash : null });
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.seq, prev.seq)).orderBy(asc(auditLog.seq)).limit(PAGE);
    for (const row of page) {
      if (row.seq !== prev.seq + 1) return bad(prev.seq + 1, `row ${prev.seq + 1} is missing: the chain goes from ${prev.seq} to ${row.seq}`);
      if (row.prevHash !== prev.hash) return bad(row.seq, `row ${row.seq} does not follow row ${prev.seq} (prev_hash differs): a row was removed or replaced`);
      const { hash, ...fields } = row;
      if (rowHash(fields) !== hash) return bad(row.seq, `row ${row.seq} was changed after it was written (its hash does not match its fields)`);
      rows++;
      prev = { seq: row.seq, hash };
    }
    if (page.length < PAGE) break;
  }
  const [head] = await db.select().from(auditHead).limit(1);
  if (head && head.seq > prev.seq) return bad(prev.seq + 1, `rows ${prev.seq + 1} to ${head.seq} are missing: the chain ends at ${prev.seq} but its head records ${head.seq}`);
  if (head && head.hash !== prev.hash) return bad(prev.seq, `row ${prev.seq} is not the row the head records (hash differs)`);
  if (!head && rows > 0) return bad(prev.seq, 'the chain has rows but no head record');
  return { ok: true, rows, firstBadSeq: null, reason: null, headHash: rows > 0 ? prev.hash : null };
}
