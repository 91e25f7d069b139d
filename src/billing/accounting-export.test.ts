import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceArbitrary, parseMicros, sampleInvoice } from '../../test/support/invoices.js';
import { parseCsv } from '../pipeline/data/csv.js';
import { accountingCsv, accountingCsvColumns } from './accounting-export.js';

const SEED = 16_002;

function records(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv, 'export.csv');
  expect(header).toEqual([...accountingCsvColumns]);
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describe('accountingCsv', () => {
  const a = sampleInvoice();
  const b = sampleInvoice({ id: 'inv_b', number: 'INV-2026-000122', customerId: 'cus_b', customerName: 'Beta', billTo: { kind: 'partner', partnerId: 'prt_shop', name: 'Shop Reseller' }, lines: [], status: 'void', voidedAt: '2026-04-02T00:00:00.000Z', voidReason: 'duplicate' });
  const c = sampleInvoice({ id: 'inv_c', number: 'INV-2026-000124', status: 'paid', paidAt: '2026-04-09T12:00:00.000Z' });

  it('writes a self-contained row per line, invoices in number order, totals on every row', () => {
    const rows = records(accountingCsv('2026-03', [a, b, c]));
    expect(rows).toHaveLength(1 + a.lines.length * 2);
    expect(rows.map((r) => r.invoice_number)).toEqual(['INV-2026-000122', ...Array(a.lines.length).fill('INV-2026-000123'), ...Array(a.lines.length).fill('INV-2026-000124')]);
    const first = rows[1]!;
    expect(first).toMatchObject({ export_month: '2026-03', invoice_id: 'inv_sample', invoice_date: '2026-04-01', finalized_at: '2026-04-01T00:05:00.000Z', status: 'final', customer_id: 'cus_acme', customer_name: 'Acme, "Shanghai" 上海', bill_to_kind: 'customer', bill_to_name: 'Acme, "Shanghai" 上海', currency: 'USD' });
    expect(first).toMatchObject({ line_no: '1', line_kind: 'fee', line_amount: '49.00', invoice_subtotal: '50.735049', tax_rate_bps: '600', invoice_tax: '3.044103', invoice_total: '53.779152', invoice_credits: '2.00', invoice_due: '51.779152' });
    expect(rows.slice(1, 1 + a.lines.length).map((r) => r.line_amount)).toEqual(['49.00', '1.234567', '1.50', '0.000007', '-1.000001', '-0.000001', '0.000477']);
    expect(rows.at(-1)).toMatchObject({ status: 'paid', paid_at: '2026-04-09T12:00:00.000Z' });
  });

  it('keeps a void invoice, marked, and an invoice without lines as one row', () => {
    const [voided] = records(accountingCsv('2026-03', [b]));
    expect(voided).toMatchObject({ invoice_number: 'INV-2026-000122', status: 'void', voided_at: '2026-04-02T00:00:00.000Z', void_reason: 'duplicate', bill_to_kind: 'partner', bill_to_partner_id: 'prt_shop', bill_to_name: 'Shop Reseller', line_no: '0', line_kind: '', line_amount: '' });
  });

  it('refuses drafts and invoices of another month', () => {
    expect(() => accountingCsv('2026-03', [sampleInvoice({ status: 'draft', number: null, finalizedAt: null })])).toThrow(/final, paid and void/);
    expect(() => accountingCsv('2026-04', [a])).toThrow(/inv_sample \(final, 2026-03\)/);
    expect(parseCsv(accountingCsv('2026-03', []), 'x')).toEqual([[...accountingCsvColumns]]);
  });

  it('for any issued invoices, each invoice\'s line amounts parse back to its micros and sum to its subtotal', () => {
    const issued = invoiceArbitrary.filter((i) => i.status !== 'draft');
    fc.assert(
      fc.property(fc.uniqueArray(issued, { maxLength: 6, selector: (i) => i.number }), (invoices) => {
        const rows = records(accountingCsv('2026-03', invoices));
        for (const inv of invoices) {
          const own = rows.filter((r) => r.invoice_id === inv.id);
          expect(own).toHaveLength(Math.max(1, inv.lines.length));
          const lines = own.filter((r) => r.line_no !== '0');
          expect(lines.map((r) => parseMicros(r.line_amount!))).toEqual(inv.lines.map((l) => BigInt(l.amountMicros)));
          expect(lines.reduce((s, r) => s + parseMicros(r.line_amount!), 0n)).toBe(BigInt(inv.subtotalMicros));
          for (const r of own) {
            expect([r.invoice_subtotal, r.invoice_tax, r.invoice_total, r.invoice_credits, r.invoice_due].map((v) => parseMicros(v!))).toEqual([inv.subtotalMicros, inv.taxMicros, inv.totalMicros, inv.creditsMicros, inv.dueMicros].map(BigInt));
            expect(r.status).toBe(inv.status);
          }
        }
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
