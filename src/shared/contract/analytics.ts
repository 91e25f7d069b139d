import { z } from 'zod';
import { count, day, id, micros, month, signedMicros, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * The analytics API: the four channel advantages (coverage, stickiness, cost control, brand) per month, per
 * group, and usage per day. Ratios are plain numbers (0.25 = 25 %); money is integer micro-units; months
 * are `YYYY-MM`, days `YYYY-MM-DD` (UTC). A month still running at the server's clock is month-to-date, and
 * the KPIs that need a whole month (churn, NRR, ARPA, LTV, payback) are null or absent for it.
 */

/** The groupings the per-group reports offer. */
export const groupBys = ['all', 'channel', 'partner', 'segment', 'campaign', 'region'] as const;
/** One of {@link groupBys}. */
export type GroupByName = (typeof groupBys)[number];

/** The per-group KPI reports, each at `GET /api/analytics/<kpi>`. */
export const kpiReports = ['coverage', 'stickiness', 'cost', 'brand'] as const;
/** One of {@link kpiReports}. */
export type KpiReportName = (typeof kpiReports)[number];

/** `?from=YYYY-MM&to=YYYY-MM`: an inclusive month range; default the 12 months ending with the last month holding data. */
export const monthRangeQuerySchema = z.object({ from: month.optional(), to: month.optional() }).strict();

/** A month range and a grouping (default `all`). */
export const groupedQuerySchema = z.object({ from: month.optional(), to: month.optional(), groupBy: z.enum(groupBys).optional() }).strict();

/** `GET /api/analytics/usage`: an inclusive day range (default the 30 days ending today, at most 731) and a customer. */
export const dailyUsageQuerySchema = z.object({ from: day.optional(), to: day.optional(), customerId: id.optional() }).strict();

const ratio = z.number();
const nullableRatio = z.number().nullable();
const monthRange = z.object({ from: month, to: month });

/** How far the rollups have read the ledger. */
export const freshnessSchema = z.object({ rollupSeq: count, ledgerSeq: count });

/** One month of the overview, over the whole business. */
export const overviewMonthSchema = z.object({
  month,
  /** False for the running (or a future) month: counts are month-to-date, whole-month KPIs are null. */
  complete: z.boolean(),
  elapsedDays: count,
  daysInMonth: count,
  coverage: z.object({ activeCustomers: count, segmentsReached: count, regionsReached: count, shareOfSom: nullableRatio }),
  stickiness: z.object({ averageDau: z.number().nullable(), dauMau: nullableRatio, activeAtStart: count, churned: count.nullable(), churnRate: nullableRatio, netRevenueRetention: nullableRatio }),
  cost: z.object({
    tokens: count,
    revenueMicros: micros,
    costMicros: micros,
    grossMargin: nullableRatio,
    costPerMillionTokensMicros: micros.nullable(),
    spendMicros: micros,
    partnerPayoutMicros: micros,
    newCustomers: count,
    cacMicros: micros.nullable(),
    arpaMicros: micros.nullable(),
    ltvMicros: signedMicros.nullable(),
    ltvToCac: nullableRatio,
    paybackMonths: z.number().nullable(),
  }),
  brand: z.object({
    impressions: count,
    uniqueVisitors: count,
    signups: count,
    directShare: nullableRatio,
    referredShare: nullableRatio,
    partnerInfluencedRevenueMicros: micros,
    partnerInfluencedShare: nullableRatio,
  }),
});

/** `GET /api/analytics/overview`: one row per month of the range, the headline and the running month. */
export const overviewSchema = z.object({
  range: monthRange,
  source: z.enum(['rollups', 'ledger']),
  /** The clock the months were judged complete by. */
  asOf: timestamp,
  /** The last complete month of the range; null when none has ended. */
  headlineMonth: month.nullable(),
  /** The month running at the clock when it lies in the range; else null. */
  runningMonth: month.nullable(),
  months: z.array(overviewMonthSchema),
  freshness: freshnessSchema,
});

const cell = { dimension: z.enum(groupBys), key: z.string(), month };
const reportHead = { range: monthRange, groupBy: z.enum(groupBys), runningMonth: month.nullable() };

/** `GET /api/analytics/coverage`: active customers, segments and regions reached, share of SOM, per group and month. */
export const coverageReportSchema = z.object({
  ...reportHead,
  coverage: z.array(z.object({ ...cell, activeCustomers: count, segmentsReached: count, regionsReached: count, shareOfSom: nullableRatio })),
});

/** `GET /api/analytics/stickiness`: cohort retention, DAU/MAU, month-on-month NRR and churn. */
export const stickinessReportSchema = z.object({
  ...reportHead,
  cohorts: z.array(
    z.object({
      dimension: z.enum(groupBys),
      key: z.string(),
      cohortMonth: month,
      cohortSize: count,
      activeCustomers: z.array(count),
      retention: z.array(ratio),
      /** Per retention cell, whether its month had ended (false = month-to-date). */
      complete: z.array(z.boolean()),
    }),
  ),
  engagement: z.array(z.object({ ...cell, averageDau: z.number(), mau: count, dauMau: ratio, complete: z.boolean() })),
  netRevenueRetention: z.array(
    z.object({ ...cell, baseMonth: month, baseCustomers: count, baseRevenueMicros: micros, retainedRevenueMicros: micros, netRevenueRetention: ratio }),
  ),
  churn: z.array(z.object({ ...cell, activeAtStart: count, churned: count, churnRate: ratio })),
});

/** `GET /api/analytics/cost`: serving cost and margin, fully loaded CAC, unit economics (complete months). */
export const costReportSchema = z.object({
  ...reportHead,
  serving: z.array(
    z.object({
      ...cell,
      tokens: count,
      revenueMicros: micros,
      costMicros: micros,
      grossProfitMicros: signedMicros,
      grossMargin: nullableRatio,
      costPerMillionTokensMicros: micros.nullable(),
    }),
  ),
  acquisition: z.array(
    z.object({ ...cell, spendMicros: micros, partnerPayoutMicros: micros, acquisitionCostMicros: micros, newCustomers: count, cacMicros: micros.nullable() }),
  ),
  unitEconomics: z.array(
    z.object({
      ...cell,
      newCustomers: count,
      cacMicros: micros.nullable(),
      activeCustomers: count,
      arpaMicros: micros.nullable(),
      grossMargin: nullableRatio,
      churnRate: nullableRatio,
      ltvMicros: signedMicros.nullable(),
      ltvToCac: nullableRatio,
      paybackMonths: z.number().nullable(),
    }),
  ),
});

/** `GET /api/analytics/brand`: reach, direct and referred signup shares, partner-influenced revenue. */
export const brandReportSchema = z.object({
  ...reportHead,
  reach: z.array(z.object({ ...cell, impressions: count, uniqueVisitors: count })),
  signups: z.array(z.object({ ...cell, signups: count, direct: count, referred: count, directShare: ratio, referredShare: ratio })),
  partnerInfluence: z.array(z.object({ ...cell, revenueMicros: micros, partnerInfluencedRevenueMicros: micros, partnerInfluencedShare: nullableRatio })),
});

const usageTotals = { requests: count, promptTokens: count, completionTokens: count, costMicros: micros, priceMicros: micros };

/** `GET /api/analytics/usage`: usage per UTC day of the range (days without usage as zeros) and its totals. */
export const dailyUsageSchema = z.object({
  range: z.object({ from: day, to: day }),
  customerId: z.string().nullable(),
  days: z.array(z.object({ day, ...usageTotals })),
  totals: z.object(usageTotals),
});

/** `POST /api/analytics/refresh`: what the refresh counted. */
export const refreshResultSchema = z.object({
  /** Ledger rows counted into the rollups. */
  rows: count,
  watermark: count,
  openGaps: count,
  /** True when another refresher held the watermark; nothing was done. */
  busy: z.boolean(),
});

/** The overview as the dashboard reads it. */
export type OverviewView = z.infer<typeof overviewSchema>;
/** One month of the overview. */
export type OverviewMonthView = z.infer<typeof overviewMonthSchema>;
/** The coverage report. */
export type CoverageReportView = z.infer<typeof coverageReportSchema>;
/** The stickiness report. */
export type StickinessReportView = z.infer<typeof stickinessReportSchema>;
/** The cost report. */
export type CostReportView = z.infer<typeof costReportSchema>;
/** The brand report. */
export type BrandReportView = z.infer<typeof brandReportSchema>;
/** Daily usage. */
export type DailyUsageView = z.infer<typeof dailyUsageSchema>;

const tag = 'analytics';
const perGroup = (kpi: KpiReportName, summary: string) =>
  ({ method: 'GET', url: `/api/analytics/${kpi}`, tag, access: 'admin', summary, query: groupedQuerySchema }) as const;

/** The analytics routes (admin only). */
export const analyticsRoutes = {
  overview: defineRoute({
    method: 'GET',
    url: '/api/analytics/overview',
    tag,
    access: 'admin',
    summary: 'The four channel advantages per month (from the rollups)',
    query: monthRangeQuerySchema,
    response: { 200: overviewSchema },
  }),
  coverage: defineRoute({ ...perGroup('coverage', 'Market coverage per group and month'), url: '/api/analytics/coverage', response: { 200: coverageReportSchema } }),
  stickiness: defineRoute({ ...perGroup('stickiness', 'User stickiness per group and month: cohort retention, DAU/MAU, NRR, churn'), url: '/api/analytics/stickiness', response: { 200: stickinessReportSchema } }),
  cost: defineRoute({ ...perGroup('cost', 'Cost control per group and month: serving cost, margin, CAC, LTV/CAC, payback'), url: '/api/analytics/cost', response: { 200: costReportSchema } }),
  brand: defineRoute({ ...perGroup('brand', 'Brand per group and month: reach, signup sources, partner-influenced revenue'), url: '/api/analytics/brand', response: { 200: brandReportSchema } }),
  usage: defineRoute({
    method: 'GET',
    url: '/api/analytics/usage',
    tag,
    access: 'admin',
    summary: 'Usage per day from the rollups (optionally of one customer)',
    query: dailyUsageQuerySchema,
    response: { 200: dailyUsageSchema },
  }),
  refresh: defineRoute({ method: 'POST', url: '/api/analytics/refresh', tag, access: 'admin', summary: 'Count new ledger rows into the rollups now', response: { 200: refreshResultSchema },
    // Shares one refresh with the background one (analytics/service.ts), which runs outside any request's
    // transaction; waiting for it inside one would deadlock PGlite's single connection. Audited as a request.
    audit: { scope: 'request' } }),
} as const;
