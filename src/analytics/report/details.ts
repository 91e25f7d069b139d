import type { Database } from '../../store/index.js';
import {
  acquisitionCost, addMonths, averageDailyActive, brandReach, churnRate, cohortRetention, marketCoverage, monthPeriod, netRevenueRetention, partnerInfluencedRevenue,
  servingCost, signupSourceShare, unitEconomics,
  type AcquisitionCostRow, type ChurnRow, type CohortRow, type CoverageRow, type EngagementRow, type NetRevenueRetentionRow,
  type PartnerInfluenceRow, type ReachKpiRow, type ServingCostRow, type SignupShareRow, type UnitEconomicsRow,
} from '../kpi/index.js';
import { loadCustomers, loadReach, loadRevenueShares, loadSom, loadSpend } from '../queries/crm.js';
import type { GroupBy, MonthRange } from '../queries/range.js';
import { loadActivityCounts, loadMonthlyUsage, loadPartnerPayouts, type ActivityCount } from '../queries/usage.js';

/*
 * The per-group KPI reports: the store reads plain rows from the rollups and the CRM tables, and the pure
 * formulas of src/analytics/kpi compute every figure. Usage is read per month from `usage_daily`, never from
 * the ledger; for DAU/MAU the database counts distinct customer-days and customers and the same arithmetic
 * as the `dauMau` formula divides them.
 */

/** Keeps rows whose month lies in the range. */
const inRange = <T extends { month: string }>(rows: T[], range: MonthRange): T[] => rows.filter((r) => r.month >= range.from && r.month <= range.to);

/** The month running at `now` when it lies in the range (its rows are month to date); else null. */
function runningMonthOf(range: MonthRange, now: Date): string | null {
  const month = now.toISOString().slice(0, 7);
  return month >= range.from && month <= range.to ? month : null;
}

/** Market coverage per group and month; the running month's counts are month to date. */
export interface CoverageReport { readonly range: MonthRange; readonly groupBy: GroupBy; readonly runningMonth: string | null; readonly coverage: CoverageRow[] }

/** A monthly row and whether its month had ended at the service's clock. */
type Judged<T> = T & { complete: boolean };

/** A cohort's row with, per retention cell, whether that month had ended (false = month-to-date). */
export type StickinessCohort = CohortRow & { complete: boolean[] };

/**
 * User stickiness per group and month (retention, DAU/MAU, month-on-month NRR, churn). The running month is
 * month-to-date: its DAU averages over elapsed days, and it has no NRR or churn rows (counted once it ends).
 */
export interface StickinessReport {
  readonly range: MonthRange;
  readonly groupBy: GroupBy;
  /** The month running at the clock when it lies in the range; else null. */
  readonly runningMonth: string | null;
  readonly cohorts: StickinessCohort[];
  readonly engagement: Judged<EngagementRow>[];
  readonly netRevenueRetention: NetRevenueRetentionRow[];
  readonly churn: ChurnRow[];
}

/**
 * Cost control per group and month. CAC and unit economics exist for channel, partner, campaign and all only;
 * unit economics (ARPA, churn-based LTV, payback) have no rows for the running month until it ends.
 */
export interface CostReport {
  readonly range: MonthRange;
  readonly groupBy: GroupBy;
  readonly runningMonth: string | null;
  readonly serving: ServingCostRow[];
  readonly acquisition: AcquisitionCostRow[];
  readonly unitEconomics: UnitEconomicsRow[];
}

/** Brand per group and month. Reach exists for channel, partner, campaign and all only. */
export interface BrandReport {
  readonly range: MonthRange;
  readonly groupBy: GroupBy;
  readonly runningMonth: string | null;
  readonly reach: ReachKpiRow[];
  readonly signups: SignupShareRow[];
  readonly partnerInfluence: PartnerInfluenceRow[];
}

/**
 * DAU/MAU rows from customer-day and customer counts, with the arithmetic of the `dauMau` formula (average
 * DAU = customer-days ÷ days of the month elapsed at `now`; DAU/MAU = average DAU ÷ monthly active customers).
 */
function engagementRows(counts: readonly ActivityCount[], by: GroupBy, now: Date): Judged<EngagementRow>[] {
  return counts
    .map((c): Judged<EngagementRow> => {
      const period = monthPeriod(c.month, now);
      const averageDau = averageDailyActive(c.customerDays, period) ?? 0;
      return { dimension: by, key: c.key, month: c.month, averageDau, mau: c.customers, dauMau: averageDau / c.customers, complete: period.complete };
    })
    .sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Whether spend and reach rows (which carry channel, partner and campaign only) can be grouped this way. */
const spendGroupable = (by: GroupBy): boolean => by !== 'segment' && by !== 'region';

/** Coverage report: active customers, segments and regions reached, share of SOM. */
export async function coverageReport(db: Database, range: MonthRange, by: GroupBy, now: Date): Promise<CoverageReport> {
  const [customers, usage, som] = await Promise.all([loadCustomers(db), loadMonthlyUsage(db, range), loadSom(db)]);
  return { range, groupBy: by, runningMonth: runningMonthOf(range, now), coverage: inRange(marketCoverage({ customers, usage, som }, by), range) };
}

/** Stickiness report: cohort retention by acquisition group, DAU/MAU, NRR (month on month) and churn. */
export async function stickinessReport(db: Database, range: MonthRange, by: GroupBy, now: Date): Promise<StickinessReport> {
  const [customers, usage, activity] = await Promise.all([loadCustomers(db), loadMonthlyUsage(db, range), loadActivityCounts(db, range, by)]);
  const complete = (month: string): boolean => monthPeriod(month, now).complete;
  const cohorts = cohortRetention(customers, usage, by, { throughMonth: range.to })
    .filter((c) => c.cohortMonth >= range.from && c.cohortMonth <= range.to)
    .map((c): StickinessCohort => ({ ...c, complete: c.retention.map((_, k) => complete(addMonths(c.cohortMonth, k))) }));
  return {
    range, groupBy: by, runningMonth: runningMonthOf(range, now), cohorts,
    engagement: engagementRows(activity, by, now),
    netRevenueRetention: inRange(netRevenueRetention(customers, usage, by, 1), range).filter((r) => complete(r.month)),
    churn: inRange(churnRate(customers, usage, by), range).filter((r) => complete(r.month)),
  };
}

/** Cost report: serving cost and margin, fully loaded CAC with partner payouts, LTV/CAC and payback. */
export async function costReport(db: Database, range: MonthRange, by: GroupBy, now: Date): Promise<CostReport> {
  const [customers, usage, media, shares] = await Promise.all([loadCustomers(db), loadMonthlyUsage(db, range), loadSpend(db, range), loadRevenueShares(db, range)]);
  const serving = inRange(servingCost(customers, usage, by), range);
  const runningMonth = runningMonthOf(range, now);
  if (!spendGroupable(by)) return { range, groupBy: by, runningMonth, serving, acquisition: [], unitEconomics: [] };
  const spend = [...media, ...(await loadPartnerPayouts(db, range, shares))];
  return {
    range, groupBy: by, runningMonth, serving,
    acquisition: inRange(acquisitionCost(customers, spend, by), range),
    unitEconomics: inRange(unitEconomics(customers, usage, spend, by), range).filter((r) => monthPeriod(r.month, now).complete),
  };
}

/** Brand report: reach, direct and referred signup share, partner-influenced revenue. */
export async function brandReport(db: Database, range: MonthRange, by: GroupBy, now: Date): Promise<BrandReport> {
  const [customers, usage, reach] = await Promise.all([loadCustomers(db), loadMonthlyUsage(db, range), loadReach(db, range)]);
  return {
    range, groupBy: by, runningMonth: runningMonthOf(range, now),
    reach: spendGroupable(by) ? brandReach(reach, by) : [],
    signups: inRange(signupSourceShare(customers, by), range),
    partnerInfluence: inRange(partnerInfluencedRevenue(customers, usage, by), range),
  };
}
