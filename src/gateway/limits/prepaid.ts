import type { Store } from '../../store/index.js';
import type { GatewayCustomer } from '../types.js';

/**
 * Prepaid credit as the gateway reads it. A prepaid customer's balance is
 *
 *   Σ credit_entries.amount_micros − Σ usage_events.price_micros of its rows since `customers.prepaid_since`
 *
 * The first sum is the `prepaid_balance` meter's limit (cached with the customer, reloaded on every credit
 * change); the second is the meter's settled total, rebuilt from the ledger like a month total. The admin
 * service (src/billing/credits.ts) reads the same two sums through {@link readCreditBalance}.
 */

/** Counter key of a customer's prepaid usage since `sinceMs` (a new prepaid period is a new counter). */
export function prepaidBalanceKey(customerId: string, sinceMs: number): string {
  return `qd:{${customerId}}:prepaid:${sinceMs}`;
}

/** The credited total of every customer with credit entries, by customer id. */
export async function creditedTotals(store: Store): Promise<Map<string, number>> {
  const rows = await store.query<{ customer_id: string; credited: string }>('SELECT customer_id, SUM(amount_micros)::text AS credited FROM credit_entries GROUP BY customer_id');
  return new Map(rows.map((r) => [r.customer_id, Number(r.credited)]));
}

/** Per customer that has a `prepaid_since`: the start of its prepaid period and the ledger price since then. */
export interface PrepaidUsage {
  readonly customerId: string;
  readonly sinceMs: number;
  readonly usedMicros: number;
}

/** Every prepaid period's usage, for seeding in-process counters at start (see rebuildMonthlyTotals). */
export async function prepaidUsageTotals(store: Store): Promise<PrepaidUsage[]> {
  const rows = await store.query<{ id: string; since_ms: string; used: string }>(`
    SELECT c.id, floor(extract(epoch FROM c.prepaid_since) * 1000)::bigint::text AS since_ms,
      (SELECT COALESCE(SUM(u.price_micros), 0) FROM usage_events u WHERE u.customer_id = c.id AND u.occurred_at >= c.prepaid_since)::text AS used
    FROM customers c WHERE c.prepaid_since IS NOT NULL`);
  return rows.map((r) => ({ customerId: r.id, sinceMs: Number(r.since_ms), usedMicros: Number(r.used) }));
}

/** One customer's credit as the ledgers have it now: what was credited and what usage took since it turned prepaid. */
export interface CreditBalance {
  readonly billingMode: 'postpaid' | 'prepaid';
  readonly prepaidSince: Date | null;
  readonly lowBalanceMicros: number | null;
  readonly creditedMicros: number;
  readonly usedMicros: number;
  readonly balanceMicros: number;
}

/** Reads a customer's balance in one statement (one snapshot); undefined when there is no such customer. */
export async function readCreditBalance(store: Store, customerId: string): Promise<CreditBalance | undefined> {
  const [row] = await store.query<{ billing_mode: string; since_ms: string | null; low: string | null; credited: string; used: string }>(
    `SELECT c.billing_mode, floor(extract(epoch FROM c.prepaid_since) * 1000)::bigint::text AS since_ms, c.low_balance_micros::text AS low,
      (SELECT COALESCE(SUM(e.amount_micros), 0) FROM credit_entries e WHERE e.customer_id = c.id)::text AS credited,
      CASE WHEN c.prepaid_since IS NULL THEN '0'
        ELSE (SELECT COALESCE(SUM(u.price_micros), 0) FROM usage_events u WHERE u.customer_id = c.id AND u.occurred_at >= c.prepaid_since)::text END AS used
    FROM customers c WHERE c.id = $1`,
    [customerId],
  );
  if (!row) return undefined;
  const creditedMicros = Number(row.credited);
  const usedMicros = Number(row.used);
  return {
    billingMode: row.billing_mode === 'prepaid' ? 'prepaid' : 'postpaid',
    prepaidSince: row.since_ms === null ? null : new Date(Number(row.since_ms)),
    lowBalanceMicros: row.low === null ? null : Number(row.low),
    creditedMicros,
    usedMicros,
    balanceMicros: creditedMicros - usedMicros,
  };
}

/** Whether a balance is below the customer's low-balance threshold. */
export function isLowBalance(balanceMicros: number, lowBalanceMicros: number | null): boolean {
  return lowBalanceMicros !== null && balanceMicros < lowBalanceMicros;
}

/**
 * The credit headers of a prepaid customer's `/v1` answer: the balance left after this request's
 * reservation (the most the request can cost is already taken off), and the low-balance flag.
 */
export function creditHeaders(customer: GatewayCustomer, balanceMicros: number | undefined): Record<string, string> {
  if (customer.billingMode !== 'prepaid' || balanceMicros === undefined) return {};
  const headers: Record<string, string> = { 'x-qudao-credit-balance-micros': String(balanceMicros) };
  if (isLowBalance(balanceMicros, customer.lowBalanceMicros)) headers['x-qudao-credit-low'] = 'true';
  return headers;
}
