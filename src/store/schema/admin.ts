import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { at, createdAt } from './columns.js';

/** Key/value settings of the workspace (currency, demo seed, first-start marker). */
export const workspaceSettings = pgTable('workspace_settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/** Admin tokens: only the SHA-256 hash is stored; the token is shown once when created. */
export const adminTokens = pgTable('admin_tokens', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  prefix: text('prefix').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: createdAt(),
  lastUsedAt: at('last_used_at'),
  revokedAt: at('revoked_at'),
});
