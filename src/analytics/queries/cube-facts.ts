import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../store/index.js';
import { cubeSelect, ledgerCustomerMonths, partnerMonthsSelect, totalsColumns, totalsSelect } from '../rollups/cube.js';
import { monthStart, type MonthRange } from './range.js';
import { num, selectRows } from './rows.js';

/** Where the cube comes from: the maintained rollup, or computed on the fly from the raw ledger (reference). */
export type CubeSource = 'rollups' | 'ledger';

/** One month of the KPI cube summed over every cell. */
export interface CubeMonth {
  readonly month: string;
  readonly activeCustomers: number;
  readonly activeDays: number;
  readonly retainedCustomers: number;
  readonly prevActiveCustomers: number;
  readonly requests: number;
  readonly tokens: number;
  readonly costMicros: number;
  readonly revenueMicros: number;
  /** Revenue through a partner or from customers a partner brought. */
  readonly partnerInfluencedMicros: number;
  readonly retainedRevenueMicros: number;
  readonly prevRevenueMicros: number;
  readonly segmentsReached: number;
  readonly regionsReached: number;
}

/** What the overview reads from the cube: monthly sums and partner revenue per acquisition cell. */
export interface CubeFacts {
  readonly months: CubeMonth[];
  /** month, channel_id, partner_id, campaign_id, revenue — input of `payoutRows`. */
  readonly partnerRevenue: Record<string, unknown>[];
}

/** Month totals and partner months of the range: read from the rollups, or derived from a cube built from the ledger. */
function factsQuery(source: CubeSource, range: MonthRange): SQL {
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (source === 'rollups') {
    return sql`
      SELECT 'm' AS kind, t.*, NULL AS channel_id, NULL AS partner_id, NULL AS campaign_id FROM kpi_month_totals t WHERE month BETWEEN ${from}::date AND ${to}::date
      UNION ALL
      SELECT 'p', month, NULL, NULL, NULL, NULL, NULL, NULL, NULL, price_micros, NULL, NULL, NULL, NULL, NULL, channel_id, partner_id, campaign_id
        FROM kpi_partner_months WHERE month BETWEEN ${from}::date AND ${to}::date`;
  }
  const cube = sql`(SELECT * FROM k)`;
  return sql`
    WITH k AS MATERIALIZED (${cubeSelect(ledgerCustomerMonths(from, to), from, to)}),
    t (${totalsColumns}) AS (${totalsSelect(cube)}),
    p (month, channel_id, partner_id, campaign_id, price_micros) AS (${partnerMonthsSelect(cube)})
    SELECT 'm' AS kind, t.*, NULL AS channel_id, NULL AS partner_id, NULL AS campaign_id FROM t
    UNION ALL
    SELECT 'p', month, NULL, NULL, NULL, NULL, NULL, NULL, NULL, price_micros, NULL, NULL, NULL, NULL, NULL, channel_id, partner_id, campaign_id FROM p`;
}

/** Reads the cube facts of a month range in one query. */
export async function loadCubeFacts(db: Database, range: MonthRange, source: CubeSource): Promise<CubeFacts> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`SELECT kind, to_char(month, 'YYYY-MM') AS m, * FROM (${factsQuery(source, range)}) f ORDER BY 1, 2, channel_id, partner_id, campaign_id`);
  const months = rows.filter((r) => r.kind === 'm').map((r): CubeMonth => ({
    month: String(r.m), activeCustomers: num(r.active_customers), activeDays: num(r.active_days), retainedCustomers: num(r.retained_customers),
    prevActiveCustomers: num(r.prev_active_customers), requests: num(r.requests), tokens: num(r.tokens), costMicros: num(r.cost_micros),
    revenueMicros: num(r.price_micros), partnerInfluencedMicros: num(r.partner_influenced_micros), retainedRevenueMicros: num(r.retained_price_micros),
    prevRevenueMicros: num(r.prev_price_micros), segmentsReached: num(r.segments_reached), regionsReached: num(r.regions_reached),
  }));
  const partnerRevenue = rows.filter((r) => r.kind === 'p').map((r) => ({ month: r.m, channel_id: r.channel_id, partner_id: r.partner_id, campaign_id: r.campaign_id, revenue: r.price_micros }));
  return { months, partnerRevenue };
}

/** Signups per month of acquisition: all, referred (partner or referral channel) and direct. */
export async function loadSignups(db: Database, range: MonthRange): Promise<Map<string, { signups: number; referred: number }>> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT to_char(c.acquired_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*) AS signups,
           count(*) FILTER (WHERE c.acquired_partner_id IS NOT NULL OR ch.type = 'referral') AS referred
      FROM customers c LEFT JOIN channels ch ON ch.id = c.acquired_channel_id
     WHERE c.acquired_at >= ${monthStart(range.from)}::date AT TIME ZONE 'UTC'
       AND c.acquired_at < (${monthStart(range.to)}::date + interval '1 month') AT TIME ZONE 'UTC'
     GROUP BY 1`);
  return new Map(rows.map((r) => [String(r.month), { signups: num(r.signups), referred: num(r.referred) }]));
}

/** The last month the cube holds, 'YYYY-MM', or undefined when it is empty. */
export async function lastCubeMonth(db: Database): Promise<string | undefined> {
  const [row] = await selectRows<{ last: string | null }>(db, sql`SELECT to_char(max(month), 'YYYY-MM') AS last FROM kpi_month_totals`);
  return row?.last ?? undefined;
}
