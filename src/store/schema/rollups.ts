import { bigint, date, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { at, micros } from './columns.js';

/*
 * Analytics rollups: derived, rebuildable summaries of the usage ledger, maintained incrementally by
 * src/analytics (by `seq` watermark). Dimension columns use '' (never NULL) for "none" so that they can be
 * part of a primary key and of ON CONFLICT upserts. Days and months are UTC.
 */

/** How far each rollup has read the ledger: every row with `seq <= seq` is counted, except open gaps. */
export const rollupWatermarks = pgTable('rollup_watermarks', {
  name: text('name').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull().default(0),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * Ranges of `seq` below the watermark that held no visible row when the rollup passed them: a transaction
 * still in flight (it commits later with a lower seq) or one that rolled back. Each refresh looks again and
 * counts rows that appeared; gaps older than the retention are forgotten (rolled back for good).
 */
export const rollupGaps = pgTable(
  'rollup_gaps',
  {
    name: text('name').notNull(),
    fromSeq: bigint('from_seq', { mode: 'number' }).notNull(),
    toSeq: bigint('to_seq', { mode: 'number' }).notNull(),
    notedAt: at('noted_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.name, t.fromSeq] })],
);

/** Usage by UTC day × customer × channel × partner × campaign × model (additive measures only). */
export const usageDaily = pgTable(
  'usage_daily',
  {
    day: date('day', { mode: 'string' }).notNull(),
    customerId: text('customer_id').notNull().default(''),
    channelId: text('channel_id').notNull().default(''),
    partnerId: text('partner_id').notNull().default(''),
    campaignId: text('campaign_id').notNull().default(''),
    model: text('model').notNull(),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    /** Requests with status `ok` (a customer is active on any day with a row, whatever its status). */
    okRequests: bigint('ok_requests', { mode: 'number' }).notNull().default(0),
    promptTokens: bigint('prompt_tokens', { mode: 'number' }).notNull().default(0),
    completionTokens: bigint('completion_tokens', { mode: 'number' }).notNull().default(0),
    costMicros: micros('cost_micros').notNull().default(0),
    priceMicros: micros('price_micros').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.customerId, t.channelId, t.partnerId, t.campaignId, t.model] }),
    index('usage_daily_customer_day').on(t.customerId, t.day),
  ],
);

/** Usage by UTC month × customer, with the number of days the customer was active. */
export const customerMonths = pgTable(
  'customer_months',
  {
    /** First day of the month. */
    month: date('month', { mode: 'string' }).notNull(),
    customerId: text('customer_id').notNull(),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    okRequests: bigint('ok_requests', { mode: 'number' }).notNull().default(0),
    promptTokens: bigint('prompt_tokens', { mode: 'number' }).notNull().default(0),
    completionTokens: bigint('completion_tokens', { mode: 'number' }).notNull().default(0),
    costMicros: micros('cost_micros').notNull().default(0),
    priceMicros: micros('price_micros').notNull().default(0),
    /** Revenue of ledger rows that carried a partner (partner-influenced revenue). */
    partnerPriceMicros: micros('partner_price_micros').notNull().default(0),
    /** Days of the month with at least one request that reached a model (any ledger row). */
    activeDays: integer('active_days').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.customerId] })],
);

/**
 * The KPI cube: per month and per cell of the customers' acquisition attributes (cohort month, channel,
 * partner, campaign, segment, region). Each customer sits in exactly one cell, so customer counts add up
 * across cells — the overview sums cells and never needs a COUNT DISTINCT over the ledger.
 */
export const kpiMonthly = pgTable(
  'kpi_monthly',
  {
    month: date('month', { mode: 'string' }).notNull(),
    cohortMonth: date('cohort_month', { mode: 'string' }).notNull(),
    channelId: text('channel_id').notNull().default(''),
    partnerId: text('partner_id').notNull().default(''),
    campaignId: text('campaign_id').notNull().default(''),
    segmentId: text('segment_id').notNull().default(''),
    region: text('region').notNull().default(''),
    /** Customers with a ledger row this month (monthly active). */
    activeCustomers: integer('active_customers').notNull().default(0),
    /** Sum over customers of their active days: average DAU = activeDays / days in month. */
    activeDays: integer('active_days').notNull().default(0),
    /** Customers active this month and the month before. */
    retainedCustomers: integer('retained_customers').notNull().default(0),
    /** Customers active the month before. */
    prevActiveCustomers: integer('prev_active_customers').notNull().default(0),
    requests: bigint('requests', { mode: 'number' }).notNull().default(0),
    tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
    costMicros: micros('cost_micros').notNull().default(0),
    priceMicros: micros('price_micros').notNull().default(0),
    partnerPriceMicros: micros('partner_price_micros').notNull().default(0),
    /** This month's revenue from customers who had revenue the month before (NRR numerator). */
    retainedPriceMicros: micros('retained_price_micros').notNull().default(0),
    /** Last month's revenue (NRR denominator). */
    prevPriceMicros: micros('prev_price_micros').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.cohortMonth, t.channelId, t.partnerId, t.campaignId, t.segmentId, t.region] })],
);

/**
 * The cube summed over every cell, one row per month: what the overview reads (twelve rows for a year,
 * whatever the number of customers). Segments and regions reached count cells with active customers.
 */
export const kpiMonthTotals = pgTable('kpi_month_totals', {
  month: date('month', { mode: 'string' }).primaryKey(),
  activeCustomers: integer('active_customers').notNull().default(0),
  activeDays: integer('active_days').notNull().default(0),
  retainedCustomers: integer('retained_customers').notNull().default(0),
  prevActiveCustomers: integer('prev_active_customers').notNull().default(0),
  requests: bigint('requests', { mode: 'number' }).notNull().default(0),
  tokens: bigint('tokens', { mode: 'number' }).notNull().default(0),
  costMicros: micros('cost_micros').notNull().default(0),
  priceMicros: micros('price_micros').notNull().default(0),
  /** Revenue through a partner or from customers a partner brought. */
  partnerInfluencedMicros: micros('partner_influenced_micros').notNull().default(0),
  retainedPriceMicros: micros('retained_price_micros').notNull().default(0),
  prevPriceMicros: micros('prev_price_micros').notNull().default(0),
  segmentsReached: integer('segments_reached').notNull().default(0),
  regionsReached: integer('regions_reached').notNull().default(0),
});

/** Revenue of partner-acquired customers per month × channel × partner × campaign (partner payouts). */
export const kpiPartnerMonths = pgTable(
  'kpi_partner_months',
  {
    month: date('month', { mode: 'string' }).notNull(),
    channelId: text('channel_id').notNull(),
    partnerId: text('partner_id').notNull(),
    campaignId: text('campaign_id').notNull(),
    priceMicros: micros('price_micros').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.channelId, t.partnerId, t.campaignId] })],
);
