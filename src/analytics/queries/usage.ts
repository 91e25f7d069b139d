import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../store/index.js';
import { addMonths, NO_KEY, type SpendRow, type UsageEventRow } from '../kpi/index.js';
import { monthStart, type GroupBy, type MonthRange } from './range.js';
import { idOrNull, num, selectRows } from './rows.js';

/*
 * Usage for the per-group KPI formulas, read from the `usage_daily` rollup (never the ledger). Rows of
 * unknown customers are left out: a KPI is about customers.
 */

/** The range widened by one month back: churn and month-on-month NRR need the month before. */
const widened = (range: MonthRange) => ({ from: monthStart(addMonths(range.from, -1)), to: monthStart(range.to) });

/**
 * Usage per month × customer × channel × partner × campaign (each row dated on the 1st of its month):
 * enough for every KPI but DAU/MAU, and far fewer rows than per day. A cell with no request (only
 * guardrail lines: their cost) is left out, since the formulas read any row as activity.
 */
export async function loadMonthlyUsage(db: Database, range: MonthRange): Promise<UsageEventRow[]> {
  const w = widened(range);
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT to_char(date_trunc('month', u.day), 'YYYY-MM-DD') AS day, u.customer_id, u.channel_id, u.partner_id, u.campaign_id,
           sum(u.prompt_tokens + u.completion_tokens)::bigint AS tokens, sum(u.price_micros)::bigint AS price, sum(u.cost_micros)::bigint AS cost
      FROM usage_daily u JOIN customers c ON c.id = u.customer_id
     WHERE u.day >= ${w.from}::date AND u.day < (${w.to}::date + interval '1 month')::date
     GROUP BY 1, 2, 3, 4, 5 HAVING sum(u.requests) > 0 ORDER BY 1, 2, 3, 4, 5`);
  return rows.map(toUsageRow);
}

function toUsageRow(r: Record<string, unknown>): UsageEventRow {
  return {
    customerId: String(r.customer_id), channelId: idOrNull(r.channel_id) ?? NO_KEY, partnerId: idOrNull(r.partner_id), campaignId: idOrNull(r.campaign_id),
    day: String(r.day), tokens: num(r.tokens), revenueMicros: num(r.price), costMicros: num(r.cost),
  };
}

/** Revenue share (basis points) by `month|partner`, from {@link loadRevenueShares}. */
export type RevenueShares = ReadonlyMap<string, number>;

/**
 * Partner payouts as spend rows: for each month and acquisition cell of the KPI cube with a partner, the
 * revenue of the customers the partner brought × the revenue share of the partner's agreement in force,
 * rounded to micro-units per cell. (An estimate from agreements; final statements may add adjustments.)
 */
export async function loadPartnerPayouts(db: Database, range: MonthRange, shares: RevenueShares): Promise<SpendRow[]> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT to_char(month, 'YYYY-MM') AS month, channel_id, partner_id, campaign_id, price_micros AS revenue
      FROM kpi_partner_months
     WHERE month BETWEEN ${monthStart(range.from)}::date AND ${monthStart(range.to)}::date
     ORDER BY 1, 2, 3, 4`);
  return payoutRows(rows, shares);
}

/** Turns per-cell partner revenue into payout spend rows (shared by the overview and the detail reports). */
export function payoutRows(rows: readonly Record<string, unknown>[], shares: RevenueShares): SpendRow[] {
  const out: SpendRow[] = [];
  for (const r of rows) {
    const bps = shares.get(`${String(r.month)}|${String(r.partner_id)}`) ?? 0;
    const amount = Math.round((num(r.revenue) * bps) / 10_000);
    if (amount > 0) {
      out.push({ month: String(r.month), channelId: idOrNull(r.channel_id) ?? NO_KEY, partnerId: String(r.partner_id), campaignId: idOrNull(r.campaign_id), kind: 'partnerPayout', amountMicros: amount });
    }
  }
  return out;
}

/** SQL of a usage row's group key (the KPI formulas' `usageKey`): its own channel, partner, campaign; segment and region from its customer. */
const usageKeySql: Record<GroupBy, SQL> = {
  all: sql`'all'`,
  channel: sql`coalesce(nullif(u.channel_id, ''), ${NO_KEY})`,
  partner: sql`coalesce(nullif(u.partner_id, ''), ${NO_KEY})`,
  campaign: sql`coalesce(nullif(u.campaign_id, ''), ${NO_KEY})`,
  segment: sql`coalesce(nullif(c.segment_id, ''), ${NO_KEY})`,
  region: sql`coalesce(nullif(c.region, ''), ${NO_KEY})`,
};

/** Distinct active customer-days and customers per month and group, counted in the database from `usage_daily`. */
export interface ActivityCount {
  readonly month: string;
  readonly key: string;
  readonly customerDays: number;
  readonly customers: number;
}

/**
 * What DAU/MAU needs per month and group — distinct customer-days and distinct customers — counted by
 * PostgreSQL instead of shipping every customer-day to the formulas.
 */
export async function loadActivityCounts(db: Database, range: MonthRange, by: GroupBy): Promise<ActivityCount[]> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT to_char(u.day, 'YYYY-MM') AS month, ${usageKeySql[by]} AS key,
           count(DISTINCT (u.day, u.customer_id)) AS days, count(DISTINCT u.customer_id) AS customers
      FROM usage_daily u JOIN customers c ON c.id = u.customer_id
     WHERE u.day >= ${monthStart(range.from)}::date AND u.day < (${monthStart(range.to)}::date + interval '1 month')::date
       AND u.requests > 0
     GROUP BY 1, 2`);
  return rows.map((r) => ({ month: String(r.month), key: String(r.key), customerDays: num(r.days), customers: num(r.customers) }));
}
