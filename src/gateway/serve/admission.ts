import { QudaoError, type ErrorCode } from '../../errors/index.js';
import type { Limiter, MeterCharge, MeterName } from '../limits/limiter.js';
import { chargesFor, limitHeaders } from '../limits/meters.js';
import { creditHeaders } from '../limits/prepaid.js';
import { priceOfTokens } from '../metering/pricing.js';
import { completionTokenMaximum, promptTokenBound } from '../openai/request-size.js';
import type { Caller } from '../types.js';
import type { EmbeddingCall, GenerationCall } from '../upstream/types.js';

const refusalCode: Record<MeterName, ErrorCode> = {
  requests_per_minute: 'QD_RATE_LIMITED',
  tokens_per_minute: 'QD_RATE_LIMITED',
  monthly_tokens: 'QD_QUOTA_EXCEEDED',
  monthly_spend: 'QD_BUDGET_EXCEEDED',
  prepaid_balance: 'QD_CREDIT_EXHAUSTED',
};

/** An admitted request's reservations, to settle when it ends. */
export interface Admitted {
  readonly charges: readonly MeterCharge[];
  /** Limit and remaining-quota headers to send with the response. */
  readonly headers: Record<string, string>;
}

/**
 * Reserves the request's maximum (prompt bound + max_tokens × n, and its price) on every limit of the
 * caller's plan and, for a prepaid customer, on its credit, in one atomic step; or throws the 429 with
 * Retry-After and the remaining-quota headers (402 without Retry-After when the credit does not cover it:
 * only a top-up helps, not waiting).
 */
export async function reserveQuota(limiter: Limiter, caller: Caller, call: GenerationCall | EmbeddingCall, nowMs: number): Promise<Admitted> {
  const promptBound = promptTokenBound(call);
  const completionMax = completionTokenMaximum(call);
  const max = { tokens: promptBound + completionMax, priceMicros: priceOfTokens(promptBound, completionMax, caller.plan.inputPer1mMicros, caller.plan.outputPer1mMicros) };
  const charges = chargesFor(caller, max, nowMs);
  if (charges.length === 0) return { charges, headers: {} };
  const result = await limiter.admit(call.requestId, nowMs, charges);
  const prepaid = charges.findIndex((c) => c.name === 'prepaid_balance');
  const headers = { ...limitHeaders(charges, result), ...creditHeaders(caller.customer, prepaid < 0 ? undefined : result.remaining[prepaid]) };
  if (!result.admitted) {
    const code = refusalCode[result.meter];
    if (result.meter === 'prepaid_balance') throw new QudaoError(code, errorDetail(result.meter), { headers });
    const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    const detail = `${errorDetail(result.meter)}; retry after ${seconds} s`;
    throw new QudaoError(code, detail, { headers: { ...headers, 'retry-after': String(seconds) } });
  }
  return { charges, headers };
}

function errorDetail(meter: MeterName): string {
  switch (meter) {
    case 'requests_per_minute':
      return 'the plan\'s requests-per-minute limit is reached';
    case 'tokens_per_minute':
      return 'the plan\'s tokens-per-minute limit would be exceeded by this request\'s max_tokens';
    case 'monthly_tokens':
      return 'the monthly token quota would be exceeded by this request\'s max_tokens';
    case 'monthly_spend':
      return 'the monthly spend budget would be exceeded by this request';
    case 'prepaid_balance':
      return 'the prepaid credit balance does not cover this request\'s maximum price (its prompt and max_tokens at the plan\'s prices); top up with `qudao credits grant <customerId> <amount>` or POST /api/customers/:id/credits, or lower max_tokens';
  }
}
