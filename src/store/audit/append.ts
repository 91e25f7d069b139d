import { desc, sql } from 'drizzle-orm';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { auditHead, auditLog, type AuditPatchOperation } from '../schema/audit.js';
import { GENESIS_HASH, rowHash, type ChainedFields } from './chain.js';

/**
 * Arbitrary constant key of the advisory lock that serialises appends: held from reading the previous
 * hash to the commit, so two replicas on one PostgreSQL never fork the chain.
 */
export const AUDIT_LOCK_KEY = 72_420_719;

/** Who did what to which target: the caller's part of an audit row. */
export interface AuditEntry {
  readonly actor: AuditActor;
  /** A readable verb, e.g. `plans.create`, `admin.reset-owner`. */
  readonly action: string;
  /** The route pattern (`POST /api/plans`) or the CLI command (`qudao demo`). */
  readonly route: string;
  readonly targetType?: string | null;
  readonly targetId?: string | null;
  /** RFC 6902 JSON Patch, before → after, secrets already redacted (see server/audit). */
  readonly diff: AuditPatchOperation[];
  readonly requestId?: string | null;
  readonly sourceIp?: string | null;
  /** Defaults to now. */
  readonly at?: Date;
}

/** Who acted. */
export interface AuditActor {
  readonly userId: string | null;
  /** E-mail, `admin`, `partner:<id>`, `cli:<os user>`. */
  readonly label: string;
  readonly role: string | null;
  /** `admin`, `partner`, `cli`, `anonymous`. */
  readonly kind: string;
}

/** A stored audit row. */
export type AuditRow = typeof auditLog.$inferSelect;

/**
 * Appends one row to the audit chain. `tx` must be a transaction (the one that makes the change, so both
 * commit or neither does): the advisory lock it takes is released at that transaction's end.
 */
export async function appendAudit(tx: Database, entry: AuditEntry): Promise<AuditRow> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(AUDIT_LOCK_KEY))})`);
  const [last] = await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const fields: ChainedFields = {
    seq: (last?.seq ?? 0) + 1,
    id: newId('aud'),
    // Milliseconds, as a JS Date holds them, so the hashed text is what reads back.
    at: new Date((entry.at ?? new Date()).getTime()),
    actorUserId: entry.actor.userId,
    actorLabel: entry.actor.label,
    actorRole: entry.actor.role,
    principalKind: entry.actor.kind,
    action: entry.action,
    route: entry.route,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    diff: entry.diff,
    requestId: entry.requestId ?? null,
    sourceIp: entry.sourceIp ?? null,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const row: AuditRow = { ...fields, hash: rowHash(fields) };
  await tx.insert(auditLog).values(row);
  await tx
    .insert(auditHead)
    .values({ id: 1, seq: row.seq, hash: row.hash })
    .onConflictDoUpdate({ target: auditHead.id, set: { seq: row.seq, hash: row.hash } });
  return row;
}
