import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.js';

/** Key/value settings of the workspace (currency, demo seed, first-start marker). */
export const workspaceSettings = pgTable('workspace_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * A person who administers the workspace, with one role (src/shared/contract/access.ts). E-mails are unique
 * regardless of case; only an scrypt hash of the password is kept (null until one is set, e.g. the owner
 * created on first start, who signs in with the printed token until `qudao admin reset-owner` sets one).
 */
export const adminUsers = pgTable(
  'admin_users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    role: text('role').notNull(),
    /** `scrypt$N$r$p$<salt b64>$<hash b64>`. */
    passwordHash: text('password_hash'),
    createdAt: createdAt(),
    updatedAt: at('updated_at').notNull().defaultNow(),
    disabledAt: at('disabled_at'),
    lastLoginAt: at('last_login_at'),
  },
  (t) => [uniqueIndex('admin_users_email_lower').on(sql`lower(${t.email})`)],
);

/** A dashboard session of an admin user: the SHA-256 of the session token only (cookie or bearer). */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => adminUsers.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: at('expires_at').notNull(),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('admin_sessions_user').on(t.userId)],
);

/**
 * API tokens of admin users: only the SHA-256 hash is stored; the token is shown once when created. A
 * token acts with its `scope` (a role; null = its user's role), never more than its user's current role.
 * Rows from before users existed have no user until the first start of this version gives them to the owner.
 */
export const adminTokens = pgTable(
  'admin_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    userId: text('user_id').references(() => adminUsers.id, { onDelete: 'cascade' }),
    scope: text('scope'),
    createdAt: createdAt(),
    expiresAt: at('expires_at'),
    lastUsedAt: at('last_used_at'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('admin_tokens_user').on(t.userId)],
);
