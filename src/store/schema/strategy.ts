import { doublePrecision, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, micros } from './columns.js';

/** A market segment: industry × region × company size, with the facts positioning scores on. */
export const segments = pgTable('segments', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  industry: text('industry').notNull(),
  region: text('region').notNull(),
  companySize: text('company_size').notNull(),
  /** Number of target accounts in the segment. */
  accounts: integer('accounts').notNull().default(0),
  growthRate: doublePrecision('growth_rate').notNull().default(0),
  /** Annual price an account would pay, micro-units. */
  annualPriceMicros: micros('annual_price_micros').notNull().default(0),
  willingnessToPay: doublePrecision('willingness_to_pay').notNull().default(0),
  competition: doublePrecision('competition').notNull().default(0),
  fit: doublePrecision('fit').notNull().default(0),
  adoptionRate: doublePrecision('adoption_rate').notNull().default(0),
  serviceableShare: doublePrecision('serviceable_share').notNull().default(1),
  createdAt: createdAt(),
});

/** A marketing campaign (营销活动). */
export const campaigns = pgTable('campaigns', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  goal: text('goal').notNull(),
  segmentId: text('segment_id'),
  /** Promotion channels used (search_ads, social, content, events, community, marketplace, co_marketing). */
  promotionChannels: jsonb('promotion_channels').notNull().default([]),
  budgetMicros: micros('budget_micros').notNull().default(0),
  startsAt: at('starts_at').notNull(),
  endsAt: at('ends_at'),
  status: text('status').notNull().default('active'),
  createdAt: createdAt(),
});

/** Money spent on promotion (and partner co-marketing funds), by day. */
export const spend = pgTable('spend', {
  id: text('id').primaryKey(),
  campaignId: text('campaign_id'),
  promotionChannel: text('promotion_channel').notNull(),
  partnerId: text('partner_id'),
  spentOn: at('spent_on').notNull(),
  amountMicros: micros('amount_micros').notNull(),
  note: text('note').notNull().default(''),
});

/** A tracked link or referral code; `/r/:code` records a touchpoint and redirects. */
export const links = pgTable('links', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  campaignId: text('campaign_id'),
  partnerId: text('partner_id'),
  promotionChannel: text('promotion_channel'),
  targetUrl: text('target_url').notNull(),
  createdAt: createdAt(),
});

/** A touchpoint on a visitor's path to signup: click, view or signup. */
export const touchpoints = pgTable('touchpoints', {
  id: text('id').primaryKey(),
  visitorId: text('visitor_id').notNull(),
  customerId: text('customer_id'),
  occurredAt: at('occurred_at').notNull().defaultNow(),
  campaignId: text('campaign_id'),
  linkId: text('link_id'),
  promotionChannel: text('promotion_channel'),
  kind: text('kind').notNull(),
});
