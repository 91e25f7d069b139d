import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsService } from '../../src/analytics/index.js';
import { createBillingServices } from '../../src/billing/index.js';
import { generateDemo } from '../../src/demo/index.js';
import { addMonths, monthEnd, monthOf } from '../../src/shared/month.js';
import { migrate, openPglite, type Store } from '../../src/store/index.js';

/**
 * The demo workspace bills its history: every ended month finalised (numbered in month order, without gaps),
 * paid ten days after it ended, the current month a draft — and every month reconciles: invoices, ledger,
 * KPIs and statements agree customer by customer, and Σ final subtotals = ledger price covered + fees − discounts.
 */
describe('the demo workspace, billed', () => {
  let store: Store;
  const now = new Date();
  const current = monthOf(now);
  const months = [addMonths(current, -3), addMonths(current, -2), addMonths(current, -1), current];

  beforeAll(async () => {
    store = await openPglite('memory://');
    await migrate(store);
    await generateDemo(store, { seed: 7, months: 3, scale: 0.3 });
  }, 240_000);
  afterAll(async () => store?.close());

  it('finalises its ended months, numbered without gaps in month order, and pays them ten days later', async () => {
    const rows = (await store.query("SELECT month, number, status, paid_at FROM invoices ORDER BY number")) as { month: string; number: string; status: string; paid_at: Date | null }[];
    expect(rows.length).toBeGreaterThan(0);
    rows.forEach((r, i) => expect(r.number).toBe(`INV-${r.month.slice(0, 4)}-${String(i + 1 - rows.filter((x) => x.month.slice(0, 4) < r.month.slice(0, 4)).length).padStart(6, '0')}`));
    const byMonth = rows.map((r) => r.month);
    expect([...byMonth].sort()).toEqual(byMonth);
    expect(new Set(byMonth)).toEqual(new Set(months.slice(0, 3)));
    for (const r of rows) expect(r.status).toBe(monthEnd(r.month).getTime() + 10 * 86_400_000 <= now.getTime() ? 'paid' : 'final');
  });

  it('keeps the current month a draft', async () => {
    const { invoices } = createBillingServices(store, { refreshKpis: async () => undefined });
    const drafts = await invoices.list({ month: current });
    expect(drafts.length).toBeGreaterThan(0);
    expect(drafts.every((d) => d.status === 'draft' && d.number === null)).toBe(true);
  });

  it('reconciles every month to the micro-unit, and the KPIs use the invoiced usage revenue', async () => {
    const analytics = new AnalyticsService(store);
    const { billing } = createBillingServices(store, { refreshKpis: () => analytics.refresh() });
    for (const m of months) {
      const r = await billing.reconciliation(m);
      expect(r.mismatches, m).toEqual([]);
      expect(r.matches, m).toBe(true);
      expect(r.invoicedSubtotalMicros, m).toBe(r.expectedSubtotalMicros);
      expect(r.invoicedUsageMicros, m).toBe(r.ledgerMicros);
      expect(r.kpiMicros, m).toBe(r.ledgerMicros);
      if (m !== current) expect(r.feesMicros, m).toBeGreaterThan(0);
    }
  });
});
