/**
 * Per-customer monthly activity and revenue, the shared base of the stickiness KPIs. A customer
 * is active in a month if it has at least one usage row in it (any channel).
 */
import { addMicros, monthOfDay } from './grouping.js';
import type { UsageEventRow } from './rows.js';

/** Months each customer was active in, and its revenue per month (micro-units). */
export interface CustomerActivity {
  activeMonths: Map<string, Set<string>>;
  revenueByMonth: Map<string, Map<string, number>>;
  /** Latest month with any usage, or null when there is none. */
  lastMonth: string | null;
}

/** Builds {@link CustomerActivity} from usage rows (assumed validated). */
export function customerActivity(usage: readonly UsageEventRow[]): CustomerActivity {
  const activeMonths = new Map<string, Set<string>>();
  const revenueByMonth = new Map<string, Map<string, number>>();
  let lastMonth: string | null = null;
  usage.forEach((u, i) => {
    const month = monthOfDay(u.day, `usage[${i}].day`);
    if (lastMonth === null || month > lastMonth) lastMonth = month;
    const months = activeMonths.get(u.customerId) ?? new Set<string>();
    months.add(month);
    activeMonths.set(u.customerId, months);
    const revenue = revenueByMonth.get(u.customerId) ?? new Map<string, number>();
    revenue.set(month, addMicros(revenue.get(month) ?? 0, u.revenueMicros));
    revenueByMonth.set(u.customerId, revenue);
  });
  return { activeMonths, revenueByMonth, lastMonth };
}

/** Whether the customer had usage in the month. */
export const wasActive = (a: CustomerActivity, customerId: string, month: string): boolean =>
  a.activeMonths.get(customerId)?.has(month) ?? false;

/** The customer's revenue in the month, micro-units (0 if none). */
export const revenueIn = (a: CustomerActivity, customerId: string, month: string): number =>
  a.revenueByMonth.get(customerId)?.get(month) ?? 0;
