/**
 * Promotion-channel unit economics: funnel conversion, CAC, LTV, LTV/CAC and CAC payback.
 * Formulas as in Skok, D. (2013), "SaaS Metrics 2.0 – A Guide to Measuring and Improving what
 * Matters" (forEntrepreneurs.com):
 *
 *   CAC          = (media spend + partner payouts + other acquisition cost) / new customers
 *   LTV          = ARPA × gross margin / monthly churn            (steady state, no horizon)
 *                = ARPA × gross margin × (1 − (1 − churn)^H) / churn   (capped at H months)
 *   LTV / CAC    (Skok's rule of thumb: > 3 is healthy)
 *   payback      = CAC / (ARPA × gross margin)                    (months of margin to earn CAC back)
 *
 * Money is integer micro-units; ARPA is per account per month.
 */
import { StrategyInputError } from './errors.js';
import { toMicros, sumMicros } from './money.js';
import { requireCount, requireNonEmpty, requireRate } from './validate.js';

/** One funnel stage with the number of people or accounts that reached it. */
export interface FunnelStage {
  stage: string;
  count: number;
}

/** Conversion of one funnel stage. */
export interface FunnelConversion {
  stage: string;
  count: number;
  /** count / previous stage's count; null for the first stage or when the previous count is 0. */
  fromPrevious: number | null;
  /** count / first stage's count; null when the first count is 0. */
  fromFirst: number | null;
}

/**
 * Step and cumulative conversion rates of a funnel (impressions → clicks → signups → paying).
 * @throws StrategyInputError `QD_INVALID_INPUT` on an empty funnel, non-integer counts or a stage
 *   larger than the one before it
 */
export function funnelConversionRates(stages: readonly FunnelStage[]): FunnelConversion[] {
  requireNonEmpty(stages, 'funnel stages');
  stages.forEach((s, i) => {
    requireCount(s.count, `count of funnel stage "${s.stage}"`);
    if (i > 0 && s.count > stages[i - 1]!.count) {
      throw new StrategyInputError('QD_INVALID_INPUT', `funnel stage "${s.stage}" (${s.count}) exceeds the stage before it (${stages[i - 1]!.count})`);
    }
  });
  const first = stages[0]!.count;
  return stages.map((s, i) => {
    const prev = i === 0 ? 0 : stages[i - 1]!.count;
    return { stage: s.stage, count: s.count, fromPrevious: i === 0 || prev === 0 ? null : s.count / prev, fromFirst: first === 0 ? null : s.count / first };
  });
}

/** Inputs of {@link evaluatePromotionChannel} for one channel over one period. */
export interface PromotionChannelInput {
  channelId: string;
  /** Media / programme spend in the period, micro-units. */
  spendMicros: number;
  /** Partner payouts (referral bounties, revenue share paid to acquire), micro-units; default 0. */
  partnerPayoutMicros?: number;
  /** Other acquisition cost (sales time, events), micro-units; default 0. */
  otherCostMicros?: number;
  /** New paying customers acquired in the period. */
  newCustomers: number;
  /** Average revenue per account per month, micro-units. */
  arpaMicros: number;
  /** Gross margin, 0..1 (1 − cost to serve / revenue). */
  grossMargin: number;
  /** Monthly customer churn rate, 0..1. */
  monthlyChurn: number;
  /** Optional cap on customer lifetime in months (needed when churn is 0). */
  horizonMonths?: number;
  /** Optional funnel of the channel for conversion rates. */
  funnel?: readonly FunnelStage[];
}

/** Unit economics of a channel; null where the ratio is undefined (no customers, no margin). */
export interface PromotionChannelEconomics {
  channelId: string;
  acquisitionCostMicros: number;
  /** Per new customer, micro-units; null when no customer was acquired. */
  cacMicros: number | null;
  /** Monthly gross margin per account, micro-units. */
  monthlyMarginMicros: number;
  /** Customer lifetime value, micro-units; null when churn is 0 and there is no horizon. */
  ltvMicros: number | null;
  ltvToCac: number | null;
  /** Months to earn back CAC from gross margin; null if CAC or margin is undefined or 0. */
  paybackMonths: number | null;
  conversion: FunnelConversion[] | null;
}

/** Customer lifetime value in micro-units (see module formula), or null if unbounded. */
export function lifetimeValueMicros(arpaMicros: number, grossMargin: number, monthlyChurn: number, horizonMonths?: number): number | null {
  requireCount(arpaMicros, 'arpaMicros');
  requireRate(grossMargin, 'grossMargin');
  requireRate(monthlyChurn, 'monthlyChurn');
  const margin = arpaMicros * grossMargin;
  if (horizonMonths !== undefined) {
    requireCount(horizonMonths, 'horizonMonths');
    const months = monthlyChurn === 0 ? horizonMonths : (1 - (1 - monthlyChurn) ** horizonMonths) / monthlyChurn;
    return toMicros(margin * months, 'LTV');
  }
  return monthlyChurn === 0 ? null : toMicros(margin / monthlyChurn, 'LTV');
}

/**
 * CAC, LTV, LTV/CAC, payback and (optionally) funnel conversion of one promotion channel.
 * @throws StrategyInputError `QD_INVALID_INPUT` on negative or non-integer money and counts,
 *   rates outside 0..1, or NaN
 */
export function evaluatePromotionChannel(input: PromotionChannelInput): PromotionChannelEconomics {
  const costs = [input.spendMicros, input.partnerPayoutMicros ?? 0, input.otherCostMicros ?? 0];
  costs.forEach((c, i) => requireCount(c, `${['spendMicros', 'partnerPayoutMicros', 'otherCostMicros'][i]} of channel "${input.channelId}"`));
  requireCount(input.newCustomers, `newCustomers of channel "${input.channelId}"`);
  const acquisitionCostMicros = sumMicros(costs, 'acquisition cost');
  const cacMicros = input.newCustomers === 0 ? null : toMicros(acquisitionCostMicros / input.newCustomers, 'CAC');
  const ltvMicros = lifetimeValueMicros(input.arpaMicros, input.grossMargin, input.monthlyChurn, input.horizonMonths);
  const monthlyMarginMicros = toMicros(input.arpaMicros * input.grossMargin, 'monthly margin');
  const exactCac = input.newCustomers === 0 ? null : acquisitionCostMicros / input.newCustomers;
  return {
    channelId: input.channelId,
    acquisitionCostMicros,
    cacMicros,
    monthlyMarginMicros,
    ltvMicros,
    ltvToCac: ltvMicros === null || exactCac === null || exactCac === 0 ? null : ltvMicros / exactCac,
    paybackMonths: exactCac === null || exactCac === 0 || monthlyMarginMicros === 0 ? null : exactCac / (input.arpaMicros * input.grossMargin),
    conversion: input.funnel === undefined ? null : funnelConversionRates(input.funnel),
  };
}
