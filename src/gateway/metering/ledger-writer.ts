import { QudaoError } from '../../errors/index.js';
import type { Store } from '../../store/index.js';
import { LedgerJournal, type SegmentRef, type SegmentText } from './ledger-journal.js';
import { LEDGER_COLUMN_LIST, ledgerInsertOfTuples, ledgerTuple } from './ledger-sql.js';
import type { UsageRow } from './usage-row.js';

export type { UsageRow } from './usage-row.js';
export { ledgerInsertSql } from './ledger-sql.js';

interface Pending {
  row: UsageRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** A journaled row (its SQL tuple, the journal's line) waiting for its database insert, and the segment that holds it. */
interface Journaled {
  tuple: string;
  segment: SegmentRef;
}

/** Options of {@link LedgerWriter}. */
export interface LedgerWriterOptions {
  /** Most rows in one INSERT. */
  readonly maxBatch?: number;
  /** Attempts per batch before the waiting requests fail (direct mode) or the batch is retried later (journal mode). */
  readonly attempts?: number;
  /**
   * Folder of a local write-ahead journal. With one, a row is durable once its journal line is written and
   * `append` resolves then; the database insert follows in the background every `flushIntervalMs`.
   * Without one, `append` resolves once the row is committed to the database.
   */
  readonly journalDir?: string | undefined;
  /**
   * Journal mode: how long rows gather before one database INSERT (default 100 ms). Longer batches cost
   * PGlite less per row — CPU of the whole process per row: ~75 µs in batches of 25, ~55 in 100, ~43 in
   * 400 (`npx tsx bench/gateway-costs.ts`) — and the rows are durable in the journal meanwhile.
   */
  readonly flushIntervalMs?: number;
  /** Journal mode: where background insert failures are reported (they are retried; the rows stay in the journal). */
  readonly onError?: (err: unknown) => void;
}

/**
 * Writes usage rows, each exactly once, in one of two modes.
 *
 * Direct (no journal): group commit — rows that arrive while a write is in flight are gathered and written
 * together in one multi-row INSERT (one transaction), so throughput grows with load while an idle gateway
 * still writes each row at once. `append` resolves only when the row is committed.
 *
 * Journal: `append` writes the row to the local {@link LedgerJournal} (one write per turn of the event loop
 * for every row produced in it, ~20 µs) and resolves; the rows reach the database in batches a few
 * milliseconds later, off the request's path. A crash leaves them in the journal, and {@link open} replays
 * them before the gateway serves (and before quota totals are rebuilt from the ledger).
 *
 * Either way the gateway awaits `append` before sending a response's final byte, and the INSERT's
 * `ON CONFLICT (request_id) DO NOTHING` makes a retried or replayed batch idempotent: a row is never
 * counted twice.
 */
export class LedgerWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly attempts: number;
  private idleWaiters: (() => void)[] = [];
  private readonly journal: LedgerJournal | null;
  private readonly flushIntervalMs: number;
  private readonly onError: (err: unknown) => void;
  /** Journal mode: rows written to the journal, waiting for the database. */
  private journaled: Journaled[] = [];
  private timer: NodeJS.Timeout | null = null;
  private inserting: Promise<boolean> | null = null;
  private stopped = false;

  constructor(
    private readonly store: Store,
    options: LedgerWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1_000;
    this.attempts = options.attempts ?? 3;
    this.journal = options.journalDir === undefined ? null : new LedgerJournal(options.journalDir, LEDGER_COLUMN_LIST);
    this.flushIntervalMs = options.flushIntervalMs ?? 100;
    this.onError = options.onError ?? (() => {});
  }

  /** Whether rows go through a local journal. */
  get journaling(): boolean {
    return this.journal !== null;
  }

  /**
   * Journal mode: locks the journal folder and writes every row a previous process left in it to the
   * database (idempotently), then deletes those segments. Returns how many rows were replayed. Call once
   * before the first `append`; a no-op in direct mode.
   */
  async open(): Promise<number> {
    if (!this.journal) return 0;
    const { segments, leftovers } = this.journal.open();
    let replayed = 0;
    try {
      for (const segment of segments) {
        const { columns, tuples } = replayable(segment);
        for (let i = 0; i < tuples.length; i += this.maxBatch) await this.store.execRaw(ledgerInsertOfTuples(tuples.slice(i, i + this.maxBatch), columns));
        replayed += tuples.length;
      }
    } catch (err) {
      await this.journal.close();
      throw new QudaoError('QD_STORE_UNAVAILABLE', 'the usage ledger journal cannot be replayed into the database', { cause: err });
    }
    this.journal.discard(leftovers);
    return replayed;
  }

  /** Queues a row; resolves once it is durable (journaled, or committed in direct mode). */
  append(row: UsageRow): Promise<void> {
    if (this.stopped) return Promise.reject(new QudaoError('QD_STORE_UNAVAILABLE', 'the usage ledger is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /**
   * Resolves once every row appended so far is in the database (read-your-writes for ledger readers); in
   * journal mode it inserts the journaled rows now rather than at the next interval.
   */
  async settled(): Promise<void> {
    if (this.queue.length > 0 || this.flushing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (!this.journal) return;
    await this.inserting;
    while (this.journaled.length > 0) {
      if (!(await this.insertOnce())) throw new QudaoError('QD_STORE_UNAVAILABLE', 'journaled usage rows cannot be written to the database');
    }
  }

  /**
   * Resolves when every queued row has been written to the database (graceful stop). In journal mode it
   * then closes the journal: rows that still cannot reach the database stay in it for the next start.
   */
  async drain(): Promise<void> {
    if (this.queue.length > 0 || this.flushing) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (!this.journal) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inserting;
    for (let attempt = 0; attempt < this.attempts && this.journaled.length > 0; attempt++) {
      if (!(await this.insertOnce())) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
    await this.journal.close();
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every row produced in this turn of the event loop join the same batch.
    setImmediate(() => {
      this.scheduled = false;
      if (this.journal) this.writeJournal();
      else void this.flush();
    });
  }

  /** Journal mode: one journal write for every queued row, then the database insert is scheduled. */
  private writeJournal(): void {
    const occurredAt = new Date();
    // Encoded once: the tuple is the journal's line and, joined with its batch, the INSERT's values.
    const { batch, tuples } = encodeBatch(this.queue.splice(0), occurredAt);
    if (batch.length === 0) return this.notifyIdle();
    let segment: SegmentRef;
    try {
      segment = this.journal!.append(tuples);
    } catch (err) {
      const failure = new QudaoError('QD_STORE_UNAVAILABLE', 'the usage ledger journal cannot be written', { cause: err });
      for (const p of batch) p.reject(failure);
      this.notifyIdle();
      return;
    }
    for (const tuple of tuples) this.journaled.push({ tuple, segment });
    for (const p of batch) p.resolve();
    this.notifyIdle();
    this.scheduleInsert(this.flushIntervalMs);
  }

  private scheduleInsert(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.insertOnce().then((ok) => {
        if (this.journaled.length > 0) this.scheduleInsert(ok ? this.flushIntervalMs : 1_000);
      });
    }, delayMs);
  }

  /** One insert pass at a time: the timer's and drain's never take the same rows. */
  private insertOnce(): Promise<boolean> {
    this.inserting ??= this.insertJournaled().finally(() => {
      this.inserting = null;
    });
    return this.inserting;
  }

  /** Journal mode: inserts the journaled rows in batches; false when the database refused (rows kept). */
  private async insertJournaled(): Promise<boolean> {
    while (this.journaled.length > 0) {
      const batch = this.journaled.slice(0, this.maxBatch);
      try {
        await this.store.execRaw(ledgerInsertOfTuples(batch.map((j) => j.tuple)));
      } catch (err) {
        this.onError(err);
        return false;
      }
      this.journaled.splice(0, batch.length);
      for (const j of batch) this.journal!.committed(j.segment, 1);
    }
    return true;
  }

  private notifyIdle(): void {
    if (this.queue.length === 0 && !this.flushing) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.writeBatch(batch);
      }
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
      else this.notifyIdle();
    }
  }

  private async writeBatch(pending: Pending[]): Promise<void> {
    const { batch, tuples } = encodeBatch(pending, undefined);
    if (batch.length === 0) return;
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      try {
        await this.store.execRaw(ledgerInsertOfTuples(tuples));
        for (const p of batch) p.resolve();
        return;
      } catch (err) {
        lastError = err;
        await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      }
    }
    const failure = new QudaoError('QD_STORE_UNAVAILABLE', 'the usage ledger cannot be written', { cause: lastError });
    for (const p of batch) p.reject(failure);
  }
}

/**
 * Encodes each pending row once (stamping `occurredAt` where it has none and one is given). A row that
 * cannot be encoded (a value that is no finite number, text, boolean or date: a bug upstream of the
 * ledger) fails its own request with QD_STORE_UNAVAILABLE and is left out; the rest of the batch goes on.
 */
function encodeBatch(pending: readonly Pending[], occurredAt: Date | undefined): { batch: Pending[]; tuples: string[] } {
  const batch: Pending[] = [];
  const tuples: string[] = [];
  for (const p of pending) {
    try {
      tuples.push(ledgerTuple(occurredAt && p.row.occurredAt === undefined ? { ...p.row, occurredAt } : p.row));
      batch.push(p);
    } catch (err) {
      p.reject(new QudaoError('QD_STORE_UNAVAILABLE', 'the usage row cannot be written', { cause: err }));
    }
  }
  return { batch, tuples };
}

/**
 * The tuples of a segment a previous process left, and the column list they are in: its header's; a
 * segment of a version before headers holds one JSON row per line, encoded now.
 */
function replayable(segment: SegmentText): { columns: string; tuples: string[] } {
  if (segment.header !== null) return { columns: segment.header, tuples: segment.lines };
  const tuples = segment.lines.map((line) => {
    const row = JSON.parse(line) as UsageRow & { occurredAt?: string | Date };
    if (typeof row.occurredAt === 'string') row.occurredAt = new Date(row.occurredAt);
    return ledgerTuple(row);
  });
  return { columns: LEDGER_COLUMN_LIST, tuples };
}
