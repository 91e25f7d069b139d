/**
 * Saaty's random consistency index RI(n): the mean consistency index of random reciprocal
 * matrices on the 1–9 scale. Values for n ≤ 10 from Saaty (1980), The Analytic Hierarchy
 * Process, Table 1.2 (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49); n = 11..15 from
 * Saaty (1994), Fundamentals of Decision Making, p. 69 (1.51, 1.48, 1.56, 1.57, 1.59).
 */
import { StrategyInputError } from './errors.js';

const RANDOM_INDEX: readonly number[] = [0, 0, 0.58, 0.9, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59];

/** Largest matrix order with a tabulated random index. */
export const MAX_AHP_ORDER = RANDOM_INDEX.length;

/**
 * RI for an n×n matrix.
 * @throws StrategyInputError `QD_INVALID_INPUT` for n outside 1..15 (Saaty advises ≤ 9 anyway)
 */
export function randomConsistencyIndex(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > MAX_AHP_ORDER) {
    throw new StrategyInputError('QD_INVALID_INPUT', `AHP matrix order must be 1..${MAX_AHP_ORDER}, got ${n}`);
  }
  return RANDOM_INDEX[n - 1]!;
}
