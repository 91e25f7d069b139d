import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../database.js';
import { auditLog } from '../schema/audit.js';
import type { AuditRow } from './append.js';

/** Filters of {@link listAudit}; `to` is exclusive. */
export interface AuditFilter {
  /** A user id or an actor label (exact). */
  actor?: string;
  targetType?: string;
  targetId?: string;
  /** An action (`plans.create`), or a prefix ending in `.` (`plans.`). */
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** One page of the audit trail, newest first, and how many rows match. */
export async function listAudit(db: Database, filter: AuditFilter): Promise<{ data: AuditRow[]; total: number }> {
  const conditions: SQL[] = [];
  if (filter.actor !== undefined) conditions.push(or(eq(auditLog.actorUserId, filter.actor), eq(auditLog.actorLabel, filter.actor))!);
  if (filter.targetType !== undefined) conditions.push(eq(auditLog.targetType, filter.targetType));
  if (filter.targetId !== undefined) conditions.push(eq(auditLog.targetId, filter.targetId));
  if (filter.action !== undefined) {
    conditions.push(filter.action.endsWith('.') ? sql`starts_with(${auditLog.action}, ${filter.action})` : eq(auditLog.action, filter.action));
  }
  if (filter.from) conditions.push(gte(auditLog.at, filter.from));
  if (filter.to) conditions.push(lt(auditLog.at, filter.to));
  const where = conditions.length ? and(...conditions) : undefined;
  const [data, [counted]] = await Promise.all([
    db.select().from(auditLog).where(where).orderBy(desc(auditLog.seq)).limit(filter.limit).offset(filter.offset),
    db.select({ n: sql<string>`count(*)::text` }).from(auditLog).where(where),
  ]);
  return { data, total: Number(counted?.n ?? 0) };
}
