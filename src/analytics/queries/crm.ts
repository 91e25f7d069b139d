import { sql } from 'drizzle-orm';
import type { Database } from '../../store/index.js';
import { NO_KEY, type CustomerRow, type ReachRow, type SegmentSomRow, type SpendRow } from '../kpi/index.js';
import { monthStart, type MonthRange } from './range.js';
import { idOrNull, num, selectRows } from './rows.js';

/*
 * The CRM side of the KPIs — customers, spend, touchpoints, segments, agreements — read into the plain rows
 * of src/analytics/kpi. These tables are small next to the ledger (thousands of rows), so they are read
 * directly; only usage goes through the rollups.
 */

/** End (exclusive) of a month range as a SQL timestamptz. */
const endOf = (range: MonthRange) => sql`(${monthStart(range.to)}::date + interval '1 month') AT TIME ZONE 'UTC'`;
const startOf = (range: MonthRange) => sql`(${monthStart(range.from)}::date) AT TIME ZONE 'UTC'`;

/**
 * Every customer with its acquisition attributes (reports filter by month afterwards). A customer is
 * `referred` when a partner or a referral channel brought it, else `direct` (campaigns included: a
 * customer who answered our own marketing came on its own).
 */
export async function loadCustomers(db: Database): Promise<CustomerRow[]> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT c.id, to_char(c.acquired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, c.acquired_channel_id, c.acquired_partner_id,
           c.acquired_campaign_id, c.segment_id, c.region,
           (c.acquired_partner_id IS NOT NULL OR ch.type = 'referral') AS referred
      FROM customers c LEFT JOIN channels ch ON ch.id = c.acquired_channel_id
     ORDER BY c.id`);
  return rows.map((r) => ({
    customerId: String(r.id),
    acquiredAt: String(r.day),
    channelId: idOrNull(r.acquired_channel_id) ?? NO_KEY,
    partnerId: idOrNull(r.acquired_partner_id),
    campaignId: idOrNull(r.acquired_campaign_id),
    segmentId: idOrNull(r.segment_id) ?? NO_KEY,
    region: idOrNull(r.region) ?? NO_KEY,
    signupSource: r.referred === true ? 'referred' : 'direct',
  }));
}

/**
 * SQL of the channel a spend or reach row belongs to: the channel its partner owns, else the channel most
 * customers of its campaign were acquired through, else none.
 */
const ownerChannels = sql`
  partner_channel AS (SELECT DISTINCT ON (owner_partner_id) owner_partner_id AS partner_id, id AS channel_id
                        FROM channels WHERE owner_partner_id IS NOT NULL ORDER BY owner_partner_id, id),
  campaign_channel AS (SELECT DISTINCT ON (acquired_campaign_id) acquired_campaign_id AS campaign_id, acquired_channel_id AS channel_id
                         FROM customers WHERE acquired_campaign_id IS NOT NULL AND acquired_channel_id IS NOT NULL
                         GROUP BY 1, 2 ORDER BY acquired_campaign_id, count(*) DESC, acquired_channel_id)`;

/** Promotion spend in the range by month × channel × partner × campaign (kind `media`). */
export async function loadSpend(db: Database, range: MonthRange): Promise<SpendRow[]> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    WITH ${ownerChannels}
    SELECT to_char(s.spent_on AT TIME ZONE 'UTC', 'YYYY-MM') AS month, coalesce(pc.channel_id, cc.channel_id) AS channel_id,
           s.partner_id, s.campaign_id, sum(s.amount_micros)::bigint AS amount
      FROM spend s
      LEFT JOIN partner_channel pc ON pc.partner_id = s.partner_id
      LEFT JOIN campaign_channel cc ON cc.campaign_id = s.campaign_id
     WHERE s.spent_on >= ${startOf(range)} AND s.spent_on < ${endOf(range)}
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  return rows.map((r) => ({
    month: String(r.month), channelId: idOrNull(r.channel_id) ?? NO_KEY, partnerId: idOrNull(r.partner_id), campaignId: idOrNull(r.campaign_id),
    kind: 'media', amountMicros: num(r.amount),
  }));
}

/**
 * Brand reach in the range: touchpoints by month × channel × partner (of the tracked link) × campaign;
 * impressions are touchpoints, unique visitors are distinct visitor ids within each row.
 */
export async function loadReach(db: Database, range: MonthRange): Promise<ReachRow[]> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    WITH ${ownerChannels}
    SELECT to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, coalesce(pc.channel_id, cc.channel_id) AS channel_id,
           l.partner_id, coalesce(t.campaign_id, l.campaign_id) AS campaign_id,
           count(*)::bigint AS impressions, count(DISTINCT t.visitor_id)::bigint AS visitors
      FROM touchpoints t
      LEFT JOIN links l ON l.id = t.link_id
      LEFT JOIN partner_channel pc ON pc.partner_id = l.partner_id
      LEFT JOIN campaign_channel cc ON cc.campaign_id = coalesce(t.campaign_id, l.campaign_id)
     WHERE t.occurred_at >= ${startOf(range)} AND t.occurred_at < ${endOf(range)}
     GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
  return rows.map((r) => ({
    month: String(r.month), channelId: idOrNull(r.channel_id) ?? NO_KEY, partnerId: idOrNull(r.partner_id), campaignId: idOrNull(r.campaign_id),
    impressions: num(r.impressions), uniqueVisitors: num(r.visitors),
  }));
}

/** SOM in accounts per segment: accounts × serviceable share × adoption rate (bottom-up sizing). */
export async function loadSom(db: Database): Promise<SegmentSomRow[]> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT id, accounts * serviceable_share * adoption_rate AS som FROM segments ORDER BY id`);
  return rows.map((r) => ({ segmentId: String(r.id), somAccounts: num(r.som) }));
}

/** The revenue share (basis points) of each partner's agreement in force during each month of the range. */
export async function loadRevenueShares(db: Database, range: MonthRange): Promise<Map<string, number>> {
  const rows = await selectRows<Record<string, unknown>>(db, sql`
    SELECT to_char(m.month, 'YYYY-MM') AS month, a.partner_id, a.revenue_share_bps
      FROM generate_series(${monthStart(range.from)}::date, ${monthStart(range.to)}::date, interval '1 month') AS m(month)
      JOIN LATERAL (
        SELECT DISTINCT ON (partner_id) partner_id, revenue_share_bps FROM agreements
         WHERE starts_at < (m.month + interval '1 month') AT TIME ZONE 'UTC' AND (ends_at IS NULL OR ends_at > m.month AT TIME ZONE 'UTC')
           AND status <> 'ended'
         ORDER BY partner_id, starts_at DESC) a ON true`);
  return new Map(rows.map((r) => [`${String(r.month)}|${String(r.partner_id)}`, num(r.revenue_share_bps)]));
}
