import { QudaoError } from '../errors/index.js';

/** A calendar month in UTC, written `YYYY-MM`. Statements and scorecards are per month. */
export type Month = string;

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Checks `YYYY-MM` and returns it; QD_INVALID_REQUEST naming `param` otherwise. */
export function parseMonth(value: unknown, param = 'month'): Month {
  if (typeof value !== 'string' || !MONTH_RE.test(value)) {
    throw new QudaoError('QD_INVALID_REQUEST', `${param}: must be a month written YYYY-MM (got ${JSON.stringify(value)})`, { param });
  }
  return value;
}

/** The first instant of `month` (UTC). */
export function monthStart(month: Month): Date {
  const m = MONTH_RE.exec(month);
  if (!m) throw new QudaoError('QD_INVALID_REQUEST', `not a month: ${month}`);
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
