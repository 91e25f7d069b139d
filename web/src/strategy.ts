/**
 * The pure strategy methods the dashboard runs in the browser (AHP, TOPSIS, segment scoring, market
 * sizing, response curves, budget allocation). They are plain TypeScript over plain data with no Node
 * APIs, so the tools give the same answers as the server and work before the strategy routes exist.
 */
export { deriveAhpWeights, analysePairwiseMatrix, type AhpResult } from '../../src/shared/methods/ahp.js';
export { rankByTopsis, type TopsisResult } from '../../src/shared/methods/topsis.js';
export type { CriterionKind, DecisionProblem } from '../../src/shared/methods/decisionMatrix.js';
export { scoreSegments, type SegmentAttributes, type SegmentWeights } from '../../src/shared/methods/segmentScoring.js';
export { sizeMarket, type MarketSegmentInput, type MarketSize } from '../../src/shared/methods/marketSizing.js';
export { expectedOutcome, type ResponseCurve, type ResponseModel } from '../../src/shared/methods/responseCurves.js';
export { allocateBudget, type BudgetAllocation, type ChannelBudgetInput } from '../../src/shared/methods/budgetAllocator.js';
export { StrategyInputError } from '../../src/shared/methods/errors.js';
