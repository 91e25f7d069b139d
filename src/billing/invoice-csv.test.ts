import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invoiceArbitrary, parseMicros, sampleInvoice } from '../../test/support/invoices.js';
import { parseCsv } from '../pipeline/data/csv.js';
import { invoiceCsv, invoiceCsvColumns } from './invoice-csv.js';

const SEED = 16_001;

/** The CSV parsed back into records keyed by column. */
function records(csv: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(csv, 'invoice.csv');
  expect(header).toEqual([...invoiceCsvColumns]);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describe('invoiceCsv', () => {
  it('writes one row per line, then subtotal, tax, total, credits and due, every amount exact', () => {
    const invoice = sampleInvoice();
    const csv = invoiceCsv(invoice);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = records(csv);
    expect(rows.map((r) => r.kind)).toEqual(['fee', 'usage', 'usage', 'rounding', 'included', 'discount', 'adjustment', 'subtotal', 'tax', 'total', 'credits', 'due']);
    expect(rows.map((r) => r.amount)).toEqual(['49.00', '1.234567', '1.50', '0.000007', '-1.000001', '-0.000001', '0.000477', '50.735049', '3.044103', '53.779152', '2.00', '51.779152']);
    expect(rows.every((r) => r.invoice_number === 'INV-2026-000123' && r.customer_id === 'cus_acme' && r.currency === 'USD')).toBe(true);
    // Usage is priced per 1M tokens, the fee per month; a discount's rate is basis points, not money.
    expect(rows[1]).toMatchObject({ model: 'qudao-small', token_kind: 'input', channel_id: 'chn_direct', quantity: '1234567', quantity_unit: 'tokens', unit_price: '1.00', unit_price_per: 'per_1m_tokens', rate_bps: '' });
    expect(rows[0]).toMatchObject({ quantity_unit: 'seconds', unit_price: '49.00', unit_price_per: 'per_month' });
    expect(rows[5]).toMatchObject({ partner_id: 'prt_shop', agreement_id: 'agr_1', unit_price: '', unit_price_per: '', rate_bps: '2000' });
    expect(rows[8]).toMatchObject({ kind: 'tax', rate_bps: '600' });
    // Text survives quoting; a formula start is neutralised, a negative amount is not.
    expect(rows[2]!.description).toBe('qudao-small: output tokens, "long" answers, at Pro');
    expect(rows[6]!.description).toBe(`'=Late usage of 2026-02: qudao-small`);
    expect(rows[6]!.line_month).toBe('2026-02');
    expect(csv).toContain(',-0.000001\r\n');
  });

  it('writes money as exact decimal strings for any invoice: each amount is its micros, lines sum to the subtotal', () => {
    fc.assert(
      fc.property(invoiceArbitrary, (invoice) => {
        const rows = records(invoiceCsv(invoice));
        const lines = rows.slice(0, invoice.lines.length);
        const totals = Object.fromEntries(rows.slice(invoice.lines.length).map((r) => [r.kind, parseMicros(r.amount!)]));
        expect(rows).toHaveLength(invoice.lines.length + 5);
        lines.forEach((r, i) => {
          const line = invoice.lines[i]!;
          expect(r.kind).toBe(line.kind);
          expect(r.description).toBe(/^[=+\-@]/.test(line.description) ? `'${line.description}` : line.description);
          expect(parseMicros(r.amount!)).toBe(BigInt(line.amountMicros));
          expect(r.quantity).toBe(String(line.quantity));
        });
        const sum = lines.reduce((s, r) => s + parseMicros(r.amount!), 0n);
        expect(sum).toBe(totals.subtotal);
        expect(totals).toEqual({ subtotal: BigInt(invoice.subtotalMicros), tax: BigInt(invoice.taxMicros), total: BigInt(invoice.totalMicros), credits: BigInt(invoice.creditsMicros), due: BigInt(invoice.dueMicros) });
        expect(totals.subtotal! + totals.tax!).toBe(totals.total);
        expect(totals.total! - totals.credits!).toBe(totals.due);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('writes a draft with an empty number', () => {
    const rows = records(invoiceCsv(sampleInvoice({ id: 'draft_2026-03_cus_acme', number: null, status: 'draft', finalizedAt: null })));
    expect(rows.every((r) => r.invoice_number === '' && r.status === 'draft')).toBe(true);
  });
});
