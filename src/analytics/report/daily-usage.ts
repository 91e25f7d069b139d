import { sql } from 'drizzle-orm';
import { QudaoError } from '../../errors/index.js';
import type { Database } from '../../store/index.js';
import { num, selectRows } from '../queries/rows.js';

/** An inclusive range of UTC days, 'YYYY-MM-DD'. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/** Usage of one UTC day (or of a whole range, in the totals). */
export interface UsageTotals {
  readonly requests: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly costMicros: number;
  readonly priceMicros: number;
}

/** `GET /api/analytics/usage`: usage per UTC day of the range from the `usage_daily` rollup, days without usage included. */
export interface DailyUsageReport {
  readonly range: DayRange;
  /** Only this customer's usage, when asked. */
  readonly customerId: string | null;
  readonly days: (UsageTotals & { day: string })[];
  /** Sums over the range (the same rows as `days`). */
  readonly totals: UsageTotals;
}

/** What may be asked: a day range (default the 30 days that end today) and a customer. */
export interface DailyUsageQuery {
  readonly from?: string;
  readonly to?: string;
  readonly customerId?: string;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DAY_MS = 86_400_000;
/** The longest range one answer covers: two years of days, a few hundred rows. */
export const MAX_USAGE_DAYS = 731;

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Resolves a day range against the clock: `to` defaults to today (UTC), `from` to 29 days before `to`.
 * @throws QudaoError `QD_INVALID_REQUEST` on a malformed day, `from` after `to`, or more than {@link MAX_USAGE_DAYS} days
 */
export function resolveDayRange(query: { from?: string; to?: string }, now: Date): DayRange {
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && (!DAY.test(value) || dayOf(Date.parse(`${value}T00:00:00Z`)) !== value)) {
      throw new QudaoError('QD_INVALID_REQUEST', `${name} must be a day 'YYYY-MM-DD' (got "${value}")`, { param: name });
    }
  }
  const to = query.to ?? dayOf(now.getTime());
  const from = query.from ?? dayOf(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS);
  if (from > to) throw new QudaoError('QD_INVALID_REQUEST', `from (${from}) is after to (${to})`, { param: 'from' });
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (days > MAX_USAGE_DAYS) throw new QudaoError('QD_INVALID_REQUEST', `the range spans ${days} days; ask for at most ${MAX_USAGE_DAYS}`, { param: 'from' });
  return { from, to };
}

const zero: UsageTotals = { requests: 0, promptTokens: 0, completionTokens: 0, costMicros: 0, priceMicros: 0 };

function add(a: UsageTotals, b: UsageTotals): UsageTotals {
  return { requests: a.requests + b.requests, promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, costMicros: a.costMicros + b.costMicros, priceMicros: a.priceMicros + b.priceMicros };
}

/** Usage per day of the range (every day present, zeros where nothing was called) and its totals. */
export async function dailyUsageReport(db: Database, range: DayRange, customerId: string | null): Promise<DailyUsageReport> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(requests) AS requests, sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens,
           sum(cost_micros) AS cost_micros, sum(price_micros) AS price_micros
      FROM usage_daily
     WHERE day BETWEEN ${range.from}::date AND ${range.to}::date ${customerId === null ? sql`` : sql`AND customer_id = ${customerId}`}
     GROUP BY 1`);
  const byDay = new Map(rows.map((r) => [String(r.day), {
    requests: num(r.requests), promptTokens: num(r.prompt_tokens), completionTokens: num(r.completion_tokens), costMicros: num(r.cost_micros), priceMicros: num(r.price_micros),
  }]));
  const days: (UsageTotals & { day: string })[] = [];
  for (let t = Date.parse(`${range.from}T00:00:00Z`); dayOf(t) <= range.to; t += DAY_MS) days.push({ day: dayOf(t), ...(byDay.get(dayOf(t)) ?? zero) });
  return { range, customerId, days, totals: days.reduce<UsageTotals>(add, zero) };
}
