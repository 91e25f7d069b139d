/**
 * Market coverage (市场覆盖): how much of the target market the channels actually reach, per
 * group and month — active customers, segments and regions reached, and the share of the
 * serviceable obtainable market (SOM, from market sizing) that the active customers represent.
 * A customer is active in a month if it has at least one usage row in that month.
 */
import {
  byMonthThenKey, cellKey, indexCustomers, monthOfDay, splitCell, usageKey, validateUsage,
} from './grouping.js';
import type { CustomerRow, KpiDimension, SegmentSomRow, UsageEventRow } from './rows.js';
import { KpiInputError } from './errors.js';

/** Inputs of {@link marketCoverage}. */
export interface CoverageInput {
  customers: readonly CustomerRow[];
  usage: readonly UsageEventRow[];
  /** SOM per segment in accounts; omit to leave shareOfSom null. */
  som?: readonly SegmentSomRow[];
}

/** Coverage of one group in one month. */
export interface CoverageRow {
  dimension: KpiDimension;
  key: string;
  month: string;
  activeCustomers: number;
  segmentsReached: number;
  regionsReached: number;
  /**
   * activeCustomers / SOM accounts — of the row's own segment when grouped by segment, of all
   * segments otherwise; null when SOM is unknown or 0.
   */
  shareOfSom: number | null;
}

function somTotals(som: readonly SegmentSomRow[] | undefined): { bySegment: Map<string, number>; total: number } {
  const bySegment = new Map<string, number>();
  (som ?? []).forEach((r, i) => {
    if (!Number.isFinite(r.somAccounts) || r.somAccounts < 0) throw new KpiInputError(`som[${i}].somAccounts must be ≥ 0`);
    bySegment.set(r.segmentId, (bySegment.get(r.segmentId) ?? 0) + r.somAccounts);
  });
  return { bySegment, total: [...bySegment.values()].reduce((a, b) => a + b, 0) };
}

/**
 * Active customers, segments and regions reached, and share of SOM, per group and month.
 * @throws KpiInputError on malformed rows or usage of unknown customers
 */
export function marketCoverage(input: CoverageInput, by: KpiDimension): CoverageRow[] {
  const customers = indexCustomers(input.customers);
  validateUsage(input.usage, customers);
  const active = new Map<string, Set<string>>();
  input.usage.forEach((u, i) => {
    const cell = cellKey(usageKey(u, by, customers), monthOfDay(u.day, `usage[${i}].day`));
    const set = active.get(cell) ?? new Set<string>();
    set.add(u.customerId);
    active.set(cell, set);
  });
  const som = somTotals(input.som);
  const rows = [...active.entries()].map(([cell, ids]): CoverageRow => {
    const { month, key } = splitCell(cell);
    const members = [...ids].map((id) => customers.get(id)!);
    const denominator = input.som === undefined ? 0 : by === 'segment' ? (som.bySegment.get(key) ?? 0) : som.total;
    return {
      dimension: by, key, month,
      activeCustomers: ids.size,
      segmentsReached: new Set(members.map((c) => c.segmentId)).size,
      regionsReached: new Set(members.map((c) => c.region)).size,
      shareOfSom: denominator > 0 ? ids.size / denominator : null,
    };
  });
  return rows.sort(byMonthThenKey);
}
