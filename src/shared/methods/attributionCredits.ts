/**
 * Attribution credits with exact money: real-valued revenue shares per channel are turned into
 * integer micro-units by largest-remainder apportionment, so each model's credits add up to the
 * booked revenue exactly.
 */
import { apportionLargestRemainder } from './apportion.js';

/** Credit of one channel under one model. */
export interface AttributionCredit {
  channelId: string;
  /** Conversions credited (fractional). Sums to the number of converted paths. */
  conversions: number;
  /** Revenue credited, integer micro-units. Sums exactly to the booked revenue. */
  revenueMicros: number;
}

/** Turns real-valued per-channel shares into credits with exact integer revenue. */
export function creditsFromShares(
  channels: readonly string[],
  conversionShares: readonly number[],
  revenueShares: readonly number[],
  totalRevenueMicros: number,
): AttributionCredit[] {
  const revenue = totalRevenueMicros === 0 ? channels.map(() => 0) : apportionLargestRemainder(totalRevenueMicros, revenueShares);
  return channels.map((channelId, i) => ({ channelId, conversions: conversionShares[i]!, revenueMicros: revenue[i]! }));
}
