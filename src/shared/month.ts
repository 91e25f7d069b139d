/**
 * Calendar months in UTC, pure (the dashboard may import this folder). Used by statements, scorecards,
 * analytics and billing.
 */

/** A calendar month in UTC, written `YYYY-MM`. Statements and scorecards are per month. */
export type Month = string;

/** `YYYY-MM`, month 01–12: the one pattern of a month (the contract's `month` schema uses it too). */
export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** True when `value` is a month written `YYYY-MM`. (Input from a client is checked by its route's schema.) */
export function isMonth(value: unknown): value is Month {
  return typeof value === 'string' && MONTH_PATTERN.test(value);
}

/** The first instant of `month` (UTC). */
export function monthStart(month: Month): Date {
  const m = MONTH_PATTERN.exec(month);
  if (!m) throw new RangeError(`not a month YYYY-MM: ${JSON.stringify(month)}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
}

/** The first instant after `month` (UTC), i.e. the exclusive end of its range. */
export function monthEnd(month: Month): Date {
  return monthStart(addMonths(month, 1));
}

/** The month `n` months after (or before, for negative `n`) `month`. */
export function addMonths(month: Month, n: number): Month {
  const start = monthStart(month);
  const d = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + n, 1));
  return monthOf(d);
}

/** The UTC month an instant falls in. */
export function monthOf(at: Date): Month {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
}
