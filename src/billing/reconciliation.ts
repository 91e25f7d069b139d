import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { InvoiceLine, reconciliationCustomerSchema, reconciliationSchema } from '../shared/contract/billing.js';
import { monthEnd, monthStart, type Month } from '../shared/month.js';
import { jsonOf, num, rowsOf, type Database } from '../store/index.js';
import { billableSql, invoicedSql } from './invoice-store.js';

type CustomerLine = z.infer<typeof reconciliationCustomerSchema>;
export type Reconciliation = z.infer<typeof reconciliationSchema>;

/**
 * The reconciliation of one month, customer by customer, from four independent readings:
 * - the **ledger**: Σ price of the month's billable rows;
 * - the **invoices**: Σ of the month's usage, rounding and adjustment lines on final invoices (frozen when
 *   they were finalised) plus the month's rows that no final invoice covers yet (they are on the open draft);
 * - the **KPIs**: the month's revenue in the `usage_daily` rollup the analytics read (refreshed first);
 * - the **statements**: for rows sold through a partner, Σ of the month's lines on final statements plus the
 *   month's partner rows no final statement settled yet.
 * And for the month's final invoices: Σ subtotals = Σ ledger price of the rows they cover + fees − discounts,
 * the rows each covers read from the ledger again (not from its lines).
 */
export async function reconcileMonth(db: Database, month: Month): Promise<Reconciliation> {
  const from = monthStart(month).toISOString();
  const to = monthEnd(month).toISOString();
  const perCustomer = new Map<string, CustomerLine>();
  const line = (id: string): CustomerLine => {
    let l = perCustomer.get(id);
    if (!l) perCustomer.set(id, (l = { customerId: id, ledgerMicros: 0, invoicedMicros: 0, kpiMicros: 0, partnerLedgerMicros: 0, statementMicros: 0, matches: true }));
    return l;
  };

  const ledger = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT u.customer_id, sum(u.price_micros) AS price, sum(CASE WHEN u.partner_id IS NOT NULL THEN u.price_micros ELSE 0 END) AS partner_price,
           sum(CASE WHEN NOT ${invoicedSql()} THEN u.price_micros ELSE 0 END) AS pending,
           sum(CASE WHEN u.partner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM statements s WHERE s.partner_id = u.partner_id AND s.status = 'final'
                 AND s.month >= ${month} AND s.covered_seq >= u.seq) THEN u.price_micros ELSE 0 END) AS statement_pending
      FROM usage_events u WHERE ${billableSql} AND u.occurred_at >= ${from} AND u.occurred_at < ${to} GROUP BY 1`));
  for (const r of ledger) {
    const l = line(String(r.customer_id));
    l.ledgerMicros = num(r.price);
    l.partnerLedgerMicros = num(r.partner_price);
    l.invoicedMicros += num(r.pending);
    l.statementMicros += num(r.statement_pending);
  }

  // Usage of the month as final invoices froze it (an invoice of a later month carries it as adjustments).
  const finals = rowsOf<{ customer_id: string; month: string; lines: unknown }>(await db.execute(sql`
    SELECT customer_id, month, lines FROM invoices WHERE status IN ('final', 'paid') AND month >= ${month}`));
  for (const f of finals) {
    const lines = jsonOf<InvoiceLine[]>(f.lines);
    const amount = lines.filter((x) => x.month === month && (x.kind === 'usage' || x.kind === 'rounding' || x.kind === 'adjustment')).reduce((s, x) => s + x.amountMicros, 0);
    if (amount !== 0) line(f.customer_id).invoicedMicros += amount;
  }

  const statements = rowsOf<{ lines: unknown }>(await db.execute(sql`SELECT lines FROM statements WHERE status = 'final' AND month >= ${month}`));
  for (const s of statements) {
    const lines = jsonOf<{ month: string; customerId: string | null; revenueMicros: number }[]>(s.lines);
    for (const x of lines) if (x.month === month && x.customerId) line(x.customerId).statementMicros += x.revenueMicros;
  }

  const kpi = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT customer_id, sum(price_micros) AS price FROM usage_daily WHERE customer_id <> '' AND day >= ${from.slice(0, 10)}::date AND day < ${to.slice(0, 10)}::date GROUP BY 1`));
  for (const r of kpi) line(String(r.customer_id)).kpiMicros = num(r.price);

  // The month's final invoices against the ledger rows each one covers.
  const [covered] = rowsOf<Record<string, unknown>>(await db.execute(sql`
    SELECT coalesce(sum(u.price_micros), 0) AS price FROM invoices i
      JOIN usage_events u ON u.customer_id = i.customer_id AND u.seq <= i.covered_seq AND u.occurred_at < ${to} AND u.endpoint <> 'guardrail'
     WHERE i.month = ${month} AND i.status IN ('final', 'paid')
       AND NOT EXISTS (SELECT 1 FROM invoices j WHERE j.customer_id = i.customer_id AND j.status IN ('final', 'paid') AND j.month < i.month
                        AND j.month >= to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AND j.covered_seq >= u.seq)`));
  const stored = rowsOf<{ subtotal_micros: unknown; lines: unknown }>(await db.execute(sql`SELECT subtotal_micros, lines FROM invoices WHERE month = ${month} AND status IN ('final', 'paid')`));
  let invoicedSubtotalMicros = 0;
  let feesMicros = 0;
  let discountMicros = 0;
  for (const s of stored) {
    invoicedSubtotalMicros += num(s.subtotal_micros);
    const lines = jsonOf<InvoiceLine[]>(s.lines);
    for (const x of lines) {
      if (x.kind === 'fee') feesMicros += x.amountMicros;
      if (x.kind === 'included' || x.kind === 'discount') discountMicros -= x.amountMicros;
    }
  }
  const [drafts] = rowsOf<{ n: unknown }>(await db.execute(sql`SELECT count(DISTINCT u.customer_id) AS n FROM usage_events u WHERE ${billableSql} AND u.occurred_at >= ${from} AND u.occurred_at < ${to}
    AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = u.customer_id AND i.month = ${month})`));

  const customers = [...perCustomer.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  for (const c of customers) c.matches = c.ledgerMicros === c.invoicedMicros && c.ledgerMicros === c.kpiMicros && c.partnerLedgerMicros === c.statementMicros;
  const expectedSubtotalMicros = num(covered?.price) + feesMicros - discountMicros;
  const total = (f: (c: CustomerLine) => number) => customers.reduce((s, c) => s + f(c), 0);
  const mismatches = customers.filter((c) => !c.matches);
  return {
    month, invoicedSubtotalMicros, expectedSubtotalMicros,
    ledgerMicros: total((c) => c.ledgerMicros), invoicedUsageMicros: total((c) => c.invoicedMicros), kpiMicros: total((c) => c.kpiMicros), statementMicros: total((c) => c.statementMicros),
    feesMicros, discountMicros, finalInvoices: stored.length, draftInvoices: num(drafts?.n),
    matches: mismatches.length === 0 && invoicedSubtotalMicros === expectedSubtotalMicros, mismatches, customers,
  };
}
