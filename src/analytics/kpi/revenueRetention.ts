/**
 * Net revenue retention and customer churn per acquisition group and month (用户粘性).
 *
 * NRR(M) = revenue in M of the customers who had revenue in M − lag
 *          ÷ revenue of those same customers in M − lag
 * (expansion raises it above 1, contraction and churn lower it; new customers are excluded).
 * Lag 12 gives the usual annual NRR; lag 1 a month-on-month figure.
 *
 * Churn(M) = customers active in M − 1 and not active in M ÷ customers active in M − 1
 * (activity-based logo churn: a customer with no usage in a month has churned for that month).
 *
 * Customers are grouped by what they were acquired through; their revenue counts whatever
 * channel it later came through.
 */
import { customerActivity, revenueIn, wasActive } from './activity.js';
import { addMicros, addMonths, customerKey, indexCustomers, validateUsage } from './grouping.js';
import { KpiInputError } from './errors.js';
import type { CustomerRow, KpiDimension, UsageEventRow } from './rows.js';

/** NRR of one group in one month. */
export interface NetRevenueRetentionRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  baseMonth: string;
  /** Customers with revenue in the base month. */
  baseCustomers: number;
  baseRevenueMicros: number;
  /** Revenue of the same customers in `month`. */
  retainedRevenueMicros: number;
  netRevenueRetention: number;
}

/** Churn of one group in one month. */
export interface ChurnRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  activeAtStart: number;
  churned: number;
  churnRate: number;
}

function monthsOfUsage(usage: readonly UsageEventRow[]): string[] {
  return [...new Set(usage.map((u) => u.day.slice(0, 7)))].sort();
}

function groupsOf(customers: readonly CustomerRow[], by: KpiDimension): Map<string, CustomerRow[]> {
  const groups = new Map<string, CustomerRow[]>();
  for (const c of customers) {
    const key = customerKey(c, by);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [c]); else members.push(c);
  }
  return groups;
}

/**
 * NRR per acquisition group for every month whose base month (month − lag) had revenue.
 * @throws KpiInputError on malformed rows, unknown customers or a lag below 1
 */
export function netRevenueRetention(customers: readonly CustomerRow[], usage: readonly UsageEventRow[], by: KpiDimension, lagMonths = 12): NetRevenueRetentionRow[] {
  if (!Number.isInteger(lagMonths) || lagMonths < 1) throw new KpiInputError(`lagMonths must be an integer ≥ 1, got ${lagMonths}`);
  validateUsage(usage, indexCustomers(customers));
  const activity = customerActivity(usage);
  const rows: NetRevenueRetentionRow[] = [];
  for (const month of monthsOfUsage(usage)) {
    const baseMonth = addMonths(month, -lagMonths);
    for (const [key, members] of groupsOf(customers, by)) {
      const base = members.filter((c) => revenueIn(activity, c.customerId, baseMonth) > 0);
      if (base.length === 0) continue;
      const baseRevenueMicros = base.reduce((s, c) => addMicros(s, revenueIn(activity, c.customerId, baseMonth)), 0);
      const retainedRevenueMicros = base.reduce((s, c) => addMicros(s, revenueIn(activity, c.customerId, month)), 0);
      rows.push({
        dimension: by, key, month, baseMonth, baseCustomers: base.length, baseRevenueMicros, retainedRevenueMicros,
        netRevenueRetention: retainedRevenueMicros / baseRevenueMicros,
      });
    }
  }
  return rows.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.key < b.key ? -1 : 1));
}

/**
 * Activity-based churn per acquisition group, for every month after the first with usage, up to
 * the last month with usage.
 * @throws KpiInputError on malformed rows or unknown customers
 */
export function churnRate(customers: readonly CustomerRow[], usage: readonly UsageEventRow[], by: KpiDimension): ChurnRow[] {
  validateUsage(usage, indexCustomers(customers));
  const activity = customerActivity(usage);
  const months = monthsOfUsage(usage);
  const rows: ChurnRow[] = [];
  if (months.length === 0) return rows;
  for (let month = addMonths(months[0]!, 1); month <= months[months.length - 1]!; month = addMonths(month, 1)) {
    const previous = addMonths(month, -1);
    for (const [key, members] of groupsOf(customers, by)) {
      const atStart = members.filter((c) => wasActive(activity, c.customerId, previous));
      if (atStart.length === 0) continue;
      const churned = atStart.filter((c) => !wasActive(activity, c.customerId, month)).length;
      rows.push({ dimension: by, key, month, activeAtStart: atStart.length, churned, churnRate: churned / atStart.length });
    }
  }
  return rows.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : a.key < b.key ? -1 : 1));
}
