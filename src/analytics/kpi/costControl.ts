/**
 * Cost control (成本控制) per group and month:
 * - acquisition cost and CAC: (media + other spend + partner payouts) ÷ customers acquired in
 *   the month through the group (Skok 2013, "SaaS Metrics 2.0": fully loaded CAC);
 * - cost to serve per 1M tokens: Σ cost ÷ Σ tokens × 10⁶, micro-units;
 * - gross margin: (revenue − cost to serve) ÷ revenue.
 * Spend rows carry channel, partner and campaign only, so CAC cannot be grouped by segment or
 * region. Money is integer micro-units; ratios of money are rounded to micro-units once.
 */
import {
  addMicros, byMonthThenKey, cellKey, customerKey, indexCustomers, monthOfDay, requireCount, requireMonth,
  splitCell, usageKey, validateUsage, channelAttributesKey,
} from './grouping.js';
import { KpiInputError } from './errors.js';
import type { CustomerRow, KpiDimension, SpendRow, UsageEventRow } from './rows.js';

/** Acquisition cost and CAC of one group in one month. */
export interface AcquisitionCostRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  /** Media and other acquisition spend, micro-units. */
  spendMicros: number;
  /** Partner payouts (referral bounties, acquisition revenue share), micro-units. */
  partnerPayoutMicros: number;
  acquisitionCostMicros: number;
  newCustomers: number;
  /** acquisitionCost / newCustomers rounded to micro-units; null without new customers. */
  cacMicros: number | null;
}

/** Serving economics of one group in one month (usage-based grouping). */
export interface ServingCostRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  tokens: number;
  revenueMicros: number;
  costMicros: number;
  grossProfitMicros: number;
  /** (revenue − cost) / revenue; null when revenue is 0. */
  grossMargin: number | null;
  /** cost / tokens × 1,000,000, micro-units; null when no tokens were served. */
  costPerMillionTokensMicros: number | null;
}

function emptyAcquisition(by: KpiDimension, cell: string): AcquisitionCostRow {
  return { dimension: by, ...splitCell(cell), spendMicros: 0, partnerPayoutMicros: 0, acquisitionCostMicros: 0, newCustomers: 0, cacMicros: null };
}

/**
 * Fully loaded CAC per group and month, including partner payouts.
 * @throws KpiInputError on malformed rows or grouping by segment/region
 */
export function acquisitionCost(customers: readonly CustomerRow[], spend: readonly SpendRow[], by: KpiDimension): AcquisitionCostRow[] {
  channelAttributesKey({ channelId: '', partnerId: null, campaignId: null }, by, 'CAC');
  indexCustomers(customers);
  const cells = new Map<string, AcquisitionCostRow>();
  const cellOf = (cell: string): AcquisitionCostRow => cells.get(cell) ?? cells.set(cell, emptyAcquisition(by, cell)).get(cell)!;
  spend.forEach((s, i) => {
    requireMonth(s.month, `spend[${i}].month`);
    requireCount(s.amountMicros, `spend[${i}].amountMicros`);
    const row = cellOf(cellKey(channelAttributesKey(s, by, 'spend'), s.month));
    if (s.kind === 'partnerPayout') row.partnerPayoutMicros = addMicros(row.partnerPayoutMicros, s.amountMicros);
    else if (s.kind === 'media' || s.kind === 'other') row.spendMicros = addMicros(row.spendMicros, s.amountMicros);
    else throw new KpiInputError(`spend[${i}].kind must be 'media', 'partnerPayout' or 'other'`);
  });
  for (const c of customers) cellOf(cellKey(customerKey(c, by), monthOfDay(c.acquiredAt, 'acquiredAt'))).newCustomers += 1;
  const rows = [...cells.values()].map((r) => {
    const acquisitionCostMicros = addMicros(r.spendMicros, r.partnerPayoutMicros);
    return { ...r, acquisitionCostMicros, cacMicros: r.newCustomers === 0 ? null : Math.round(acquisitionCostMicros / r.newCustomers) };
  });
  return rows.sort(byMonthThenKey);
}

/**
 * Tokens, revenue, cost to serve, gross margin and cost per 1M tokens per group and month.
 * @throws KpiInputError on malformed rows or usage of unknown customers
 */
export function servingCost(customers: readonly CustomerRow[], usage: readonly UsageEventRow[], by: KpiDimension): ServingCostRow[] {
  const index = indexCustomers(customers);
  validateUsage(usage, index);
  const cells = new Map<string, { tokens: number; revenue: number; cost: number }>();
  usage.forEach((u, i) => {
    const cell = cellKey(usageKey(u, by, index), monthOfDay(u.day, `usage[${i}].day`));
    const t = cells.get(cell) ?? { tokens: 0, revenue: 0, cost: 0 };
    cells.set(cell, { tokens: addMicros(t.tokens, u.tokens), revenue: addMicros(t.revenue, u.revenueMicros), cost: addMicros(t.cost, u.costMicros) });
  });
  const rows = [...cells.entries()].map(([cell, t]): ServingCostRow => ({
    dimension: by, ...splitCell(cell),
    tokens: t.tokens, revenueMicros: t.revenue, costMicros: t.cost, grossProfitMicros: t.revenue - t.cost,
    grossMargin: t.revenue === 0 ? null : (t.revenue - t.cost) / t.revenue,
    costPerMillionTokensMicros: t.tokens === 0 ? null : Math.round((t.cost * 1_000_000) / t.tokens),
  }));
  return rows.sort(byMonthThenKey);
}
