/**
 * Input guards shared by the strategy methods. Each throws {@link StrategyInputError} with code
 * `QD_INVALID_INPUT` and a one-line message naming the field, so callers never see a NaN result.
 */
import { StrategyInputError } from './errors.js';

/** Throws unless `value` is a finite number. */
export function requireFinite(value: number, field: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StrategyInputError('QD_INVALID_INPUT', `${field} must be a finite number, got ${String(value)}`);
  }
}

/** Throws unless `value` is a finite number ≥ 0. */
export function requireNonNegative(value: number, field: string): void {
  requireFinite(value, field);
  if (value < 0) throw new StrategyInputError('QD_INVALID_INPUT', `${field} must be ≥ 0, got ${value}`);
}

/** Throws unless `value` is a finite number > 0. */
export function requirePositive(value: number, field: string): void {
  requireFinite(value, field);
  if (value <= 0) throw new StrategyInputError('QD_INVALID_INPUT', `${field} must be > 0, got ${value}`);
}

/** Throws unless `value` is a finite number in [0, 1] (a rate or a share). */
export function requireRate(value: number, field: string): void {
  requireFinite(value, field);
  if (value < 0 || value > 1) {
    throw new StrategyInputError('QD_INVALID_INPUT', `${field} must be in [0, 1], got ${value}`);
  }
}

/** Throws unless `value` is a safe integer ≥ 0 (money in micro-units, token counts, counts). */
export function requireCount(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new StrategyInputError('QD_INVALID_INPUT', `${field} must be a non-negative safe integer, got ${String(value)}`);
  }
}

/** Throws unless the list has at least `min` entries. */
export function requireNonEmpty(list: readonly unknown[], field: string, min = 1): void {
  if (!Array.isArray(list) || list.length < min) {
    throw new StrategyInputError('QD_INVALID_INPUT', `${field} must have at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
  }
}

/** Throws unless `list` has exactly `length` entries. */
export function requireLength(list: readonly unknown[], length: number, field: string): void {
  if (!Array.isArray(list) || list.length !== length) {
    throw new StrategyInputError(
      'QD_INVALID_INPUT',
      `${field} must have ${length} entries, got ${Array.isArray(list) ? list.length : 'none'}`,
    );
  }
}

/** Throws unless all ids are distinct (ids key the results, so duplicates would merge rows). */
export function requireUniqueIds(ids: readonly string[], field: string): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new StrategyInputError('QD_INVALID_INPUT', `${field} has duplicate id "${id}"`);
    seen.add(id);
  }
}
