/**
 * Strategy methods: the pure math of market positioning, partner selection, promotion-channel
 * choice, budget allocation and attribution. Plain typed data in, plain JSON-serialisable data
 * out; no database, no HTTP. Bad input throws {@link StrategyInputError} with a stable code.
 */
export { StrategyInputError, STRATEGY_ERROR_CODES, type StrategyErrorCode } from './errors.js';
export { apportionLargestRemainder } from './apportion.js';
export {
  validateDecisionProblem,
  normaliseWeights,
  rankByScore,
  type Criterion,
  type CriterionKind,
  type Alternative,
  type DecisionProblem,
  type RankedAlternative,
} from './decisionMatrix.js';
export { scoreWeightedSum, type WeightedSumNormalisation, type WeightedSumOptions, type WeightedSumResult } from './weightedSum.js';
export { rankByTopsis, type TopsisResult, type TopsisAlternativeResult } from './topsis.js';
export {
  analysePairwiseMatrix,
  deriveAhpWeights,
  validatePairwiseMatrix,
  principalEigenvector,
  rankJudgementDeviations,
  type AhpOptions,
  type AhpResult,
  type JudgementDeviation,
} from './ahp.js';
export { randomConsistencyIndex, MAX_AHP_ORDER } from './ahpRandomIndex.js';
export {
  analyseWeightSensitivity,
  type SensitivityMethod,
  type SensitivityOptions,
  type SensitivityResult,
  type CriterionSensitivity,
  type WeightBreakpoint,
} from './sensitivity.js';
export { sizeMarket, type MarketSegmentInput, type MarketSegmentSize, type MarketSize } from './marketSizing.js';
export { observedShares, type ObservedShare, type ObservedShares, type SizingInput } from './observedShare.js';
export { scoreSegments, segmentDecisionProblem, type SegmentAttributes, type SegmentWeights, type SegmentScores } from './segmentScoring.js';
export {
  evaluatePromotionChannel,
  funnelConversionRates,
  lifetimeValueMicros,
  type FunnelStage,
  type FunnelConversion,
  type PromotionChannelInput,
  type PromotionChannelEconomics,
} from './channelEconomics.js';
export {
  RESPONSE_MODELS,
  curveParameters,
  expectedOutcome,
  marginalOutcome,
  type ResponseModel,
  type ResponseCurve,
  type ResponseModelSpec,
} from './responseCurves.js';
export { fitResponseCurve, type SpendObservation, type FittedResponseCurve } from './curveFitting.js';
export {
  allocateBudget,
  type ChannelBudgetInput,
  type AllocateBudgetOptions,
  type ChannelAllocation,
  type BudgetAllocation,
} from './budgetAllocator.js';
export { validateConversionPaths, channelsInPaths, type AttributionTouchpoint, type ConversionPath } from './attributionPaths.js';
export { creditsFromShares, type AttributionCredit } from './attributionCredits.js';
export {
  attributeByRule,
  compareAttributionModels,
  TOUCH_WEIGHT_RULES,
  type TouchWeightRule,
  type AttributionModel,
  type RuleBasedAttributionModel,
  type AttributionModelResult,
  type AttributionOptions,
  type AttributionComparison,
} from './attribution.js';
export { attributeMarkov, type MarkovAttribution, type RemovalEffect } from './markovAttribution.js';
export { selectPartners, type PartnerSelectionInput, type PartnerSelection } from './partnerSelection.js';
