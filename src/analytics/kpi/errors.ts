/**
 * Error raised by the KPI formulas on malformed rows. Its code is shared with the strategy
 * methods' `QD_INVALID_INPUT`, so the global error catalogue (src/errors) maps both the same way.
 */

/** Stable codes of {@link KpiInputError}. */
export type KpiErrorCode = 'QD_INVALID_INPUT';

/** A KPI computation was refused because a row is malformed; the message names the row and field. */
export class KpiInputError extends Error {
  readonly code: KpiErrorCode = 'QD_INVALID_INPUT';

  constructor(message: string) {
    super(message);
    this.name = 'KpiInputError';
  }
}
