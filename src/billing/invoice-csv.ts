import { formatMicros } from '../partners/index.js';
import type { InvoiceAnswer } from '../shared/contract/billing.js';
import { csvText, type CsvCell } from '../shared/csv.js';
import { invoiceTotals, lineRateBps, lineUnits, unitPriceMoney } from './invoice-lines.js';

/** The columns of an invoice's CSV, in order (the README lists them with their meaning). */
export const invoiceCsvColumns = [
  'invoice_id', 'invoice_number', 'customer_id', 'invoice_month', 'status', 'currency',
  'kind', 'line_month', 'description', 'plan_id', 'model', 'token_kind', 'channel_id', 'partner_id', 'agreement_id',
  'quantity', 'quantity_unit', 'unit_price', 'unit_price_per', 'rate_bps', 'amount',
] as const;

/** Money in a cell: the exact decimal of the micro-units (`1.234567`, `-0.000001`), never a float. */
const money = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

/**
 * An invoice as CSV (RFC 4180, CRLF): one row per line, then five total rows whose `kind` is `subtotal`,
 * `tax` (its `rate_bps` is the tax rate), `total`, `credits` (prepaid credit applied, positive) and `due`
 * (total − credits). Every row repeats the invoice's identity so a row read alone still says whose it is.
 * Amounts are exact decimal strings of currency units written from the integer micro-units, so the line
 * amounts sum to the subtotal exactly in any spreadsheet.
 */
export function invoiceCsv(invoice: InvoiceAnswer): string {
  const head: CsvCell[] = [invoice.id, invoice.number, invoice.customerId, invoice.month, invoice.status, invoice.currency];
  const rows: CsvCell[][] = invoice.lines.map((l) => {
    const units = lineUnits[l.kind];
    const price = unitPriceMoney(l);
    return [
      ...head, l.kind, l.month, l.description, l.planId, l.model, l.tokenKind, l.channelId, l.partnerId, l.agreementId,
      l.quantity, units.quantity, money(price), price === null ? null : units.unitPrice, lineRateBps(l), money(l.amountMicros),
    ];
  });
  for (const t of invoiceTotals(invoice)) {
    rows.push([...head, t.kind, invoice.month, null, null, null, null, null, null, null, null, null, null, null, t.kind === 'tax' ? invoice.taxRateBps : null, money(t.amountMicros)]);
  }
  return csvText(invoiceCsvColumns, rows);
}
