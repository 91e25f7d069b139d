/**
 * Errors raised by the strategy methods when their inputs cannot give a meaningful answer.
 *
 * The codes are stable strings so that the global error catalogue (src/errors) can map each one
 * to an HTTP status and a user-facing message without parsing text.
 */

/** Stable codes of {@link StrategyInputError}. */
export type StrategyErrorCode =
  /** Input shape or value is wrong: NaN, negative spend, mismatched lengths, empty lists, ... */
  | 'QD_INVALID_INPUT'
  /** AHP pairwise matrix is not square, not positive, not reciprocal or its diagonal is not 1. */
  | 'QD_AHP_INVALID_MATRIX'
  /** AHP judgements are too inconsistent (consistency ratio above the accepted threshold). */
  | 'QD_AHP_INCONSISTENT'
  /** A curve fit cannot be made from the data (too few points, no variation, all zero). */
  | 'QD_FIT_DEGENERATE'
  /** Budget bounds cannot be met (sum of minimums above the total, or maximums below it). */
  | 'QD_BUDGET_INFEASIBLE';

/** All codes, for the error catalogue's "every code is documented" test. */
export const STRATEGY_ERROR_CODES: readonly StrategyErrorCode[] = [
  'QD_INVALID_INPUT',
  'QD_AHP_INVALID_MATRIX',
  'QD_AHP_INCONSISTENT',
  'QD_FIT_DEGENERATE',
  'QD_BUDGET_INFEASIBLE',
];

/**
 * A strategy computation was refused because of its input. The message is one line that names
 * the offending field or judgement; `details` carries machine-readable context when useful.
 */
export class StrategyInputError extends Error {
  /** Stable code for the error catalogue. */
  readonly code: StrategyErrorCode;
  /** Optional JSON-serialisable context (e.g. the most inconsistent AHP pairs). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: StrategyErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'StrategyInputError';
    this.code = code;
    this.details = details;
  }
}
