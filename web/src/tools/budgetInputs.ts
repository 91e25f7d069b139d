import type { ChannelBudgetInput, ResponseCurve, ResponseModel } from '../strategy.js';
import { toMicros } from '../money.js';

/**
 * A promotion channel as a person describes it in the allocator form, in currency units. Both curve
 * families are parameterised by the spend at which the channel reaches half its saturation, so the
 * numbers mean the same thing whichever family is chosen.
 */
export interface ChannelRow {
  channelId: string;
  model: ResponseModel;
  /** Saturation: outcomes (e.g. paying customers) at unlimited spend. */
  saturation: number;
  /** Spend, currency units, at which the channel delivers half its saturation. */
  halfSaturationSpend: number;
  /** Hill shape s (> 1 is S-shaped); ignored by the negative exponential. */
  shape: number;
  /** Contribution margin per outcome, currency units (e.g. LTV). */
  marginPerOutcome: number;
  minSpend: number;
  maxSpend: number | null;
}

/** The form row as a response curve in micro-units: negExp b = ln 2 / k so that f(k) = a/2. */
export function curveOf(row: ChannelRow): ResponseCurve {
  const k = toMicros(row.halfSaturationSpend);
  return row.model === 'hill'
    ? { model: 'hill', params: { a: row.saturation, k, s: row.shape } }
    : { model: 'negativeExponential', params: { a: row.saturation, b: Math.LN2 / k } };
}

/** The form row as the allocator's input. */
export function budgetInputOf(row: ChannelRow): ChannelBudgetInput {
  return {
    channelId: row.channelId,
    curve: curveOf(row),
    marginPerOutcomeMicros: toMicros(row.marginPerOutcome),
    minSpendMicros: toMicros(row.minSpend),
    ...(row.maxSpend === null ? {} : { maxSpendMicros: toMicros(row.maxSpend) }),
  };
}

/** Example inputs the form opens with, labelled as such on the page; a person replaces them. */
export const exampleChannels: readonly ChannelRow[] = [
  { channelId: 'search_ads', model: 'negativeExponential', saturation: 400, halfSaturationSpend: 20_000, shape: 1, marginPerOutcome: 600, minSpend: 0, maxSpend: null },
  { channelId: 'content', model: 'hill', saturation: 300, halfSaturationSpend: 15_000, shape: 1.6, marginPerOutcome: 600, minSpend: 0, maxSpend: null },
  { channelId: 'events', model: 'hill', saturation: 120, halfSaturationSpend: 25_000, shape: 2.2, marginPerOutcome: 900, minSpend: 5_000, maxSpend: 60_000 },
  { channelId: 'co_marketing', model: 'negativeExponential', saturation: 200, halfSaturationSpend: 10_000, shape: 1, marginPerOutcome: 750, minSpend: 0, maxSpend: 40_000 },
];
