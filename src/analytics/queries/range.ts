import { QudaoError } from '../../errors/index.js';
import { addMonths, type KpiDimension } from '../kpi/index.js';

/** An inclusive range of UTC months, 'YYYY-MM'. */
export interface MonthRange {
  readonly from: string;
  readonly to: string;
}

/** The groupings the analytics API offers. */
export const GROUP_BYS = ['all', 'channel', 'partner', 'segment', 'campaign', 'region'] as const satisfies readonly KpiDimension[];

/** One of {@link GROUP_BYS}. */
export type GroupBy = (typeof GROUP_BYS)[number];

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** First day of a 'YYYY-MM' month as a SQL date literal value. */
export const monthStart = (month: string): string => `${month}-01`;

/** 'YYYY-MM' of a date value read from the database ('YYYY-MM-DD' text or a Date). */
export function monthOf(value: string | Date): string {
  return (typeof value === 'string' ? value : value.toISOString()).slice(0, 7);
}

/**
 * Resolves a requested range: missing ends default to the 12 months that end with the last month holding
 * data (`lastMonth`, or the current UTC month when there is none).
 * @throws QudaoError `QD_INVALID_REQUEST` on a malformed month or `from` after `to`
 */
export function resolveRange(requested: { from?: string; to?: string }, lastMonth: string | undefined): MonthRange {
  for (const [name, value] of Object.entries(requested)) {
    if (value !== undefined && !MONTH.test(value)) throw new QudaoError('QD_INVALID_REQUEST', `${name} must be a month 'YYYY-MM' (got "${value}")`, { param: name });
  }
  const to = requested.to ?? lastMonth ?? new Date().toISOString().slice(0, 7);
  const from = requested.from ?? addMonths(to, -11);
  if (from > to) throw new QudaoError('QD_INVALID_REQUEST', `from (${from}) is after to (${to})`, { param: 'from' });
  return { from, to };
}

/**
 * Validates a `groupBy` value.
 * @throws QudaoError `QD_INVALID_REQUEST` naming the allowed values
 */
export function parseGroupBy(value: string | undefined): GroupBy {
  if (value === undefined) return 'all';
  if ((GROUP_BYS as readonly string[]).includes(value)) return value as GroupBy;
  throw new QudaoError('QD_INVALID_REQUEST', `groupBy must be one of ${GROUP_BYS.join(', ')} (got "${value}")`, { param: 'groupBy' });
}
