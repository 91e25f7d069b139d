/**
 * Integer micro-unit arithmetic for the strategy methods. Money is an integer number of
 * micro-units of the workspace currency (DESIGN.md) and must stay a safe integer, so products
 * with real-valued rates are rounded once, at the end, and overflow is refused rather than
 * silently losing precision (2^53 micro-units ≈ 9.0 × 10^9 currency units).
 */
import { StrategyInputError } from './errors.js';

/**
 * Rounds a real-valued micro-unit amount half away from zero to an integer, refusing values
 * outside the safe-integer range.
 */
export function toMicros(amount: number, field: string): number {
  if (!Number.isFinite(amount)) throw new StrategyInputError('QD_INVALID_INPUT', `${field} is not finite`);
  const rounded = Math.sign(amount) * Math.round(Math.abs(amount));
  if (!Number.isSafeInteger(rounded)) {
    throw new StrategyInputError('QD_INVALID_INPUT', `${field} (${amount} micro-units) exceeds the safe-integer range; use a larger currency unit`);
  }
  return rounded === 0 ? 0 : rounded;
}

/** Sum of integer micro-unit amounts, refusing an unsafe total. */
export function sumMicros(amounts: readonly number[], field: string): number {
  const total = amounts.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(total)) {
    throw new StrategyInputError('QD_INVALID_INPUT', `${field} exceeds the safe-integer range of micro-units`);
  }
  return total;
}
