/**
 * Pure helpers of the Billing page: which months may be finalised, how an invoice line is worded from its
 * kind and fields, the billed-revenue answer pivoted into chart series, and amounts a person types.
 * No React and no fetch here, so each rule is tested on its own (billing.test.ts).
 */
import type { InvoiceAnswer, InvoiceLine } from '../../src/shared/contract/billing.js';
import { monthEnd, monthOf, type Month } from '../../src/shared/month.js';
import type { MessageKey } from './i18n/en.js';

/** The UTC month of `now`: the one still running. */
export function runningMonth(now: Date = new Date()): Month {
  return monthOf(now);
}

/** True once `month` has ended (UTC): only then may its invoices be finalised (the server decides). */
export function monthHasEnded(month: Month, now: Date = new Date()): boolean {
  return monthEnd(month).getTime() <= now.getTime();
}

/** A message and its placeholders, translated by the component that shows it. */
export interface Wording {
  key: MessageKey;
  vars?: Readonly<Record<string, string | number>>;
}

/** How a line's quantity is counted, by kind (see `invoiceLineSchema.quantity`). */
const quantityUnit: Readonly<Record<InvoiceLine['kind'], MessageKey>> = {
  fee: 'billing.qty.days',
  usage: 'billing.qty.tokens',
  included: 'billing.qty.tokens',
  rounding: 'billing.qty.requests',
  adjustment: 'billing.qty.requests',
  discount: 'billing.qty.none',
};

/** The quantity of a line with its unit ("1,200 tokens", "31 days" for a fee's seconds). */
export function lineQuantity(line: InvoiceLine, formatNumber: (n: number, digits?: number) => string): Wording {
  // A fee's quantity is the seconds of the month its period covers: people read days.
  const n = line.kind === 'fee' ? formatNumber(line.quantity / 86_400, 2) : formatNumber(line.quantity);
  return { key: quantityUnit[line.kind], vars: { n } };
}

/**
 * The line's description in the reader's language, worded from its kind and fields (the server's
 * `description` is English): a usage line names its model and token kind, a fee its period, an
 * adjustment the month its late usage belongs to, a discount its rate.
 */
export function lineWording(line: InvoiceLine, tokenKind: (kind: string) => string, formatNumber: (n: number, digits?: number) => string): Wording {
  switch (line.kind) {
    case 'usage':
      return { key: 'billing.line.usage', vars: { model: line.model ?? '—', tokens: line.tokenKind ? tokenKind(line.tokenKind) : '—' } };
    case 'included':
      return { key: 'billing.line.included', vars: { model: line.model ?? '—' } };
    case 'rounding':
      return { key: 'billing.line.rounding' };
    case 'fee':
      return { key: 'billing.line.fee', vars: { from: line.periodStart?.slice(0, 10) ?? '—', to: line.periodEnd?.slice(0, 10) ?? '—' } };
    case 'discount':
      return { key: 'billing.line.discount', vars: { rate: line.unitPriceMicros === null ? '—' : `${formatNumber(line.unitPriceMicros / 100, 2)}%` } };
    case 'adjustment':
      return { key: 'billing.line.adjustment', vars: { month: line.month } };
  }
}

/** What a line's unit price means, by kind: per 1M tokens, the month's fee, or a rate in basis points. */
export type UnitPrice = { kind: 'money'; micros: number; per: MessageKey | null } | { kind: 'rate'; bps: number } | { kind: 'none' };

/** The unit price of a line as the page shows it. */
export function lineUnitPrice(line: InvoiceLine): UnitPrice {
  if (line.unitPriceMicros === null) return { kind: 'none' };
  if (line.kind === 'discount') return { kind: 'rate', bps: line.unitPriceMicros };
  return { kind: 'money', micros: line.unitPriceMicros, per: line.kind === 'usage' || line.kind === 'included' ? 'billing.perMillion' : line.kind === 'fee' ? 'billing.perMonth' : null };
}

/** The number an invoice shows in lists: its number once final, else the word for a draft. */
export function invoiceLabel(invoice: Pick<InvoiceAnswer, 'number'>, draftWord: string): string {
  return invoice.number ?? draftWord;
}

/** What the page may do with an invoice, by status: finalise a draft, pay or void a final one. */
export function invoiceActions(status: InvoiceAnswer['status']): { finalize: boolean; pay: boolean; void: boolean } {
  return { finalize: status === 'draft', pay: status === 'final', void: status === 'final' };
}

/** One billed-revenue row: a month, who it is grouped by, and the subtotal. */
export interface RevenueRow {
  month: Month;
  key: string | null;
  name: string;
  subtotalMicros: number;
}

/** Stacked-bar series: a value (currency units) per month for each channel or partner, largest total first. */
export interface RevenueSeries {
  months: readonly Month[];
  series: { key: string | null; name: string; values: number[]; totalMicros: number }[];
}

/**
 * Pivots billed revenue by month into one series per group (channel or partner), in currency units for the
 * chart and the exact integer total for the table beside it. Months without a row read 0.
 */
export function revenueSeries(months: readonly Month[], rows: readonly RevenueRow[]): RevenueSeries {
  const index = new Map(months.map((m, i) => [m, i]));
  const groups = new Map<string, RevenueSeries['series'][number]>();
  for (const row of rows) {
    const i = index.get(row.month);
    if (i === undefined) continue;
    const id = row.key ?? '';
    let group = groups.get(id);
    if (!group) {
      group = { key: row.key, name: row.name, values: months.map(() => 0), totalMicros: 0 };
      groups.set(id, group);
    }
    group.values[i] = (group.values[i] ?? 0) + row.subtotalMicros / 1_000_000;
    group.totalMicros += row.subtotalMicros;
  }
  return { months, series: [...groups.values()].sort((a, b) => b.totalMicros - a.totalMicros || a.name.localeCompare(b.name)) };
}
