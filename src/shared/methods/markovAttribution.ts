/**
 * Data-driven attribution with a first-order Markov chain and the removal effect.
 * Source: Anderl, E., Becker, I., von Wangenheim, F. & Schumann, J.H. (2016), "Mapping the
 * customer journey: Lessons learned from graph-based online attribution modeling",
 * International Journal of Research in Marketing 33(3), 457–474.
 *
 * States: start, one per channel, and the absorbing conversion and null states. Transition
 * probabilities are the observed transition frequencies over all paths (converting or not).
 * P = probability of reaching conversion from start. Removing channel c (every transition into
 * c goes to null instead) gives P₋c; its removal effect is RE_c = 1 − P₋c / P. Conversions and
 * revenue are split in proportion to the removal effects (normalised to sum 1), so the credits
 * add up to the observed totals.
 */
import { creditsFromShares, type AttributionCredit } from './attributionCredits.js';
import { channelsInPaths, validateConversionPaths, type ConversionPath } from './attributionPaths.js';
import { solveLinearSystem } from './linearSolve.js';

/** Removal effect of one channel. */
export interface RemovalEffect {
  channelId: string;
  /** P(conversion) with the channel removed. */
  conversionProbabilityWithout: number;
  /** 1 − P₋c / P, in [0, 1]. */
  removalEffect: number;
  /** removalEffect / Σ removalEffects. */
  share: number;
}

/** Result of {@link attributeMarkov}. */
export interface MarkovAttribution {
  /** P(conversion) from start in the fitted chain. */
  conversionProbability: number;
  removalEffects: RemovalEffect[];
  credits: AttributionCredit[];
}

interface TransitionCounts { start: number[]; between: number[][]; toConversion: number[]; rowTotals: number[] }

function countTransitions(paths: readonly ConversionPath[], index: Map<string, number>): TransitionCounts {
  const n = index.size;
  const zeros = (): number[] => new Array<number>(n).fill(0);
  const counts: TransitionCounts = { start: zeros(), between: Array.from({ length: n }, zeros), toConversion: zeros(), rowTotals: zeros() };
  for (const path of paths) {
    const states = path.touchpoints.map((t) => index.get(t.channelId)!);
    counts.start[states[0]!]! += 1;
    states.forEach((s, k) => {
      counts.rowTotals[s]! += 1;
      const next = states[k + 1];
      if (next !== undefined) counts.between[s]![next]! += 1;
      else if (path.converted) counts.toConversion[s]! += 1;
    });
  }
  return counts;
}

/** P(conversion from start) with the channels in `removed` turned into null states. */
function conversionProbability(c: TransitionCounts, removed: number | null): number {
  const keep = c.start.map((_, i) => i).filter((i) => i !== removed);
  // p_i = T(i, conv) + Σ_j T(i, j) p_j over kept j  →  (I − Q) p = r
  const a = keep.map((i) => keep.map((j) => (i === j ? 1 : 0) - c.between[i]![j]! / c.rowTotals[i]!));
  const r = keep.map((i) => c.toConversion[i]! / c.rowTotals[i]!);
  const p = solveLinearSystem(a, r) ?? keep.map(() => 0);
  const starts = c.start.reduce((s, x) => s + x, 0);
  return keep.reduce((s, i, k) => s + (c.start[i]! / starts) * p[k]!, 0);
}

/**
 * First-order Markov removal-effect attribution.
 * @throws StrategyInputError `QD_INVALID_INPUT` on malformed paths
 */
export function attributeMarkov(paths: readonly ConversionPath[]): MarkovAttribution {
  validateConversionPaths(paths);
  const channels = channelsInPaths(paths);
  const index = new Map(channels.map((c, i) => [c, i]));
  const counts = countTransitions(paths, index);
  const base = conversionProbability(counts, null);
  const effects = channels.map((_, i) => {
    const without = conversionProbability(counts, i);
    return { without, effect: base === 0 ? 0 : Math.min(1, Math.max(0, 1 - without / base)) };
  });
  const total = effects.reduce((s, e) => s + e.effect, 0);
  const removalEffects = channels.map((channelId, i): RemovalEffect => ({
    channelId, conversionProbabilityWithout: effects[i]!.without, removalEffect: effects[i]!.effect, share: total === 0 ? 0 : effects[i]!.effect / total,
  }));
  const converted = paths.filter((p) => p.converted);
  const revenue = converted.reduce((s, p) => s + p.revenueMicros, 0);
  const shares = removalEffects.map((e) => e.share);
  const credits = creditsFromShares(channels, shares.map((s) => s * converted.length), shares, revenue);
  return { conversionProbability: base, removalEffects, credits };
}
