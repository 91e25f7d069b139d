import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.js';
import { partners } from './partners.js';

/**
 * Channel types as data (direct, reseller, referral, marketplace, OEM/embedded, system integrator, and any
 * the workspace adds). `channels.type` holds one of these ids.
 */
export const channelTypes = pgTable('channel_types', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  /** The margin kind a new channel of this type gets unless told otherwise. */
  defaultMarginKind: text('default_margin_kind').notNull().default('none'),
  createdAt: createdAt(),
});

/** A person at a partner who signs in to the partner portal. Only an scrypt hash of the password is kept. */
export const partnerUsers = pgTable('partner_users', {
  id: text('id').primaryKey(),
  partnerId: text('partner_id').notNull().references(() => partners.id),
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  /** `scrypt$N$r$p$<salt b64>$<hash b64>`. */
  passwordHash: text('password_hash').notNull(),
  /** `active` or `disabled`. */
  status: text('status').notNull().default('active'),
  createdAt: createdAt(),
  lastLoginAt: at('last_login_at'),
});

/** A partner-portal session: the SHA-256 of the session token only; the token lives in a cookie or bearer. */
export const partnerSessions = pgTable(
  'partner_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => partnerUsers.id),
    partnerId: text('partner_id').notNull().references(() => partners.id),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('partner_sessions_user').on(t.userId)],
);
