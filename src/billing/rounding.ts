/**
 * The one rounding rule of billing, applied in one place: every amount that is not already a whole number of
 * micro-units (a pro-rated fee, tokens × a per-1M rate, the value of included tokens, a discount, tax) is
 * computed exactly as a fraction and rounded **half-up, once per line**, to the micro-unit. Amounts are
 * computed as positive quantities; a line that takes money off (included tokens, a discount) carries the
 * negated result, so a tie always rounds towards the customer paying the larger magnitude of that line.
 * Totals are exact sums of rounded lines, never rounded again.
 */

import { toSafeNumber } from '../partners/money.js';

/** ⌊numerator / denominator + ½⌋ for a positive denominator: half-up to the micro-unit. */
export function roundHalfUp(numerator: bigint, denominator: bigint): number {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const twice = 2n * numerator + denominator;
  const den = 2n * denominator;
  // Floor division (BigInt division truncates towards zero).
  const q = twice / den;
  return toSafeNumber(twice % den !== 0n && twice < 0n ? q - 1n : q);
}

/** `amount × bps / 10,000`, half-up (a discount or a tax rate in basis points). */
export function bpsOf(amountMicros: number, bps: number): number {
  return roundHalfUp(BigInt(amountMicros) * BigInt(bps), 10_000n);
}

/** `tokens × per1mMicros / 1,000,000`, half-up (usage at a plan's rate). */
export function tokensAt(tokens: number, per1mMicros: number): number {
  return roundHalfUp(BigInt(tokens) * BigInt(per1mMicros), 1_000_000n);
}

/** `amount × part / whole`, half-up (a fee pro-rated by time, a price by the share of tokens included). */
export function proRate(amountMicros: number, part: number, whole: number): number {
  if (whole <= 0) return 0;
  return roundHalfUp(BigInt(amountMicros) * BigInt(part), BigInt(whole));
}
