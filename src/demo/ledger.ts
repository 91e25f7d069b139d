import { sql } from 'drizzle-orm';
import type { Store } from '../store/index.js';
import type { DemoUsageRow } from './usage.js';

/** Writes ledger rows and resolves once they are durable. */
export type UsageSink = (rows: readonly DemoUsageRow[]) => Promise<void>;

const LEDGER_COLUMNS = [
  'request_id', 'occurred_at', 'key_id', 'customer_id', 'channel_id', 'partner_id', 'campaign_id', 'model', 'deployment_id', 'endpoint',
  'prompt_tokens', 'completion_tokens', 'latency_ms', 'status', 'http_status', 'error_code', 'streamed', 'cost_micros', 'price_micros',
] as const;

/** A row as the JSON object `json_populate_recordset` reads (column names as keys). */
function ledgerJson(r: DemoUsageRow): Record<(typeof LEDGER_COLUMNS)[number], unknown> {
  return {
    request_id: r.requestId, occurred_at: r.occurredAt, key_id: r.keyId, customer_id: r.customerId, channel_id: r.channelId, partner_id: r.partnerId,
    campaign_id: r.campaignId, model: r.model, deployment_id: r.deploymentId, endpoint: r.endpoint, prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens, latency_ms: r.latencyMs, status: r.status, http_status: r.httpStatus, error_code: r.errorCode,
    streamed: r.streamed, cost_micros: r.costMicros, price_micros: r.priceMicros,
  };
}

/**
 * Writes usage rows into the ledger as the schema documents them: every column but `seq` (the ledger
 * assigns it, in the order given), `ON CONFLICT (request_id) DO NOTHING` so a repeated demo never counts a
 * request twice. Rows travel as one JSON parameter per 5,000 rows — on PGlite many times faster than
 * binding 20 parameters per row. (The gateway exports no ledger-writing function yet; when it does, pass
 * it as `writeUsage`.)
 */
export function ledgerSink(store: Store): UsageSink {
  const columns = LEDGER_COLUMNS.join(', ');
  return async (rows) => {
    for (let i = 0; i < rows.length; i += 5_000) {
      const json = JSON.stringify(rows.slice(i, i + 5_000).map(ledgerJson));
      await store.query(
        `INSERT INTO usage_events (${columns})
         SELECT ${columns} FROM json_populate_recordset(NULL::usage_events, $1::json) WITH ORDINALITY AS r ORDER BY r.ordinality
         ON CONFLICT (request_id) DO NOTHING`,
        [json],
      );
    }
  };
}

/** Inserts rows of any table in chunks (each row has few columns; 1,000 rows stay far below 65,535 parameters). */
export async function insertChunked<T>(insert: (rows: T[]) => Promise<unknown>, rows: readonly T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) await insert(rows.slice(i, i + 1_000));
}

/** Marks the given customers as churned (after the simulation decided who left). */
export async function markChurned(store: Store, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1_000) {
    const chunk = ids.slice(i, i + 1_000);
    await store.db.execute(sql`UPDATE customers SET status = 'churned' WHERE id = ANY (string_to_array(${chunk.join(',')}, ','))`);
  }
}
