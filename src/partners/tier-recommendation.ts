import type { ScorecardMetrics } from './scorecard.js';
import { checkRequirements, formatRequirementValue, type RequirementCheck, type TierRequirements } from './tier-rules.js';

/** A tier as the recommendation sees it. */
export interface TierForRecommendation {
  id: string;
  name: string;
  rank: number;
  requirements: TierRequirements;
}

/** What to do with a partner's tier, and why. */
export interface TierRecommendation {
  /** `assign` when the partner has no tier yet; `none` when it has none and qualifies for none. */
  action: 'promote' | 'demote' | 'keep' | 'assign' | 'none';
  currentTierId: string | null;
  recommendedTierId: string | null;
  reason: string;
  /** The requirement checks of the current tier this month (empty without a tier). */
  checks: RequirementCheck[];
}

/** What {@link recommendTier} needs. */
export interface RecommendTierInput {
  currentTierId: string | null;
  tiers: readonly TierForRecommendation[];
  metrics: ScorecardMetrics;
  /**
   * The previous month's metrics. A partner is demoted only when it misses its tier's requirements two
   * months running, so one bad month (a holiday, a late invoice) does not cost it the tier.
   */
  previousMetrics?: ScorecardMetrics;
}

function describe(checks: readonly RequirementCheck[]): string {
  const sign = (c: RequirementCheck) => (c.key.startsWith('max') ? (c.met ? '≤' : '>') : c.met ? '≥' : '<');
  return checks.map((c) => `${c.label} ${formatRequirementValue(c.key, c.actual)} ${sign(c)} ${formatRequirementValue(c.key, c.required)}`).join(', ');
}

const qualifies = (tier: TierForRecommendation, m: ScorecardMetrics) => checkRequirements(tier.requirements, m).every((c) => c.met);

/** The highest-ranked tier whose requirements the metrics meet. */
export function highestQualifyingTier(tiers: readonly TierForRecommendation[], metrics: ScorecardMetrics): TierForRecommendation | undefined {
  return [...tiers].sort((a, b) => b.rank - a.rank).find((t) => qualifies(t, metrics));
}

/**
 * Recommends a partner's tier from its scorecard: promote to the highest tier whose requirements it meets
 * when that is above its tier; demote to the highest tier it still meets when it misses its own tier's
 * requirements this month and the previous one; otherwise keep. The reason names the numbers.
 */
export function recommendTier(input: RecommendTierInput): TierRecommendation {
  const { tiers, metrics } = input;
  const current = tiers.find((t) => t.id === input.currentTierId);
  const best = highestQualifyingTier(tiers, metrics);
  const base = { currentTierId: current?.id ?? null, checks: current ? checkRequirements(current.requirements, metrics) : [] };
  if (!current) {
    if (!best) return { ...base, action: 'none', recommendedTierId: null, reason: 'meets the requirements of no tier yet' };
    return { ...base, action: 'assign', recommendedTierId: best.id, reason: `meets every requirement of ${best.name}${requirementsText(best, metrics)}` };
  }
  if (best && best.rank > current.rank) {
    return { ...base, action: 'promote', recommendedTierId: best.id, reason: `meets every requirement of ${best.name}${requirementsText(best, metrics)}` };
  }
  const missed = base.checks.filter((c) => !c.met);
  if (missed.length === 0) return { ...base, action: 'keep', recommendedTierId: current.id, reason: `meets every requirement of ${current.name}${requirementsText(current, metrics)}` };
  const missedBefore = input.previousMetrics ? !qualifies(current, input.previousMetrics) : false;
  if (!missedBefore) {
    return { ...base, action: 'keep', recommendedTierId: current.id, reason: `below ${current.name} this month (${describe(missed)}); demotion needs two months in a row` };
  }
  const lower = best && best.rank < current.rank ? best : undefined;
  return {
    ...base,
    action: 'demote',
    recommendedTierId: lower?.id ?? null,
    reason: `below ${current.name} two months in a row (${describe(missed)}); ${lower ? `qualifies for ${lower.name}` : 'qualifies for no tier'}`,
  };
}

function requirementsText(tier: TierForRecommendation, metrics: ScorecardMetrics): string {
  const checks = checkRequirements(tier.requirements, metrics);
  return checks.length ? ` (${describe(checks)})` : ' (it has none)';
}
