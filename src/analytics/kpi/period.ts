/**
 * How much of a month has happened at a given instant, and which KPIs are valid for a month that has not
 * ended. A running month is never comparable with complete ones as if it were complete:
 *
 * - averages over days use the days elapsed so far (today counts: the ledger already holds today's calls),
 *   so average DAU on the 2nd is customer-days ÷ 2, not ÷ 30;
 * - churn, net revenue retention and what is built on them (LTV, LTV/CAC, payback) and ARPA are not
 *   computed: a customer who has not called yet by the 2nd has not churned, and a partial month's revenue
 *   is not a month's revenue;
 * - counts (active customers, tokens, signups) are month-to-date, and ratios of two month-to-date
 *   quantities (gross margin, cost per 1M tokens, CAC, signup shares) stay valid.
 */
import { addMonths, daysInMonth, requireMonth } from './grouping.js';

/** A month seen from an instant. */
export interface MonthPeriod {
  readonly month: string;
  /** True once the month has ended (the instant is at or after the first moment of the next month). */
  readonly complete: boolean;
  /** Calendar days of the month elapsed so far, today included: 0 before it starts, its length once complete. */
  readonly elapsedDays: number;
  /** Calendar days in the month. */
  readonly daysInMonth: number;
}

const monthStartMs = (month: string): number => Date.parse(`${month}-01T00:00:00Z`);

/**
 * Where `now` stands in `month` (UTC).
 * @throws KpiInputError on a malformed month
 */
export function monthPeriod(month: string, now: Date): MonthPeriod {
  requireMonth(month, 'month');
  const days = daysInMonth(month);
  const t = now.getTime();
  if (t >= monthStartMs(addMonths(month, 1))) return { month, complete: true, elapsedDays: days, daysInMonth: days };
  if (t < monthStartMs(month)) return { month, complete: false, elapsedDays: 0, daysInMonth: days };
  return { month, complete: false, elapsedDays: now.getUTCDate(), daysInMonth: days };
}

/** The last month that has ended at `now`, 'YYYY-MM'. */
export function lastCompleteMonth(now: Date): string {
  return addMonths(now.toISOString().slice(0, 7), -1);
}

/** Average daily active customers over the elapsed days of the period; null before it starts. */
export function averageDailyActive(customerDays: number, period: MonthPeriod): number | null {
  return period.elapsedDays === 0 ? null : customerDays / period.elapsedDays;
}
