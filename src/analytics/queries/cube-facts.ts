import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../store/index.js';
import { cubeSelect, ledgerCustomerMonths } from '../rollups/cube.js';
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

function relation(source: CubeSource, range: MonthRange): SQL {
  const from = monthStart(range.from);
  const to = monthStart(range.to);
  if (source === 'rollups') return sql`SELECT * FROM kpi_monthly WHERE month BETWEEN ${from}::date AND ${to}::date`;
  return cubeSelect(ledgerCustomerMonths(from, to), from, to);
}

/** Reads the cube facts of a month range in one query. */
export async function loadCubeFacts(db: Database, range: MonthRange, source: CubeSource): Promise<CubeFacts> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    WITH k AS MATERIALIZED (${relation(source, range)})
    SELECT 'm' AS kind, to_char(month, 'YYYY-MM') AS month, NULL AS channel_id, NULL AS partner_id, NULL AS campaign_id,
           sum(active_customers) AS active, sum(active_days) AS active_days, sum(retained_customers) AS retained,
           sum(prev_active_customers) AS prev_active, sum(requests) AS requests, sum(tokens) AS tokens,
           sum(cost_micros) AS cost, sum(price_micros) AS revenue,
           coalesce(sum(price_micros) FILTER (WHERE partner_id <> ''), 0) + coalesce(sum(partner_price_micros) FILTER (WHERE partner_id = ''), 0) AS influenced,
           sum(retained_price_micros) AS retained_revenue, sum(prev_price_micros) AS prev_revenue,
           count(DISTINCT segment_id) FILTER (WHERE active_customers > 0) AS segments,
           count(DISTINCT region) FILTER (WHERE active_customers > 0) AS regions
      FROM k GROUP BY 2
    UNION ALL
    SELECT 'p', to_char(month, 'YYYY-MM'), channel_id, partner_id, campaign_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           sum(price_micros), NULL, NULL, NULL, NULL, NULL
      FROM k WHERE partner_id <> '' GROUP BY 2, 3, 4, 5
    ORDER BY 1, 2, 3, 4, 5`);
  const months = rows.filter((r) => r.kind === 'm').map((r): CubeMonth => ({
    month: String(r.month), activeCustomers: num(r.active), activeDays: num(r.active_days), retainedCustomers: num(r.retained),
    prevActiveCustomers: num(r.prev_active), requests: num(r.requests), tokens: num(r.tokens), costMicros: num(r.cost),
    revenueMicros: num(r.revenue), partnerInfluencedMicros: num(r.influenced), retainedRevenueMicros: num(r.retained_revenue),
    prevRevenueMicros: num(r.prev_revenue), segmentsReached: num(r.segments), regionsReached: num(r.regions),
  }));
  const partnerRevenue = rows.filter((r) => r.kind === 'p').map((r) => ({ month: r.month, channel_id: r.channel_id, partner_id: r.partner_id, campaign_id: r.campaign_id, revenue: r.revenue }));
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
  const [row] = await selectRows<{ last: string | null }>(db, sql`SELECT to_char(max(month), 'YYYY-MM') AS last FROM kpi_monthly`);
  return row?.last ?? undefined;
}
