import type { ScorecardMetrics } from './scorecard.js';
import { checkRequirements, formatRequirementValue, type RequirementCheck, type TierRequirements } from './tier-rules.js';

/** A tier as the recommendation sees it. */
export interface TierForRecommendation {
  id: string;
  name: string;
  rank: number;
  requirements: TierRequirements;
}

/** The next tier up and how the month measures against each of its requirements. */
export interface NextTierGap {
  tierId: string;
  tierName: string;
  checks: RequirementCheck[];
}

/** What to do with a partner's tier, and why. */
export interface TierRecommendation {
  /** `assign` when the partner has no tier yet; `none` when it has none and qualifies for none. */
  action: 'promote' | 'demote' | 'keep' | 'assign' | 'none';
  currentTierId: string | null;
  currentTierName: string | null;
  recommendedTierId: string | null;
  /** The recommended tier's name, so a reader without the tier list (the portal) can name it. */
  recommendedTierName: string | null;
  /** The advice in words, with every threshold it rests on (for the CLI and the API; the dashboard renders `evidence`). */
  reason: string;
  /** The requirement checks of the current tier this month (empty without a tier). */
  checks: RequirementCheck[];
  /**
   * The checks the advice rests on: the recommended tier's when promoting, assigning or keeping; the
   * current tier's misses when demoting or warning. Empty only when that tier states no requirements.
   */
  evidence: RequirementCheck[];
  /** The tier above the recommended one and the month against its thresholds; null at the top. */
  next: NextTierGap | null;
  /** False while the month is still running: its totals are month-to-date, and a miss cannot demote yet. */
  monthEnded: boolean;
}

/** What {@link recommendTier} needs. */
export interface RecommendTierInput {
  currentTierId: string | null;
  tiers: readonly TierForRecommendation[];
  metrics: ScorecardMetrics;
  /**
   * The previous month's metrics. A partner is demoted only when it misses its tier's requirements two
   * months running, so one bad month (a holiday, a late invoice) does not cost it the tier. Leave it out
   * when the partner did not exist for the whole previous month: a new partner cannot have missed it.
   */
  previousMetrics?: ScorecardMetrics;
  /** Whether the month has ended (default true). A running month's misses warn but never demote. */
  monthEnded?: boolean;
}

/** `monthly revenue 12,340.00 ≥ 10,000.00, active customers 14 ≥ 10`. */
export function describeChecks(checks: readonly RequirementCheck[]): string {
  const sign = (c: RequirementCheck) => (c.bound === 'max' ? (c.met ? '≤' : '>') : c.met ? '≥' : '<');
  return checks.map((c) => `${c.label} ${formatRequirementValue(c.key, c.actual)} ${sign(c)} ${formatRequirementValue(c.key, c.required, 'threshold')}`).join(', ');
}

/** `Platinum needs monthly revenue ≥ 50,000.00 (has 12,340.00)`, naming only what is still missing. */
function describeNext(next: NextTierGap | null): string {
  if (!next) return '';
  const missing = next.checks.filter((c) => !c.met);
  const needs = missing.map((c) => `${c.label} ${c.bound === 'max' ? '≤' : '≥'} ${formatRequirementValue(c.key, c.required, 'threshold')} (has ${formatRequirementValue(c.key, c.actual)})`);
  return needs.length ? `; ${next.tierName} needs ${needs.join(', ')}` : '';
}

/** A tier qualifies when every requirement it states is met; a tier that states none is an entry tier. */
const qualifies = (tier: TierForRecommendation, m: ScorecardMetrics) => checkRequirements(tier.requirements, m).every((c) => c.met);

/** The highest-ranked tier whose requirements the metrics meet. */
export function highestQualifyingTier(tiers: readonly TierForRecommendation[], metrics: ScorecardMetrics): TierForRecommendation | undefined {
  return [...tiers].sort((a, b) => b.rank - a.rank).find((t) => qualifies(t, metrics));
}

/** The lowest tier ranked above `tier` with the month measured against it. */
function nextTier(tiers: readonly TierForRecommendation[], tier: TierForRecommendation | undefined, metrics: ScorecardMetrics): NextTierGap | null {
  const above = [...tiers].filter((t) => !tier || t.rank > tier.rank).sort((a, b) => a.rank - b.rank)[0];
  return above ? { tierId: above.id, tierName: above.name, checks: checkRequirements(above.requirements, metrics) } : null;
}

/** Why `tier` fits: its thresholds against the month, or that it states none. */
function fits(tier: TierForRecommendation, checks: readonly RequirementCheck[]): string {
  return checks.length ? `${describeChecks(checks)}` : `${tier.name} has no requirements`;
}

/**
 * Recommends a partner's tier from its scorecard: promote to the highest tier whose requirements it meets
 * when that is above its tier; demote to the highest tier it still meets when it misses its own tier's
 * requirements in an ended month and the one before; otherwise keep. The reason names every threshold it
 * rests on and what the next tier up still needs.
 */
export function recommendTier(input: RecommendTierInput): TierRecommendation {
  const advice = adviseTier(input);
  const nameOf = (id: string | null) => input.tiers.find((t) => t.id === id)?.name ?? null;
  return { ...advice, currentTierName: nameOf(advice.currentTierId), recommendedTierName: nameOf(advice.recommendedTierId) };
}

function adviseTier(input: RecommendTierInput): Omit<TierRecommendation, 'currentTierName' | 'recommendedTierName'> {
  const { tiers, metrics } = input;
  const monthEnded = input.monthEnded ?? true;
  const current = tiers.find((t) => t.id === input.currentTierId);
  const best = highestQualifyingTier(tiers, metrics);
  const checks = current ? checkRequirements(current.requirements, metrics) : [];
  const base = { currentTierId: current?.id ?? null, checks, monthEnded };
  const sofar = monthEnded ? '' : 'month to date: ';
  if (!current) {
    const next = nextTier(tiers, best, metrics);
    if (!best) return { ...base, action: 'none', recommendedTierId: null, evidence: [], next, reason: `${sofar}qualifies for no tier${describeNext(next)}` };
    const evidence = checkRequirements(best.requirements, metrics);
    return { ...base, action: 'assign', recommendedTierId: best.id, evidence, next, reason: `${sofar}assign ${best.name}: ${fits(best, evidence)}${describeNext(next)}` };
  }
  if (best && best.rank > current.rank) {
    const evidence = checkRequirements(best.requirements, metrics);
    const next = nextTier(tiers, best, metrics);
    return { ...base, action: 'promote', recommendedTierId: best.id, evidence, next, reason: `${sofar}promote to ${best.name}: ${fits(best, evidence)}${describeNext(next)}` };
  }
  const next = nextTier(tiers, current, metrics);
  const missed = checks.filter((c) => !c.met);
  if (missed.length === 0) return { ...base, action: 'keep', recommendedTierId: current.id, evidence: checks, next, reason: `${sofar}keep ${current.name}: ${fits(current, checks)}${describeNext(next)}` };
  if (!monthEnded) {
    return { ...base, action: 'keep', recommendedTierId: current.id, evidence: missed, next, reason: `${sofar}below ${current.name} so far (${describeChecks(missed)}); a month is judged when it has ended` };
  }
  const missedBefore = input.previousMetrics ? !qualifies(current, input.previousMetrics) : false;
  if (!missedBefore) {
    return { ...base, action: 'keep', recommendedTierId: current.id, evidence: missed, next, reason: `below ${current.name} this month (${describeChecks(missed)}); demotion needs two months in a row` };
  }
  const lower = best && best.rank < current.rank ? best : undefined;
  return {
    ...base,
    action: 'demote',
    recommendedTierId: lower?.id ?? null,
    evidence: missed,
    next: null,
    reason: `below ${current.name} two months in a row (${describeChecks(missed)}); ${lower ? `qualifies for ${lower.name}` : 'qualifies for no tier'}`,
  };
}
