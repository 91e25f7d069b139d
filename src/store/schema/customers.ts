import { bigint, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt, micros } from './columns.js';
import { channels, pricePlans } from './channels.js';

/** A paying customer, with where it was acquired (channel, partner, campaign). */
export const customers = pgTable('customers', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email'),
  segmentId: text('segment_id'),
  region: text('region'),
  companySize: text('company_size'),
  acquiredChannelId: text('acquired_channel_id').references(() => channels.id),
  acquiredPartnerId: text('acquired_partner_id'),
  acquiredCampaignId: text('acquired_campaign_id'),
  acquiredAt: at('acquired_at').notNull().defaultNow(),
  /** Optional monthly spend budget; null means none. */
  spendBudgetMicros: micros('spend_budget_micros'),
  /** Overrides the plan's monthly token quota when set. */
  monthlyTokenQuota: bigint('monthly_token_quota', { mode: 'number' }),
  status: text('status').notNull().default('active'),
  meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: createdAt(),
  /** Privacy: when the customer's personal fields were erased (name pseudonymised, the rest removed); null if never. */
  erasedAt: at('erased_at'),
  /** `postpaid` (invoiced after the month) or `prepaid` (admitted only while its credit balance covers a request). */
  billingMode: text('billing_mode').notNull().default('postpaid'),
  /** Prepaid: the balance below which `/v1` answers carry the low-balance header; null = none. */
  lowBalanceMicros: micros('low_balance_micros'),
  /** Prepaid: since when the balance pays for usage (set when the customer turns prepaid). */
  prepaidSince: at('prepaid_since'),
});

/** API keys: the SHA-256 hash and a visible prefix only; the key is shown once. */
export const apiKeys = pgTable('api_keys', {
  id: text('id').primaryKey(),
  prefix: text('prefix').notNull().unique(),
  keyHash: text('key_hash').notNull().unique(),
  name: text('name').notNull().default(''),
  customerId: text('customer_id').notNull().references(() => customers.id),
  channelId: text('channel_id').notNull().references(() => channels.id),
  partnerId: text('partner_id'),
  planId: text('plan_id').notNull().references(() => pricePlans.id),
  /** Model names the key may call; empty means all public models. */
  models: jsonb('models').notNull().default([]),
  status: text('status').notNull().default('active'),
  expiresAt: at('expires_at'),
  /** Upstream request timeout of this key's requests, ms (its deployment's applies when shorter); null = none. */
  timeoutMs: integer('timeout_ms'),
  createdAt: createdAt(),
  revokedAt: at('revoked_at'),
});
