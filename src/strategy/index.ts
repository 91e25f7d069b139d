/**
 * Strategy (目标市场分析, 推广渠道选择, 营销活动策划, 生态系统协同, 资源共享与整合): services that assemble the
 * pure methods' inputs from the store, and their routes. The math lives in src/shared/methods.
 */
export { createStrategyServices, type StrategyServices } from './module.js';
export { strategyRoutes } from './routes.js';
export { VISITOR_COOKIE } from './campaigns/visitor.js';
export type { Segment } from './market/segment-service.js';
export type { MarketSizeReport, SegmentRankingReport, SegmentMarketRow } from './market/market-service.js';
export type { SelectionCriterion, PartnerCandidate } from './selection/candidate-service.js';
export type { SavedAhpMatrix, CandidateRanking } from './selection/selection-service.js';
export type { PromotionEconomicsReport, PromotionChannelReport, PromotionChannelFacts } from './promotion/economics-service.js';
export type { ResponseCurvesReport, AllocationReport } from './promotion/response-service.js';
export type { Campaign, SpendRow } from './campaigns/campaign-service.js';
export type { TrackedLink } from './campaigns/link-service.js';
export type { Touchpoint } from './campaigns/touchpoint-service.js';
export type { AttributionReport } from './campaigns/attribution-service.js';
export type { CampaignPerformance } from './campaigns/performance-service.js';
export { buildConversionPaths, type PathTouchpoint, type PathCustomer, type BuiltPaths } from './campaigns/conversion-paths.js';
export type { EcosystemGraph, EcosystemNode, EcosystemEdge, PartnerRelation } from './ecosystem/ecosystem-service.js';
export type { SharedResource, ResourceGrant } from './resources/resource-service.js';
export { PROMOTION_CHANNELS } from '../shared/contract/strategy/common.js';
