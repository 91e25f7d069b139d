/**
 * Per acquisition group and month: CAC (fully loaded, with partner payouts), ARPA and gross
 * margin of the group's active customers, activity churn, and from them LTV, LTV/CAC and CAC
 * payback — the measured counterpart of the strategy pillar's channel-economics plan.
 * Formulas as in Skok (2013), "SaaS Metrics 2.0":
 *   LTV = ARPA × gross margin ÷ monthly churn;  payback months = CAC ÷ (ARPA × gross margin).
 * Undefined ratios (no new customers, no churn, no margin) are null, never Infinity or NaN.
 */
import { acquisitionCost } from './costControl.js';
import { churnRate } from './revenueRetention.js';
import { addMicros, byMonthThenKey, cellKey, customerKey, indexCustomers, monthOfDay, validateUsage } from './grouping.js';
import type { CustomerRow, KpiDimension, SpendRow, UsageEventRow } from './rows.js';

/** Unit economics of one acquisition group in one month. */
export interface UnitEconomicsRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  newCustomers: number;
  cacMicros: number | null;
  activeCustomers: number;
  /** Revenue of active customers ÷ their number, micro-units per month; null if none active. */
  arpaMicros: number | null;
  grossMargin: number | null;
  churnRate: number | null;
  /** null when churn is 0 or unknown, or margin unknown. */
  ltvMicros: number | null;
  ltvToCac: number | null;
  paybackMonths: number | null;
}

interface Money { revenue: number; cost: number }

interface MoneyByCell { money: Map<string, Money>; active: Map<string, Set<string>> }

function moneyByCell(customers: Map<string, CustomerRow>, usage: readonly UsageEventRow[], by: KpiDimension): MoneyByCell {
  const money = new Map<string, Money>();
  const active = new Map<string, Set<string>>();
  usage.forEach((u, i) => {
    const cell = cellKey(customerKey(customers.get(u.customerId)!, by), monthOfDay(u.day, `usage[${i}].day`));
    const m = money.get(cell) ?? { revenue: 0, cost: 0 };
    money.set(cell, { revenue: addMicros(m.revenue, u.revenueMicros), cost: addMicros(m.cost, u.costMicros) });
    active.set(cell, (active.get(cell) ?? new Set<string>()).add(u.customerId));
  });
  return { money, active };
}

/**
 * LTV/CAC and payback per acquisition group (channel, partner, campaign or all) and month.
 * @throws KpiInputError on malformed rows, unknown customers or grouping by segment/region
 */
export function unitEconomics(customers: readonly CustomerRow[], usage: readonly UsageEventRow[], spend: readonly SpendRow[], by: KpiDimension): UnitEconomicsRow[] {
  const index = indexCustomers(customers);
  validateUsage(usage, index);
  const cac = new Map(acquisitionCost(customers, spend, by).map((r) => [cellKey(r.key, r.month), r]));
  const churn = new Map(churnRate(customers, usage, by).map((r) => [cellKey(r.key, r.month), r.churnRate]));
  const { money, active } = moneyByCell(index, usage, by);
  const cells = new Set([...cac.keys(), ...active.keys()]);
  const rows = [...cells].map((cell): UnitEconomicsRow => {
    const [month, key] = cell.split('\u0000') as [string, string];
    const acquisition = cac.get(cell);
    const m = money.get(cell);
    const activeCustomers = active.get(cell)?.size ?? 0;
    const arpa = m === undefined || activeCustomers === 0 ? null : m.revenue / activeCustomers;
    const grossMargin = m === undefined || m.revenue === 0 ? null : (m.revenue - m.cost) / m.revenue;
    const c = churn.get(cell) ?? null;
    const monthlyMargin = arpa === null || grossMargin === null ? null : arpa * grossMargin;
    const ltv = monthlyMargin === null || c === null || c === 0 ? null : monthlyMargin / c;
    const cacMicros = acquisition?.cacMicros ?? null;
    return {
      dimension: by, key, month,
      newCustomers: acquisition?.newCustomers ?? 0, cacMicros, activeCustomers,
      arpaMicros: arpa === null ? null : Math.round(arpa), grossMargin, churnRate: c,
      ltvMicros: ltv === null ? null : Math.round(ltv),
      ltvToCac: ltv === null || cacMicros === null || cacMicros === 0 ? null : ltv / cacMicros,
      paybackMonths: cacMicros === null || monthlyMargin === null || monthlyMargin <= 0 ? null : cacMicros / monthlyMargin,
    };
  });
  return rows.sort(byMonthThenKey);
}
