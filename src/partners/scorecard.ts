import type { Month } from '../shared/month.js';

/** One customer's month in a partner's ledger, aggregated by the repository (one SQL GROUP BY). */
export interface CustomerMonthUsage {
  month: Month;
  customerId: string;
  requests: number;
  /** Requests that succeeded; a customer with at least one is active in the month. */
  okRequests: number;
  tokens: number;
  revenueMicros: number;
  /** Requests that failed upstream (5xx): the partner's traffic saw our service fail. */
  upstreamErrors: number;
}

/** Service levels an agreement promises for the partner's traffic. Absent limits are not checked. */
export interface SlaTerms {
  /** Highest upstream error rate, in basis points of requests. */
  maxErrorRateBps?: number;
  /** Highest 95th-percentile latency of successful requests, in milliseconds. */
  maxP95LatencyMs?: number;
}

/** What {@link computeScorecard} needs. */
export interface ScorecardInput {
  month: Month;
  previousMonth: Month;
  /** Usage of the month and of the previous month (other months are ignored). */
  usage: readonly CustomerMonthUsage[];
  /** Customers the partner brought in during the month. */
  customersSourced: number;
  /** 95th-percentile latency of the month's successful requests; null when there were none. */
  latencyP95Ms: number | null;
  certifiedStaff: number;
  sla: SlaTerms;
}

/** A partner's month in numbers. Rates are integer basis points (10,000 = 100 %); null when undefined. */
export interface ScorecardMetrics {
  customersSourced: number;
  activeCustomers: number;
  requests: number;
  tokens: number;
  revenueMicros: number;
  previousRevenueMicros: number;
  /** Month-over-month revenue growth; null when the previous month had no revenue. */
  revenueGrowthBps: number | null;
  /** Share of last month's active customers still active this month; null when there were none. */
  retentionBps: number | null;
  errorRateBps: number | null;
  latencyP95Ms: number | null;
  certifiedStaff: number;
}

/** Whether the month met the agreement's service levels, limit by limit. */
export interface SlaResult {
  errorRateOk: boolean | null;
  latencyOk: boolean | null;
  /** True when every stated limit held (or none is stated). */
  met: boolean;
}

/** Rounds a ratio down to basis points, exactly (integers only). */
export function ratioBps(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Number((BigInt(numerator) * 10_000n) / BigInt(denominator));
}

function totals(rows: readonly CustomerMonthUsage[]) {
  const active = new Set<string>();
  let requests = 0;
  let tokens = 0;
  let revenueMicros = 0;
  let upstreamErrors = 0;
  for (const r of rows) {
    requests += r.requests;
    tokens += r.tokens;
    revenueMicros += r.revenueMicros;
    upstreamErrors += r.upstreamErrors;
    if (r.okRequests > 0) active.add(r.customerId);
  }
  return { active, requests, tokens, revenueMicros, upstreamErrors };
}

/** Growth from `before` to `after` in basis points, rounded towards −∞; null when `before` ≤ 0. */
function growthBps(before: number, after: number): number | null {
  if (before <= 0) return null;
  const diff = BigInt(after - before) * 10_000n;
  const b = BigInt(before);
  const q = diff / b;
  return Number(diff % b !== 0n && diff < 0n ? q - 1n : q);
}

/**
 * A partner's scorecard for one month from ledger aggregates: customers sourced, active customers, tokens,
 * revenue, growth, retention of their customers, and the service level their traffic got.
 */
export function computeScorecard(input: ScorecardInput): ScorecardMetrics {
  const cur = totals(input.usage.filter((u) => u.month === input.month));
  const prev = totals(input.usage.filter((u) => u.month === input.previousMonth));
  let retained = 0;
  for (const c of prev.active) if (cur.active.has(c)) retained++;
  return {
    customersSourced: input.customersSourced,
    activeCustomers: cur.active.size,
    requests: cur.requests,
    tokens: cur.tokens,
    revenueMicros: cur.revenueMicros,
    previousRevenueMicros: prev.revenueMicros,
    revenueGrowthBps: growthBps(prev.revenueMicros, cur.revenueMicros),
    retentionBps: ratioBps(retained, prev.active.size),
    errorRateBps: ratioBps(cur.upstreamErrors, cur.requests),
    latencyP95Ms: input.latencyP95Ms,
    certifiedStaff: input.certifiedStaff,
  };
}

/** Checks a month against the agreement's SLA. A month without traffic cannot breach it. */
export function evaluateSla(metrics: ScorecardMetrics, sla: SlaTerms): SlaResult {
  const errorRateOk = sla.maxErrorRateBps === undefined || metrics.errorRateBps === null ? null : metrics.errorRateBps <= sla.maxErrorRateBps;
  const latencyOk = sla.maxP95LatencyMs === undefined || metrics.latencyP95Ms === null ? null : metrics.latencyP95Ms <= sla.maxP95LatencyMs;
  return { errorRateOk, latencyOk, met: errorRateOk !== false && latencyOk !== false };
}

/** A month's revenue against the agreement's minimum commitment. */
export interface CommitmentResult {
  minCommitMicros: number;
  shortfallMicros: number;
  met: boolean;
}

/** How far the month's revenue fell short of the minimum commitment (0 when met or when none is agreed). */
export function evaluateCommitment(revenueMicros: number, minCommitMicros: number): CommitmentResult {
  const shortfallMicros = Math.max(0, minCommitMicros - revenueMicros);
  return { minCommitMicros, shortfallMicros, met: shortfallMicros === 0 };
}
