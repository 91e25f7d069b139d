/**
 * Cohort retention matrix (用户粘性): customers grouped by acquisition month and by the channel
 * (or partner, campaign, segment, region) they were acquired through; cell k is the share of the
 * cohort active k months after acquisition (k = 0 is the acquisition month). The matrix stops at
 * the last month with usage data (or `throughMonth`), so young cohorts have shorter rows.
 */
import { customerActivity, wasActive } from './activity.js';
import { addMonths, customerKey, indexCustomers, monthOfDay, monthsBetween, requireMonth, validateUsage } from './grouping.js';
import type { CustomerRow, KpiDimension, UsageEventRow } from './rows.js';

/** Options of {@link cohortRetention}. */
export interface CohortRetentionOptions {
  /** Last month to report ('YYYY-MM'); default the last month with usage. */
  throughMonth?: string;
}

/** One cohort's row of the retention matrix. */
export interface CohortRow {
  dimension: KpiDimension;
  key: string;
  cohortMonth: string;
  cohortSize: number;
  /** Customers of the cohort active in cohortMonth + k. */
  activeCustomers: number[];
  /** activeCustomers[k] / cohortSize. */
  retention: number[];
}

/**
 * Retention matrix by acquisition month × group.
 * @throws KpiInputError on malformed rows or usage of unknown customers
 */
export function cohortRetention(
  customers: readonly CustomerRow[],
  usage: readonly UsageEventRow[],
  by: KpiDimension,
  options: CohortRetentionOptions = {},
): CohortRow[] {
  const index = indexCustomers(customers);
  validateUsage(usage, index);
  if (options.throughMonth !== undefined) requireMonth(options.throughMonth, 'throughMonth');
  const activity = customerActivity(usage);
  const through = options.throughMonth ?? activity.lastMonth;
  const cohorts = new Map<string, CustomerRow[]>();
  for (const c of customers) {
    const id = `${monthOfDay(c.acquiredAt, 'acquiredAt')}\u0000${customerKey(c, by)}`;
    const members = cohorts.get(id);
    if (members === undefined) cohorts.set(id, [c]); else members.push(c);
  }
  const rows: CohortRow[] = [];
  for (const [id, members] of cohorts) {
    const [cohortMonth, key] = id.split('\u0000') as [string, string];
    const span = through === null ? 0 : monthsBetween(cohortMonth, through) + 1;
    if (span <= 0) continue;
    const activeCustomers = Array.from({ length: span }, (_, k) => members.filter((c) => wasActive(activity, c.customerId, addMonths(cohortMonth, k))).length);
    rows.push({ dimension: by, key, cohortMonth, cohortSize: members.length, activeCustomers, retention: activeCustomers.map((n) => n / members.length) });
  }
  return rows.sort((a, b) => (a.cohortMonth < b.cohortMonth ? -1 : a.cohortMonth > b.cohortMonth ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
