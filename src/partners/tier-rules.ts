import type { RequirementKey, TierBenefits, TierRequirements } from '../shared/contract/partners.js';
import { formatMicros } from './money.js';
import type { ScorecardMetrics } from './scorecard.js';

export { tierBenefitsSchema, tierRequirementsSchema, type RequirementKey, type TierBenefits, type TierRequirements } from '../shared/contract/partners.js';

/**
 * Tier requirements as data: each key names the scorecard metric it reads and whether the metric must be at
 * least (`min`) or at most (`max`) the stated value. Adding a requirement is one line here.
 */
export const requirementRules = {
  minMonthlyRevenueMicros: { metric: 'revenueMicros', bound: 'min', label: 'monthly revenue', unit: 'micros' },
  minActiveCustomers: { metric: 'activeCustomers', bound: 'min', label: 'active customers', unit: 'count' },
  minCustomersSourced: { metric: 'customersSourced', bound: 'min', label: 'customers sourced', unit: 'count' },
  minCertifiedStaff: { metric: 'certifiedStaff', bound: 'min', label: 'certified staff', unit: 'count' },
  minMonthlyTokens: { metric: 'tokens', bound: 'min', label: 'monthly tokens', unit: 'count' },
  minRetentionBps: { metric: 'retentionBps', bound: 'min', label: 'customer retention', unit: 'bps' },
  maxErrorRateBps: { metric: 'errorRateBps', bound: 'max', label: 'upstream error rate', unit: 'bps' },
} as const satisfies Record<RequirementKey, { metric: keyof ScorecardMetrics; bound: 'min' | 'max'; label: string; unit: 'micros' | 'count' | 'bps' }>;

/** One requirement checked against a month. `met` is false when the metric is undefined (no data). */
export interface RequirementCheck {
  key: RequirementKey;
  label: string;
  /** `min`: the metric must be at least `required`; `max`: at most. */
  bound: 'min' | 'max';
  /** How `required` and `actual` read: micro-units of money, a count, or basis points. */
  unit: 'micros' | 'count' | 'bps';
  required: number;
  actual: number | null;
  met: boolean;
}

/** Checks every stated requirement against the metrics, in the order of {@link requirementRules}. */
export function checkRequirements(requirements: TierRequirements, metrics: ScorecardMetrics): RequirementCheck[] {
  const out: RequirementCheck[] = [];
  for (const [key, rule] of Object.entries(requirementRules) as [RequirementKey, (typeof requirementRules)[RequirementKey]][]) {
    const required = requirements[key];
    if (required === undefined) continue;
    const actual = metrics[rule.metric];
    const met = actual !== null && (rule.bound === 'min' ? actual >= required : actual <= required);
    out.push({ key, label: rule.label, bound: rule.bound, unit: rule.unit, required, actual, met });
  }
  return out;
}

/** A value in the unit its rule states, for reasons a person reads: `12,000.00`, `35.00 %`, `7`. */
export function formatRequirementValue(key: RequirementKey, value: number | null, role: 'actual' | 'threshold' = 'actual'): string {
  if (value === null) return 'n/a';
  const unit = requirementRules[key].unit;
  // Measured money reads in cents; a threshold set below a cent (1,000 micro-units) keeps its digits rather than reading as 0.00.
  if (unit === 'micros') return formatMicros(value, { grouping: true, precision: role === 'threshold' && value % 10_000 !== 0 ? 'exact' : 'cents' });
  // Basis points are hundredths of a per cent: the same two-decimal integer arithmetic as cents.
  if (unit === 'bps') return `${formatMicros(value * 10_000, { grouping: true, precision: 'cents' })} %`;
  return value.toLocaleString('en-US');
}

/** A tier's requirements in words: `monthly revenue ≥ 2.00, active customers ≥ 8`; `none` when it states none. */
export function describeRequirements(requirements: TierRequirements): string {
  const parts = (Object.keys(requirementRules) as RequirementKey[])
    .filter((key) => requirements[key] !== undefined)
    .map((key) => `${requirementRules[key].label} ${requirementRules[key].bound === 'max' ? '≤' : '≥'} ${formatRequirementValue(key, requirements[key]!, 'threshold')}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** A tier's benefits in words: `revenue share 15.00 %, co-marketing funds 500.00, support: business hours`. */
export function describeBenefits(benefits: TierBenefits): string {
  const cents = (micros: number) => formatMicros(micros, { grouping: true, precision: 'cents' });
  const parts: string[] = [];
  if (benefits.revenueShareBps !== undefined) parts.push(`revenue share ${cents(benefits.revenueShareBps * 10_000)} %`);
  if (benefits.discountBps !== undefined) parts.push(`discount ${cents(benefits.discountBps * 10_000)} %`);
  if (benefits.monthlyTokenQuota !== undefined) parts.push(`monthly token quota ${benefits.monthlyTokenQuota.toLocaleString('en-US')}`);
  if (benefits.coMarketingFundsMicros !== undefined) parts.push(`co-marketing funds ${cents(benefits.coMarketingFundsMicros)}`);
  if (benefits.support !== undefined) parts.push(`support: ${benefits.support}`);
  return parts.length ? parts.join(', ') : 'none';
}
