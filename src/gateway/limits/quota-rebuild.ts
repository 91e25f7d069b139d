import { sql } from 'drizzle-orm';
import type { Store } from '../../store/index.js';
import type { Limiter } from './limiter.js';
import { monthlySpendKey, monthlyTokensKey, monthOf } from './meters.js';
import { prepaidBalanceKey, prepaidUsageTotals } from './prepaid.js';

/**
 * Rebuilds this month's token and spend totals per customer, and each prepaid period's usage, from the
 * ledger, so a restart never resets a quota or a credit balance. The ledger is the durable record of settled usage; counters are only its running sum.
 */
export async function rebuildMonthlyTotals(store: Store, limiter: Limiter, nowMs: number): Promise<number> {
  const month = monthOf(nowMs);
  const start = new Date(`${month}-01T00:00:00.000Z`);
  const rows = await store.db.execute<{ customer_id: string; tokens: string | number; price: string | number }>(sql`
    SELECT customer_id, COALESCE(SUM(CASE WHEN status = 'ok' OR completion_tokens > 0 THEN prompt_tokens + completion_tokens ELSE 0 END), 0)::bigint AS tokens, COALESCE(SUM(price_micros), 0)::bigint AS price
    FROM usage_events WHERE occurred_at >= ${start.toISOString()}::timestamptz AND customer_id IS NOT NULL GROUP BY customer_id`);
  const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { customer_id: string; tokens: string | number; price: string | number }[];
  const ttl = 40 * 86_400_000;
  for (const r of list) {
    await limiter.seedMonth(monthlyTokensKey(r.customer_id, month), Number(r.tokens), ttl);
    await limiter.seedMonth(monthlySpendKey(r.customer_id, month), Number(r.price), ttl);
  }
  for (const p of await prepaidUsageTotals(store)) await limiter.seedMonth(prepaidBalanceKey(p.customerId, p.sinceMs), p.usedMicros, ttl);
  return list.length;
}
