import { QudaoError } from '../../errors/index.js';
import type { Store } from '../../store/index.js';
import type { LedgerMonthTotal, MeterCharge, MeterName, MonthLedger } from './limiter.js';

/** What a row adds to each month meter: the same rule as `billedTokens` and the row's price. */
const amountSql: Partial<Record<MeterName, string>> = {
  monthly_tokens: `CASE WHEN status = 'ok' OR completion_tokens > 0 THEN prompt_tokens + completion_tokens ELSE 0 END`,
  monthly_spend: 'price_micros',
  prepaid_balance: 'price_micros',
};

/**
 * One statement, so the sum and the recent rows come from one snapshot: a row committed between two
 * queries would otherwise be in one and not the other, and its settlement counted twice or never.
 */
function monthTotalSql(amount: string): string {
  return `WITH m AS (
      SELECT request_id, occurred_at, (${amount})::bigint AS amount FROM usage_events
      WHERE customer_id = $1 AND occurred_at >= $2::timestamptz AND occurred_at < $3::timestamptz)
    SELECT (SELECT COALESCE(SUM(amount), 0) FROM m)::text AS total,
      COALESCE((SELECT json_agg(request_id) FROM m WHERE occurred_at >= $4::timestamptz AND amount <> 0), '[]'::json)::text AS recent`;
}

/**
 * The month totals of the usage ledger (and a prepaid period's, which has no end), for rebuilding a missing
 * counter. `settled` waits until every row this process has appended is in the database (the ledger
 * writer's journal is drained first), so the sum includes rows answered but not yet flushed.
 */
export function ledgerMonthTotals(store: Store, settled: () => Promise<void>): MonthLedger {
  return {
    async monthTotal(charge: MeterCharge, recentSinceMs: number): Promise<LedgerMonthTotal> {
      const amount = amountSql[charge.name];
      if (!amount || !charge.owner) throw new QudaoError('QD_INTERNAL', `meter ${charge.key} has no ledger total`);
      const { customerId, fromMs, untilMs } = charge.owner;
      const until = untilMs === null ? 'infinity' : new Date(untilMs).toISOString();
      try {
        await settled();
        const [row] = await store.query<{ total: string; recent: string }>(monthTotalSql(amount), [customerId, new Date(fromMs).toISOString(), until, new Date(recentSinceMs).toISOString()]);
        return { total: Number(row?.total ?? 0), recentRequestIds: JSON.parse(row?.recent ?? '[]') as string[] };
      } catch (err) {
        throw new QudaoError('QD_STORE_UNAVAILABLE', 'the usage ledger cannot be read to rebuild a quota counter', { cause: err });
      }
    },
  };
}
