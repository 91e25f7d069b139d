/**
 * Largest-remainder apportionment (Hamilton's method): split an integer total (money in
 * micro-units, conversions) into integer parts proportional to real-valued shares so that the
 * parts sum to the total exactly. Attribution uses it so that every model's credits add up to
 * the revenue that was actually booked, to the micro-unit.
 */
import { StrategyInputError } from './errors.js';
import { requireCount, requireNonNegative } from './validate.js';

/**
 * Splits `total` into integer parts proportional to `shares`.
 *
 * Each part gets floor(total × share / Σshares); the units left over go one each to the parts
 * with the largest fractional remainders, ties broken by the lower index so the result is
 * deterministic. If every share is 0 the total cannot be split and an error is thrown
 * (unless the total is 0 too).
 *
 * @param total - a non-negative safe integer (e.g. revenue in micro-units)
 * @param shares - non-negative finite weights, any scale
 * @returns integer parts, same order as `shares`, summing exactly to `total`
 */
export function apportionLargestRemainder(total: number, shares: readonly number[]): number[] {
  requireCount(total, 'total');
  shares.forEach((s, i) => requireNonNegative(s, `shares[${i}]`));
  const sum = shares.reduce((a, b) => a + b, 0);
  if (sum === 0) {
    if (total === 0) return shares.map(() => 0);
    throw new StrategyInputError('QD_INVALID_INPUT', 'cannot apportion a non-zero total over shares that are all 0');
  }
  const exact = shares.map((s) => (total * s) / sum);
  const parts = exact.map((x) => Math.floor(x));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, rem: x - Math.floor(x) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  // Float error can make floor() lose or gain a unit; `left` absorbs it in either direction.
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) {
    const idx = order[k]!.i;
    if (parts[idx]! > 0) { parts[idx]! -= 1; left++; }
  }
  return parts;
}
