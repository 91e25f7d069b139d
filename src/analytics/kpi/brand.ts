/**
 * Brand (品牌塑造) per group and month: reach (impressions, unique visitors), the share of
 * signups that came direct versus referred (a brand that pulls customers in directly needs
 * fewer paid referrals), and partner-influenced revenue — revenue from calls made through a
 * partner or by customers a partner brought in.
 */
import {
  addMicros, byMonthThenKey, cellKey, customerKey, indexCustomers, monthOfDay, requireCount, requireMonth,
  splitCell, usageKey, validateUsage, channelAttributesKey,
} from './grouping.js';
import type { CustomerRow, KpiDimension, ReachRow, UsageEventRow } from './rows.js';

/** Reach of one group in one month. */
export interface ReachKpiRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  impressions: number;
  uniqueVisitors: number;
}

/** Signup sources of one acquisition group in one month. */
export interface SignupShareRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  signups: number;
  direct: number;
  referred: number;
  directShare: number;
  referredShare: number;
}

/** Partner-influenced revenue of one group in one month. */
export interface PartnerInfluenceRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  revenueMicros: number;
  partnerInfluencedRevenueMicros: number;
  /** partnerInfluenced / revenue; null when revenue is 0. */
  partnerInfluencedShare: number | null;
}

/**
 * Impressions and unique visitors per group and month (unique visitors are summed across rows,
 * so a visitor reached by two campaigns counts twice at channel level).
 * @throws KpiInputError on malformed rows or grouping by segment/region
 */
export function brandReach(reach: readonly ReachRow[], by: KpiDimension): ReachKpiRow[] {
  channelAttributesKey({ channelId: '', partnerId: null, campaignId: null }, by, 'reach');
  const cells = new Map<string, ReachKpiRow>();
  reach.forEach((r, i) => {
    requireMonth(r.month, `reach[${i}].month`);
    requireCount(r.impressions, `reach[${i}].impressions`);
    requireCount(r.uniqueVisitors, `reach[${i}].uniqueVisitors`);
    const cell = cellKey(channelAttributesKey(r, by, 'reach'), r.month);
    const row = cells.get(cell) ?? { dimension: by, ...splitCell(cell), impressions: 0, uniqueVisitors: 0 };
    row.impressions = addMicros(row.impressions, r.impressions);
    row.uniqueVisitors = addMicros(row.uniqueVisitors, r.uniqueVisitors);
    cells.set(cell, row);
  });
  return [...cells.values()].sort(byMonthThenKey);
}

/**
 * Direct versus referred signup share per acquisition group and month of acquisition.
 * @throws KpiInputError on malformed customer rows
 */
export function signupSourceShare(customers: readonly CustomerRow[], by: KpiDimension): SignupShareRow[] {
  indexCustomers(customers);
  const cells = new Map<string, { direct: number; referred: number }>();
  for (const c of customers) {
    const cell = cellKey(customerKey(c, by), monthOfDay(c.acquiredAt, 'acquiredAt'));
    const t = cells.get(cell) ?? { direct: 0, referred: 0 };
    t[c.signupSource] += 1;
    cells.set(cell, t);
  }
  return [...cells.entries()].map(([cell, t]): SignupShareRow => {
    const signups = t.direct + t.referred;
    return { dimension: by, ...splitCell(cell), signups, direct: t.direct, referred: t.referred, directShare: t.direct / signups, referredShare: t.referred / signups };
  }).sort(byMonthThenKey);
}

/**
 * Revenue influenced by partners per group and month: a usage row counts if it came through a
 * partner or its customer was acquired through one.
 * @throws KpiInputError on malformed rows or usage of unknown customers
 */
export function partnerInfluencedRevenue(customers: readonly CustomerRow[], usage: readonly UsageEventRow[], by: KpiDimension): PartnerInfluenceRow[] {
  const index = indexCustomers(customers);
  validateUsage(usage, index);
  const cells = new Map<string, { total: number; influenced: number }>();
  usage.forEach((u, i) => {
    const cell = cellKey(usageKey(u, by, index), monthOfDay(u.day, `usage[${i}].day`));
    const t = cells.get(cell) ?? { total: 0, influenced: 0 };
    const influenced = u.partnerId !== null || index.get(u.customerId)!.partnerId !== null;
    cells.set(cell, { total: addMicros(t.total, u.revenueMicros), influenced: influenced ? addMicros(t.influenced, u.revenueMicros) : t.influenced });
  });
  return [...cells.entries()].map(([cell, t]): PartnerInfluenceRow => ({
    dimension: by, ...splitCell(cell), revenueMicros: t.total, partnerInfluencedRevenueMicros: t.influenced,
    partnerInfluencedShare: t.total === 0 ? null : t.influenced / t.total,
  })).sort(byMonthThenKey);
}
