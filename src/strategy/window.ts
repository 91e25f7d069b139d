import { QudaoError } from '../errors/index.js';

/** A half-open time window `[from, to)` over which ledger revenue, spend and touchpoints are read. */
export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

const DAY_MS = 86_400_000;

/** Days in the default window: one year, so window revenue compares with annual TAM/SAM/SOM. */
export const DEFAULT_WINDOW_DAYS = 365;

/**
 * The window of a request: `to` defaults to now, `from` to `to` − 365 days. An empty or inverted window is
 * QD_INVALID_REQUEST.
 */
export function resolveWindow(q: { from?: string | undefined; to?: string | undefined }, now = new Date()): TimeWindow {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_WINDOW_DAYS * DAY_MS);
  if (!(from.getTime() < to.getTime())) throw new QudaoError('QD_INVALID_REQUEST', 'from: must be before to', { param: 'from' });
  return { from, to };
}

/** The window as SQL parameters `[from, to]` (ISO strings). */
export function windowParams(w: TimeWindow): [string, string] {
  return [w.from.toISOString(), w.to.toISOString()];
}

/** Length of the window in (fractional) 30.4375-day months, for per-month averages. */
export function windowMonths(w: TimeWindow): number {
  return (w.to.getTime() - w.from.getTime()) / (30.4375 * DAY_MS);
}
