import { bigint, jsonb, pgTable, smallint, text } from 'drizzle-orm/pg-core';
import { at } from './columns.js';

/** One operation of an RFC 6902 JSON Patch (the diff of an audit row, before → after). */
export interface AuditPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}

/**
 * The audit trail: one row per mutation through `/api` or the CLI, appended in the transaction of the
 * change and hash-chained (store/audit): `hash` is SHA-256 over the row's fields and `prev_hash`, so an
 * edited row breaks its own hash and a deleted one breaks the chain. Append-only: a trigger refuses
 * UPDATE, DELETE and TRUNCATE (migration 0007).
 *
 * `seq` is assigned as the previous row's seq + 1 under an advisory lock, not by a sequence: a sequence
 * leaves gaps on rollback, and a gap is how a deleted row shows.
 */
export const auditLog = pgTable('audit_log', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  id: text('id').notNull().unique(),
  at: at('at').notNull(),
  /** The admin user who acted; null for the shared admin token, the CLI and anonymous callers. */
  actorUserId: text('actor_user_id'),
  /** Who acted, readably: the user's e-mail, `admin`, `partner:<id>`, `cli:<os user>`. */
  actorLabel: text('actor_label').notNull(),
  actorRole: text('actor_role'),
  /** `admin`, `partner`, `cli`, `anonymous`. */
  principalKind: text('principal_kind').notNull(),
  /** A readable verb, e.g. `plans.create`. */
  action: text('action').notNull(),
  /** The route pattern (`POST /api/plans`) or the CLI command (`qudao demo`). */
  route: text('route').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  /** RFC 6902 JSON Patch from the target before to after (secrets redacted). */
  diff: jsonb('diff').$type<AuditPatchOperation[]>().notNull(),
  requestId: text('request_id'),
  sourceIp: text('source_ip'),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
});

/** The latest row of the chain, kept apart so that a truncated tail (the newest rows deleted) shows. */
export const auditHead = pgTable('audit_head', {
  id: smallint('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
