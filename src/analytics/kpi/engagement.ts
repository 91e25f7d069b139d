/**
 * DAU/MAU stickiness ratio per group and month: the average number of daily active customers
 * over the calendar days of the month divided by the month's active customers. 1 means every
 * monthly customer calls every day; 1/30 means once a month. Usage-based grouping: a customer
 * counts in every channel/partner/campaign it called through.
 */
import { byMonthThenKey, cellKey, daysInMonth, indexCustomers, monthOfDay, splitCell, usageKey, validateUsage } from './grouping.js';
import type { CustomerRow, KpiDimension, UsageEventRow } from './rows.js';

/** DAU/MAU of one group in one month. */
export interface EngagementRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  /** Σ over days of distinct active customers / calendar days in the month. */
  averageDau: number;
  /** Distinct active customers in the month. */
  mau: number;
  dauMau: number;
}

/**
 * DAU/MAU per group and month.
 * @throws KpiInputError on malformed rows or usage of unknown customers
 */
export function dauMau(customers: readonly CustomerRow[], usage: readonly UsageEventRow[], by: KpiDimension): EngagementRow[] {
  const index = indexCustomers(customers);
  validateUsage(usage, index);
  const daily = new Map<string, Set<string>>(); // cell → set of "day|customer"
  const monthly = new Map<string, Set<string>>();
  usage.forEach((u, i) => {
    const cell = cellKey(usageKey(u, by, index), monthOfDay(u.day, `usage[${i}].day`));
    daily.set(cell, (daily.get(cell) ?? new Set<string>()).add(`${u.day.slice(0, 10)}|${u.customerId}`));
    monthly.set(cell, (monthly.get(cell) ?? new Set<string>()).add(u.customerId));
  });
  const rows = [...monthly.entries()].map(([cell, ids]): EngagementRow => {
    const { month, key } = splitCell(cell);
    const averageDau = daily.get(cell)!.size / daysInMonth(month);
    return { dimension: by, key, month, averageDau, mau: ids.size, dauMau: averageDau / ids.size };
  });
  return rows.sort(byMonthThenKey);
}
