import type { InvoiceAnswer, InvoiceLine } from '../shared/contract/billing.js';

/**
 * What an invoice line's `quantity` and `unitPriceMicros` count, by line kind (src/shared/contract/billing.ts):
 * the one table the CSV, the accounting export and the PDF read, so the three say the same.
 */
export const lineUnits: Readonly<Record<InvoiceLine['kind'], { quantity: 'seconds' | 'tokens' | 'requests'; unitPrice: 'per_month' | 'per_1m_tokens' | 'bps' | null }>> = {
  fee: { quantity: 'seconds', unitPrice: 'per_month' },
  usage: { quantity: 'tokens', unitPrice: 'per_1m_tokens' },
  rounding: { quantity: 'requests', unitPrice: null },
  included: { quantity: 'tokens', unitPrice: null },
  discount: { quantity: 'requests', unitPrice: 'bps' },
  adjustment: { quantity: 'requests', unitPrice: null },
};

/** A line's unit price as money (micro-units), or null where it is none or a rate in basis points. */
export function unitPriceMoney(line: InvoiceLine): number | null {
  return lineUnits[line.kind].unitPrice === 'bps' ? null : line.unitPriceMicros;
}

/** A line's rate in basis points (a reseller discount), or null. */
export function lineRateBps(line: InvoiceLine): number | null {
  return lineUnits[line.kind].unitPrice === 'bps' ? line.unitPriceMicros : null;
}

/** The totals an invoice ends with, in order, each with its amount: what every output prints under the lines. */
export function invoiceTotals(invoice: InvoiceAnswer): readonly { kind: 'subtotal' | 'tax' | 'total' | 'credits' | 'due'; amountMicros: number }[] {
  return [
    { kind: 'subtotal', amountMicros: invoice.subtotalMicros },
    { kind: 'tax', amountMicros: invoice.taxMicros },
    { kind: 'total', amountMicros: invoice.totalMicros },
    { kind: 'credits', amountMicros: invoice.creditsMicros },
    { kind: 'due', amountMicros: invoice.dueMicros },
  ];
}
