/**
 * Conversion paths — the input of every attribution model — and their validation. A path is one
 * visitor's ordered touchpoints (campaign clicks, referral links, partner co-marketing) and
 * whether it ended in a conversion, with the revenue that conversion booked.
 */
import { StrategyInputError } from './errors.js';
import { requireCount, requireFinite, requireNonEmpty } from './validate.js';

/** One touchpoint: which channel (or campaign — any key to credit) and when. */
export interface AttributionTouchpoint {
  /** The key that receives credit: a channel id, a campaign id, or "channel/campaign". */
  channelId: string;
  /** Time of the touch, epoch milliseconds; needed by the time-decay model only. */
  at?: number;
}

/** One visitor journey, touchpoints in chronological order. */
export interface ConversionPath {
  touchpoints: readonly AttributionTouchpoint[];
  converted: boolean;
  /** Revenue booked by the conversion, integer micro-units (0 for non-converting paths). */
  revenueMicros: number;
  /** Conversion time, epoch ms; defaults to the last touch (time-decay only). */
  convertedAt?: number;
}

/**
 * Throws `QD_INVALID_INPUT` unless every path has touchpoints with non-empty channel ids, times
 * (where given) in chronological order and not after the conversion, and integer revenue that is
 * 0 when the path did not convert.
 */
export function validateConversionPaths(paths: readonly ConversionPath[]): void {
  requireNonEmpty(paths, 'conversion paths');
  paths.forEach((p, i) => {
    requireNonEmpty(p.touchpoints, `paths[${i}].touchpoints`);
    requireCount(p.revenueMicros, `paths[${i}].revenueMicros`);
    if (!p.converted && p.revenueMicros !== 0) throw new StrategyInputError('QD_INVALID_INPUT', `paths[${i}] did not convert but has revenue`);
    let last = Number.NEGATIVE_INFINITY;
    p.touchpoints.forEach((t, k) => {
      if (typeof t.channelId !== 'string' || t.channelId === '') throw new StrategyInputError('QD_INVALID_INPUT', `paths[${i}].touchpoints[${k}] has no channelId`);
      if (t.at === undefined) return;
      requireFinite(t.at, `paths[${i}].touchpoints[${k}].at`);
      if (t.at < last) throw new StrategyInputError('QD_INVALID_INPUT', `paths[${i}] touchpoints are not in chronological order`);
      last = t.at;
    });
    if (p.convertedAt !== undefined) {
      requireFinite(p.convertedAt, `paths[${i}].convertedAt`);
      if (p.convertedAt < last) throw new StrategyInputError('QD_INVALID_INPUT', `paths[${i}] has a touchpoint after its conversion`);
    }
  });
}

/** Channel ids in order of first appearance across the paths (stable output order). */
export function channelsInPaths(paths: readonly ConversionPath[]): string[] {
  const seen = new Set<string>();
  for (const p of paths) for (const t of p.touchpoints) seen.add(t.channelId);
  return [...seen];
}
