import { formatMicros } from '../partners/index.js';
import type { InvoiceAnswer } from '../shared/contract/billing.js';
import { csvText, type CsvCell } from '../shared/csv.js';
import { lineRateBps, lineUnits, unitPriceMoney } from './invoice-lines.js';

/**
 * The columns of the month's accounting export, in order. Every row is self-contained (an accounting import
 * reads rows, not documents): the invoice's identity, dates, customer and bill-to, the line, and the
 * invoice's totals repeated on each of its rows. The README describes each column.
 */
export const accountingCsvColumns = [
  'export_month', 'invoice_number', 'invoice_id', 'invoice_date', 'finalized_at', 'status', 'paid_at', 'voided_at', 'void_reason',
  'customer_id', 'customer_name', 'bill_to_kind', 'bill_to_partner_id', 'bill_to_name', 'currency',
  'line_no', 'line_kind', 'line_month', 'description', 'model', 'token_kind', 'channel_id', 'partner_id', 'agreement_id',
  'quantity', 'quantity_unit', 'unit_price', 'unit_price_per', 'rate_bps', 'line_amount',
  'invoice_subtotal', 'tax_rate_bps', 'invoice_tax', 'invoice_total', 'invoice_credits', 'invoice_due',
] as const;

/** The statuses an accounting export holds: issued invoices (a void one stays, marked, so its number is accounted for). */
export const exportedStatuses: readonly InvoiceAnswer['status'][] = ['final', 'paid', 'void'];

const money = (micros: number | null): string | null => (micros === null ? null : formatMicros(micros));

/**
 * The accounting export of `month`: one CSV (RFC 4180, CRLF) with a row per invoice line, invoices in
 * number order. An invoice without lines still gets one row (`line_no` 0, empty line columns), so every
 * issued number appears and the numbers can be checked for gaps. A void invoice keeps its amounts with
 * `status` void, `voided_at` and `void_reason`: the import reverses it rather than losing it. Amounts are
 * exact decimal strings of the micro-units. The caller passes the month's final, paid and void invoices;
 * a draft (no number, nothing issued) or an invoice of another month is a caller's mistake and throws.
 */
export function accountingCsv(month: string, invoices: readonly InvoiceAnswer[]): string {
  const wrong = invoices.find((i) => i.month !== month || !exportedStatuses.includes(i.status) || i.number === null || i.finalizedAt === null);
  if (wrong) throw new RangeError(`the accounting export of ${month} takes that month's final, paid and void invoices; got ${wrong.id} (${wrong.status}, ${wrong.month})`);
  const ordered = [...invoices].sort((a, b) => (a.number! < b.number! ? -1 : a.number! > b.number! ? 1 : 0));
  return csvText(accountingCsvColumns, ordered.flatMap((invoice) => invoiceRows(month, invoice)));
}

/** One invoice's rows: its identity and totals around each of its lines (or around no line). */
function invoiceRows(month: string, i: InvoiceAnswer): CsvCell[][] {
  const head: CsvCell[] = [
    month, i.number, i.id, i.finalizedAt!.slice(0, 10), i.finalizedAt, i.status, i.paidAt, i.voidedAt, i.voidReason,
    i.customerId, i.customerName, i.billTo.kind, i.billTo.partnerId, i.billTo.name, i.currency,
  ];
  const totals: CsvCell[] = [money(i.subtotalMicros), i.taxRateBps, money(i.taxMicros), money(i.totalMicros), money(i.creditsMicros), money(i.dueMicros)];
  if (i.lines.length === 0) return [[...head, 0, ...Array<CsvCell>(14).fill(null), ...totals]];
  return i.lines.map((l, n) => {
    const price = unitPriceMoney(l);
    return [
      ...head, n + 1, l.kind, l.month, l.description, l.model, l.tokenKind, l.channelId, l.partnerId, l.agreementId,
      l.quantity, lineUnits[l.kind].quantity, money(price), price === null ? null : lineUnits[l.kind].unitPrice, lineRateBps(l), money(l.amountMicros),
      ...totals,
    ];
  });
}
