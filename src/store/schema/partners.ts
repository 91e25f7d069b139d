import { bigint, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { at, createdAt, micros } from './columns.js';

/** Partner tiers as data: requirements and benefits. */
export const partnerTiers = pgTable('partner_tiers', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** Higher rank = higher tier. */
  rank: integer('rank').notNull(),
  requirements: jsonb('requirements').notNull().default({}),
  benefits: jsonb('benefits').notNull().default({}),
});

/** A partner (合作伙伴): reseller, referral partner, integrator, marketplace, OEM. */
export const partners = pgTable('partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  type: text('type').notNull(),
  region: text('region').notNull(),
  segments: jsonb('segments').$type<string[]>().notNull().default([]),
  tierId: text('tier_id').references(() => partnerTiers.id),
  status: text('status').notNull().default('active'),
  onboarding: jsonb('onboarding').notNull().default([]),
  /** Staff certified on our models; a common tier requirement. */
  certifiedStaff: integer('certified_staff').notNull().default(0),
  createdAt: createdAt(),
  archivedAt: at('archived_at'),
});

/** An agreement; a new one supersedes (never edits) the old one. */
export const agreements = pgTable('agreements', {
  id: text('id').primaryKey(),
  partnerId: text('partner_id').notNull().references(() => partners.id),
  revenueShareBps: integer('revenue_share_bps').notNull().default(0),
  discountBps: integer('discount_bps').notNull().default(0),
  minCommitMicros: micros('min_commit_micros').notNull().default(0),
  monthlyTokenQuota: bigint('monthly_token_quota', { mode: 'number' }),
  /** Service levels: `maxErrorRateBps`, `maxP95LatencyMs` (src/shared/contract/partners.ts, slaSchema). */
  sla: jsonb('sla').$type<{ maxErrorRateBps?: number; maxP95LatencyMs?: number }>().notNull().default({}),
  startsAt: at('starts_at').notNull(),
  endsAt: at('ends_at'),
  /** `active`, `superseded`, `ended`. */
  status: text('status').notNull().default('active'),
  supersedesId: text('supersedes_id'),
  createdAt: createdAt(),
});

/** Monthly revenue-share statement per partner; immutable once final. */
export const statements = pgTable(
  'statements',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id').notNull().references(() => partners.id),
    /** Calendar month `YYYY-MM` (UTC). */
    month: text('month').notNull(),
    status: text('status').notNull().default('draft'),
    revenueMicros: micros('revenue_micros').notNull().default(0),
    shareMicros: micros('share_micros').notNull().default(0),
    adjustmentMicros: micros('adjustment_micros').notNull().default(0),
    lines: jsonb('lines').notNull().default([]),
    /** Highest ledger `seq` the statement covered; later rows of its month go to the next one as adjustments. */
    coveredSeq: bigint('covered_seq', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    finalizedAt: at('finalized_at'),
  },
  (t) => [unique('statements_partner_month').on(t.partnerId, t.month)],
);

/** Relations between partners: referral, co-selling, integration, resells-for. */
export const partnerRelations = pgTable('partner_relations', {
  id: text('id').primaryKey(),
  fromPartnerId: text('from_partner_id').notNull().references(() => partners.id),
  toPartnerId: text('to_partner_id').notNull().references(() => partners.id),
  kind: text('kind').notNull(),
  createdAt: createdAt(),
});

/** Shared resources (models, fine-tunes, data sets, prompt packs, documents). */
export const resources = pgTable('resources', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  uri: text('uri'),
  ownerPartnerId: text('owner_partner_id'),
  createdAt: createdAt(),
});

/** A partner's grant to a shared resource. */
export const resourceGrants = pgTable('resource_grants', {
  id: text('id').primaryKey(),
  resourceId: text('resource_id').notNull().references(() => resources.id),
  partnerId: text('partner_id').notNull().references(() => partners.id),
  grantedAt: at('granted_at').notNull().defaultNow(),
  revokedAt: at('revoked_at'),
});
