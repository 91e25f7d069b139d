import { getTableColumns } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import { schema, type Store } from '../../store/index.js';
import { sqlLiteral } from './sql-literal.js';

/** One ledger row as the gateway writes it. */
export type UsageRow = typeof schema.usageEvents.$inferInsert;

/** The ledger columns the gateway writes, in INSERT order: row property -> column name, from the schema. */
const ledgerColumns: readonly (readonly [keyof UsageRow, string])[] = Object.entries(getTableColumns(schema.usageEvents))
  .filter(([property]) => property !== 'seq')
  .map(([property, column]) => [property as keyof UsageRow, column.name] as const);

const insertHead = `INSERT INTO usage_events (${ledgerColumns.map(([, c]) => c).join(', ')}) VALUES `;

/** One multi-row INSERT for a batch; a request id already in the ledger is skipped (idempotent retry). */
export function ledgerInsertSql(rows: readonly UsageRow[]): string {
  const tuples = rows.map((row) => `(${ledgerColumns.map(([p]) => (row[p] === undefined ? 'DEFAULT' : sqlLiteral(row[p]))).join(',')})`);
  return `${insertHead}${tuples.join(',')} ON CONFLICT (request_id) DO NOTHING`;
}

interface Pending {
  row: UsageRow;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Options of {@link LedgerWriter}. */
export interface LedgerWriterOptions {
  /** Most rows in one INSERT. */
  readonly maxBatch?: number;
  /** Attempts per batch before the waiting requests fail. */
  readonly attempts?: number;
}

/**
 * Writes usage rows with group commit: rows that arrive while a write is in flight are gathered and
 * written together in one multi-row INSERT (one transaction), so throughput grows with load while an idle
 * gateway still writes each row at once. `append` resolves only when the row is durable, and the gateway
 * awaits it before sending a response's final byte. `ON CONFLICT (request_id) DO NOTHING` makes a retried
 * batch idempotent: a row is never counted twice.
 */
export class LedgerWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private scheduled = false;
  private readonly maxBatch: number;
  private readonly attempts: number;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: Store,
    options: LedgerWriterOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1_000;
    this.attempts = options.attempts ?? 3;
  }

  /** Queues a row; resolves once it is committed. */
  append(row: UsageRow): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when every queued row has been written (graceful stop). */
  async drain(): Promise<void> {
    if (this.queue.length === 0 && !this.flushing) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return;
    this.scheduled = true;
    // setImmediate lets every row produced in this turn of the event loop join the same batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
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
      else for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      try {
        await this.store.execRaw(ledgerInsertSql(batch.map((p) => p.row)));
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
