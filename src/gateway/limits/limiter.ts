/**
 * Admission control as data. A request is charged against a few meters (requests per minute, tokens per
 * minute, monthly tokens, monthly spend, a prepaid customer's credit); a {@link Limiter} admits it only if every meter has room, in one
 * atomic step, and reserves the charged amounts. Settlement later replaces each reservation with what the
 * request actually used. Two kinds of meter cover all five limits:
 *
 * - `window`: a sliding window of `periodMs` (60 s). Each admitted request leaves an entry that counts until
 *   it is `periodMs` old; settling rewrites the entry's amount to the actual one.
 * - `month`: a settled total for the calendar month (for prepaid credit: since the customer turned prepaid)
 *   plus open reservations. Settling removes the request's
 *   reservation and adds the actual amount to the total. A reservation whose request never settles (its
 *   process died) expires after `periodMs`, so a crash cannot leak quota. The settled total is only a running
 *   sum of the usage ledger; where it is missing (Redis flushed or restarted) it is rebuilt from the ledger
 *   before the meter admits anything (see {@link MonthLedger}).
 */

/** Which limit a meter enforces; decides the error code and the response headers. */
export type MeterName = 'requests_per_minute' | 'tokens_per_minute' | 'monthly_tokens' | 'monthly_spend' | 'prepaid_balance';

/** One meter a request is charged against. */
export interface MeterCharge {
  readonly name: MeterName;
  /** Counter key, unique per subject and period (e.g. key id, customer id + month). */
  readonly key: string;
  readonly kind: 'window' | 'month';
  readonly limit: number;
  /** Amount reserved now (requests, maximum tokens, or maximum price in micro-units); an integer. */
  readonly amount: number;
  /** Window length (`window`) or reservation lifetime (`month`), ms. */
  readonly periodMs: number;
  /** For `month` meters: ms until the period ends, sent as Retry-After when full. */
  readonly retryHintMs: number;
  /**
   * For `month` meters: whose ledger rows the settled total sums, and over which period (epoch ms, `until`
   * exclusive; null = open-ended): a calendar month, or a prepaid customer's usage since `prepaid_since`.
   */
  readonly owner?: { readonly customerId: string; readonly fromMs: number; readonly untilMs: number | null };
}

/**
 * A month meter's settled total as the ledger has it, read in one snapshot: the sum, and the request ids of
 * the rows since `recentSinceMs` (non-zero amounts), whose settlement may still be on its way to the counter
 * and must then not be added a second time.
 */
export interface LedgerMonthTotal {
  readonly total: number;
  readonly recentRequestIds: readonly string[];
}

/** Reads a month meter's total from the usage ledger (rows not yet flushed to the database included). */
export interface MonthLedger {
  monthTotal(charge: MeterCharge, recentSinceMs: number): Promise<LedgerMonthTotal>;
}

/** The outcome of {@link Limiter.admit}. `remaining` is per meter, after this request's reservation. */
export type AdmissionResult =
  | { readonly admitted: true; readonly remaining: readonly number[] }
  | { readonly admitted: false; readonly meter: MeterName; readonly retryAfterMs: number; readonly remaining: readonly number[] };

/** The actual amount for each charged meter, same order as the charges. */
export type Settlement = readonly number[];

/** Admission and settlement, in-process or shared through Redis; both behave identically. */
export interface Limiter {
  readonly kind: 'memory' | 'redis';
  /**
   * When month totals come from the ledger: `at-start` (in-process counters are empty after a restart, so
   * the gateway seeds them before serving) or `on-demand` (a missing total is rebuilt before it admits).
   */
  readonly monthTotals: 'at-start' | 'on-demand';
  /** Checks every meter and, only if all have room, reserves on all of them: one atomic step. */
  admit(requestId: string, nowMs: number, charges: readonly MeterCharge[]): Promise<AdmissionResult>;
  /** Replaces the request's reservations with the actual amounts. */
  settle(requestId: string, nowMs: number, charges: readonly MeterCharge[], actual: Settlement): Promise<void>;
  /**
   * Sets the settled total of a month meter rebuilt from the ledger. In-process it overwrites; on Redis it
   * only fills a missing counter (`SET NX`), because Redis outlives a gateway restart and other replicas
   * may already have added to it.
   */
  seedMonth(key: string, settled: number, ttlMs: number): Promise<void>;
  /** Resolves when the counter store answers (bounded by its timeout); rejects when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
