import { sql } from 'drizzle-orm';
import { LedgerWriter } from '../gateway/index.js';
import type { Store } from '../store/index.js';
import type { DemoUsageRow } from './usage.js';

/** Writes ledger rows and resolves once they are durable. */
export type UsageSink = (rows: readonly DemoUsageRow[]) => Promise<void>;

/**
 * Writes usage rows through the gateway's own ledger writer — the same group-committed multi-row INSERT with
 * `ON CONFLICT (request_id) DO NOTHING` that meters `/v1` traffic — so demo rows are exactly what the gateway
 * would have written, and a repeated demo never counts a request twice. Rows are queued in order, so the
 * ledger assigns `seq` in the order given; the promise resolves once every row is durable.
 */
export function ledgerSink(store: Store): UsageSink {
  const writer = new LedgerWriter(store, { maxBatch: 5_000 });
  return async (rows) => {
    await Promise.all(rows.map((row) => writer.append(row)));
  };
}

/** Inserts rows of any table in chunks (each row has few columns; 1,000 rows stay far below 65,535 parameters). */
export async function insertChunked<T>(insert: (rows: T[]) => Promise<unknown>, rows: readonly T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) await insert(rows.slice(i, i + 1_000));
}

/**
 * Marks the customers who left (the simulation decided who) as `paused`: a customer status the API knows
 * (src/shared/contract/customers.ts), so every answer that lists them matches its schema.
 */
export async function markChurned(store: Store, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1_000) {
    const chunk = ids.slice(i, i + 1_000);
    await store.db.execute(sql`UPDATE customers SET status = 'paused' WHERE id = ANY (string_to_array(${chunk.join(',')}, ','))`);
  }
}
