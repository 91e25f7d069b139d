/**
 * Analytics: the four channel advantages (coverage, stickiness, cost control, brand) measured from the
 * usage ledger. Pure formulas live in `kpi/`; `rollups/` keeps incremental summaries of the ledger;
 * `queries/` reads rows; `report/` composes them; the service and routes are the edges.
 */
export { AnalyticsService, type AnalyticsOptions, type RangeQuery, type GroupedQuery, type Freshness } from './service.js';
export { analyticsRoutes } from './routes.js';
export { refreshRollups, resetRollups, ROLLUP_NAME, type RefreshOptions, type RefreshResult } from './rollups/refresh.js';
export type { Overview, OverviewMonth } from './report/overview.js';
export { monthPeriod, type MonthPeriod } from './kpi/index.js';
export type { DailyUsageReport, DailyUsageQuery, DayRange, UsageTotals } from './report/daily-usage.js';
export type { CoverageReport, StickinessReport, CostReport, BrandReport } from './report/details.js';
export type { CubeSource } from './queries/cube-facts.js';
export { GROUP_BYS, type GroupBy, type MonthRange } from './queries/range.js';
