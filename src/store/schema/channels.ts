import { bigint, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, micros } from './columns.js';

/** What a customer pays: per-1M-token prices, monthly fee, included tokens, limits, quota. */
export const pricePlans = pgTable('price_plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  inputPer1mMicros: micros('input_per_1m_micros').notNull(),
  outputPer1mMicros: micros('output_per_1m_micros').notNull(),
  /** Price of fine-tuning, per 1M trained tokens (a job's `trained_tokens`). */
  trainingPer1mMicros: micros('training_per_1m_micros').notNull().default(0),
  monthlyFeeMicros: micros('monthly_fee_micros').notNull().default(0),
  includedTokens: bigint('included_tokens', { mode: 'number' }).notNull().default(0),
  /** Requests per minute per key; null means unlimited. */
  rpmLimit: integer('rpm_limit'),
  /** Tokens per minute per key; null means unlimited. */
  tpmLimit: integer('tpm_limit'),
  /** Tokens per calendar month per customer; null means unlimited. */
  monthlyTokenQuota: bigint('monthly_token_quota', { mode: 'number' }),
  status: text('status').notNull().default('active'),
  createdAt: createdAt(),
});

/** A route to market (渠道): direct, reseller, referral, marketplace, OEM/embedded, system integrator. */
export const channels = pgTable('channels', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  type: text('type').notNull(),
  ownerPartnerId: text('owner_partner_id'),
  defaultPlanId: text('default_plan_id').references(() => pricePlans.id),
  /** `none`, `wholesale_discount` or `revenue_share`. */
  marginKind: text('margin_kind').notNull().default('none'),
  /** The margin the channel keeps, in basis points. */
  marginBps: integer('margin_bps').notNull().default(0),
  status: text('status').notNull().default('active'),
  meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  archivedAt: at('archived_at'),
});
