/**
 * Channel-advantage KPIs (DESIGN.md §analytics, seed §2.2): market coverage, user stickiness,
 * cost control and brand, per channel, partner, segment, campaign, region and month. Pure
 * functions over plain rows; the store maps its tables onto the row types in rows.ts.
 */
export { KpiInputError, type KpiErrorCode } from './errors.js';
export type {
  UsageEventRow, CustomerRow, SignupSource, SpendRow, SpendKind, ReachRow, SegmentSomRow, KpiDimension,
} from './rows.js';
export { NO_KEY, addMonths, monthsBetween, daysInMonth, monthOfDay } from './grouping.js';
export { marketCoverage, type CoverageInput, type CoverageRow } from './coverage.js';
export { monthPeriod, lastCompleteMonth, averageDailyActive, type MonthPeriod } from './period.js';
export { cohortRetention, type CohortRetentionOptions, type CohortRow } from './cohortRetention.js';
export { dauMau, type EngagementRow } from './engagement.js';
export { netRevenueRetention, churnRate, type NetRevenueRetentionRow, type ChurnRow } from './revenueRetention.js';
export { acquisitionCost, servingCost, type AcquisitionCostRow, type ServingCostRow } from './costControl.js';
export { unitEconomics, type UnitEconomicsRow } from './unitEconomics.js';
export {
  brandReach, signupSourceShare, partnerInfluencedRevenue,
  type ReachKpiRow, type SignupShareRow, type PartnerInfluenceRow,
} from './brand.js';
