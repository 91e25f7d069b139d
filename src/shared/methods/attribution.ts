/**
 * Multi-touch attribution of conversions and their revenue to channels or campaigns, with the
 * rule-based models side by side with the data-driven Markov model (markovAttribution.ts).
 *
 * Rule-based models give each touch of a converting path a weight; weights of a path sum to 1:
 * - firstTouch / lastTouch: all credit to the first / last touch.
 * - linear: 1/n to each of n touches.
 * - timeDecay: ∝ 2^(−Δt / halfLife), Δt = time from the touch to the conversion (Google
 *   Analytics' time-decay model, default half-life 7 days).
 * - positionBased ("U-shaped"): 40% first, 40% last, 20% shared by the middle touches; with one
 *   touch it gets 100%, with two touches 50% each (the definition of Google Analytics / Google
 *   Ads position-based attribution).
 *
 * Every model's revenue credits sum exactly to the booked revenue: the real-valued credits of
 * each channel are apportioned with the largest-remainder method (apportion.ts).
 */
import { creditsFromShares, type AttributionCredit } from './attributionCredits.js';
import { channelsInPaths, validateConversionPaths, type AttributionTouchpoint, type ConversionPath } from './attributionPaths.js';
import { StrategyInputError } from './errors.js';
import { attributeMarkov, type MarkovAttribution } from './markovAttribution.js';
import { requirePositive } from './validate.js';

/** The rule-based models. */
export type RuleBasedAttributionModel = 'firstTouch' | 'lastTouch' | 'linear' | 'timeDecay' | 'positionBased';
/** All attribution models. */
export type AttributionModel = RuleBasedAttributionModel | 'markov';

/** One model's credits, channels in order of first appearance. */
export interface AttributionModelResult {
  model: AttributionModel;
  credits: AttributionCredit[];
}

/** Options of the attribution functions. */
export interface AttributionOptions {
  /** Half-life of the time-decay model in days; default 7. */
  halfLifeDays?: number;
  /** Models to run side by side; default all six. */
  models?: readonly AttributionModel[];
}

/** All models side by side. */
export interface AttributionComparison {
  totalConversions: number;
  totalRevenueMicros: number;
  channels: string[];
  models: AttributionModelResult[];
  /** Details of the Markov model (removal effects, conversion probability), when it was run. */
  markov: MarkovAttribution | null;
}

/** Per-touch weights of one converting path (sum 1), for one rule-based model. */
export type TouchWeightRule = (touches: readonly AttributionTouchpoint[], path: ConversionPath, options: AttributionOptions) => number[];

const DAY_MS = 86_400_000;

/** Per-touch weight rules, one row per model. */
export const TOUCH_WEIGHT_RULES: Readonly<Record<RuleBasedAttributionModel, TouchWeightRule>> = {
  firstTouch: (t) => t.map((_, i) => (i === 0 ? 1 : 0)),
  lastTouch: (t) => t.map((_, i) => (i === t.length - 1 ? 1 : 0)),
  linear: (t) => t.map(() => 1 / t.length),
  positionBased: (t) => {
    if (t.length === 1) return [1];
    if (t.length === 2) return [0.5, 0.5];
    return t.map((_, i) => (i === 0 || i === t.length - 1 ? 0.4 : 0.2 / (t.length - 2)));
  },
  timeDecay: (t, path, options) => {
    const halfLife = (options.halfLifeDays ?? 7) * DAY_MS;
    if (t.some((x) => x.at === undefined)) throw new StrategyInputError('QD_INVALID_INPUT', 'time-decay attribution needs a time (at) on every touchpoint');
    const end = path.convertedAt ?? t[t.length - 1]!.at!;
    const raw = t.map((x) => 2 ** (-(end - x.at!) / halfLife));
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((w) => w / sum);
  },
};

/**
 * Credits of one rule-based model.
 * @throws StrategyInputError `QD_INVALID_INPUT` on malformed paths or options
 */
export function attributeByRule(paths: readonly ConversionPath[], model: RuleBasedAttributionModel, options: AttributionOptions = {}): AttributionModelResult {
  validateConversionPaths(paths);
  if (options.halfLifeDays !== undefined) requirePositive(options.halfLifeDays, 'halfLifeDays');
  const rule: TouchWeightRule | undefined = TOUCH_WEIGHT_RULES[model];
  if (rule === undefined) throw new StrategyInputError('QD_INVALID_INPUT', `unknown attribution model "${String(model)}"`);
  const channels = channelsInPaths(paths);
  const index = new Map(channels.map((c, i) => [c, i]));
  const conversions = channels.map(() => 0);
  const revenue = channels.map(() => 0);
  let totalRevenue = 0;
  for (const path of paths.filter((p) => p.converted)) {
    const weights = rule(path.touchpoints, path, options);
    path.touchpoints.forEach((t, k) => {
      const i = index.get(t.channelId)!;
      conversions[i]! += weights[k]!;
      revenue[i]! += weights[k]! * path.revenueMicros;
    });
    totalRevenue += path.revenueMicros;
  }
  return { model, credits: creditsFromShares(channels, conversions, revenue, totalRevenue) };
}

/**
 * Runs the requested models (default: all six) side by side on the same paths.
 * @throws StrategyInputError `QD_INVALID_INPUT` on malformed paths or options
 */
export function compareAttributionModels(paths: readonly ConversionPath[], options: AttributionOptions = {}): AttributionComparison {
  validateConversionPaths(paths);
  const models = options.models ?? (['firstTouch', 'lastTouch', 'linear', 'timeDecay', 'positionBased', 'markov'] as const);
  let markov: MarkovAttribution | null = null;
  const results = models.map((model): AttributionModelResult => {
    if (model !== 'markov') return attributeByRule(paths, model, options);
    markov = attributeMarkov(paths);
    return { model, credits: markov.credits };
  });
  const converted = paths.filter((p) => p.converted);
  return {
    totalConversions: converted.length,
    totalRevenueMicros: converted.reduce((s, p) => s + p.revenueMicros, 0),
    channels: channelsInPaths(paths),
    models: results,
    markov,
  };
}
