import type { Caller } from '../types.js';
import type { AdmissionResult, MeterCharge, MeterName } from './limiter.js';
import { prepaidBalanceKey } from './prepaid.js';

/** One minute: the window of the per-plan requests/min and tokens/min limits. */
export const MINUTE_MS = 60_000;

/** How long a month reservation lives if its request never settles (process killed mid-request). */
export const RESERVATION_TTL_MS = 15 * 60_000;

/** Calendar month `YYYY-MM` (UTC) of an instant; quotas and budgets reset at its end. */
export function monthOf(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 7);
}

/** Milliseconds from `nowMs` to the start of the next UTC month. */
export function msToMonthEnd(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - nowMs;
}

/** Counter key of a customer's monthly tokens (the `{}` hash tag keeps one customer's keys in one Redis slot). */
export function monthlyTokensKey(customerId: string, month: string): string {
  return `qd:{${customerId}}:mtok:${month}`;
}

/** Counter key of a customer's monthly spend in micro-units. */
export function monthlySpendKey(customerId: string, month: string): string {
  return `qd:{${customerId}}:mspend:${month}`;
}

/**
 * The limit of a prepaid period's meter while the customer is postpaid: its usage still counts against the
 * credit (the balance rule sums every row since `prepaid_since`), so the counter keeps following the ledger,
 * but nothing is refused.
 */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** Bounds of the UTC calendar month `YYYY-MM`, epoch ms (`untilMs` exclusive). */
function monthBounds(month: string): { fromMs: number; untilMs: number } {
  const start = new Date(`${month}-01T00:00:00.000Z`);
  return { fromMs: start.getTime(), untilMs: Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1) };
}

/** A calendar month and its bounds. */
interface MonthSpan {
  readonly month: string;
  readonly fromMs: number;
  readonly untilMs: number;
}

/**
 * The month of `nowMs`: the last one computed is kept, as it is the answer for every request of the month
 * (a memo of a pure function: formatting and parsing dates is most of a request's limit bookkeeping).
 */
let lastMonth: MonthSpan = { month: '', fromMs: 0, untilMs: 0 };
function monthSpanOf(nowMs: number): MonthSpan {
  if (nowMs >= lastMonth.fromMs && nowMs < lastMonth.untilMs) return lastMonth;
  const month = monthOf(nowMs);
  lastMonth = { month, ...monthBounds(month) };
  return lastMonth;
}

/** A key's counter keys for one month (they are the same for every request of the key that month). */
interface KeyCounters {
  readonly month: string;
  readonly customerId: string;
  readonly rpm: string;
  readonly tpm: string;
  readonly monthlyTokens: string;
  readonly monthlySpend: string;
  readonly owner: { readonly customerId: string; readonly fromMs: number; readonly untilMs: number };
}

/** Counter keys by cached key object (a catalog reload makes new objects, so entries never go stale). */
const countersOfKey = new WeakMap<Caller['key'], KeyCounters>();

function keyCounters(caller: Caller, span: MonthSpan): KeyCounters {
  const cached = countersOfKey.get(caller.key);
  if (cached && cached.month === span.month && cached.customerId === caller.customer.id) return cached;
  const { key, customer } = caller;
  const tag = `qd:{${customer.id}}`;
  const counters: KeyCounters = {
    month: span.month,
    customerId: customer.id,
    rpm: `${tag}:rpm:${key.id}`,
    tpm: `${tag}:tpm:${key.id}`,
    monthlyTokens: monthlyTokensKey(customer.id, span.month),
    monthlySpend: monthlySpendKey(customer.id, span.month),
    owner: { customerId: customer.id, fromMs: span.fromMs, untilMs: span.untilMs },
  };
  countersOfKey.set(caller.key, counters);
  return counters;
}

/** The most a request can use, reserved before the upstream is called. */
export interface RequestMaximum {
  readonly tokens: number;
  readonly priceMicros: number;
}

/**
 * The meters a request is charged against, from the caller's plan and customer: requests/min and
 * tokens/min per key, monthly tokens and spend per customer, and a prepaid customer's credit (the request's
 * maximum price against the credited total). Unlimited ones are left out.
 */
export function chargesFor(caller: Caller, max: RequestMaximum, nowMs: number): MeterCharge[] {
  const { plan, customer } = caller;
  const span = monthSpanOf(nowMs);
  const monthEnd = span.untilMs - nowMs;
  const counters = keyCounters(caller, span);
  const charges: MeterCharge[] = [];
  const owner = counters.owner;
  if (plan.rpmLimit !== null) charges.push({ name: 'requests_per_minute', key: counters.rpm, kind: 'window', limit: plan.rpmLimit, amount: 1, periodMs: MINUTE_MS, retryHintMs: MINUTE_MS });
  if (plan.tpmLimit !== null) charges.push({ name: 'tokens_per_minute', key: counters.tpm, kind: 'window', limit: plan.tpmLimit, amount: max.tokens, periodMs: MINUTE_MS, retryHintMs: MINUTE_MS });
  const quota = customer.monthlyTokenQuota ?? plan.monthlyTokenQuota;
  if (quota !== null) charges.push({ name: 'monthly_tokens', key: counters.monthlyTokens, kind: 'month', limit: quota, amount: max.tokens, periodMs: RESERVATION_TTL_MS, retryHintMs: monthEnd, owner });
  if (customer.spendBudgetMicros !== null) charges.push({ name: 'monthly_spend', key: counters.monthlySpend, kind: 'month', limit: customer.spendBudgetMicros, amount: max.priceMicros, periodMs: RESERVATION_TTL_MS, retryHintMs: monthEnd, owner });
  if (customer.prepaidSinceMs !== null) {
    const limit = customer.billingMode === 'prepaid' ? customer.creditedMicros : UNLIMITED;
    charges.push({ name: 'prepaid_balance', key: prepaidBalanceKey(customer.id, customer.prepaidSinceMs), kind: 'month', limit, amount: max.priceMicros, periodMs: RESERVATION_TTL_MS, retryHintMs: 0, owner: { customerId: customer.id, fromMs: customer.prepaidSinceMs, untilMs: null } });
  }
  return charges;
}

/** The actual amounts to settle, in the order of {@link chargesFor}'s charges. */
export function actualAmounts(charges: readonly MeterCharge[], tokens: number, priceMicros: number): number[] {
  return charges.map((c) => (c.name === 'requests_per_minute' ? 1 : c.name === 'monthly_spend' || c.name === 'prepaid_balance' ? priceMicros : tokens));
}

// The prepaid meter's headers are the credit balance and flag (prepaid.ts creditHeaders), not a limit pair.
const headerOf: Partial<Record<MeterName, string>> = {
  requests_per_minute: 'x-ratelimit-remaining-requests',
  tokens_per_minute: 'x-ratelimit-remaining-tokens',
  monthly_tokens: 'x-qudao-quota-remaining-tokens',
  monthly_spend: 'x-qudao-budget-remaining-micros',
};

const limitHeaderOf: Partial<Record<MeterName, string>> = {
  requests_per_minute: 'x-ratelimit-limit-requests',
  tokens_per_minute: 'x-ratelimit-limit-tokens',
  monthly_tokens: 'x-qudao-quota-limit-tokens',
  monthly_spend: 'x-qudao-budget-limit-micros',
};

/** The limit and remaining-quota headers sent on every admitted or refused request (OpenAI's names where they exist). */
export function limitHeaders(charges: readonly MeterCharge[], result: AdmissionResult): Record<string, string> {
  const headers: Record<string, string> = {};
  charges.forEach((c, i) => {
    const limitHeader = limitHeaderOf[c.name];
    const remainingHeader = headerOf[c.name];
    if (limitHeader) headers[limitHeader] = String(c.limit);
    const left = result.remaining[i];
    if (left !== undefined && remainingHeader) headers[remainingHeader] = String(left);
  });
  return headers;
}
