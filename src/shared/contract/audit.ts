import { z } from 'zod';
import { count, id, pageOf, paging, timestamp } from './common.js';
import { defineRoute } from './route.js';

const tag = 'audit';

/** One RFC 6902 JSON Patch operation of an audit row's diff. */
export const auditPatchOperationSchema = z.object({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
  value: z.unknown().optional(),
  from: z.string().optional(),
});

/** An audit row as `/api/audit` answers it. */
export const auditEntrySchema = z.object({
  seq: count,
  id,
  at: timestamp,
  actorUserId: z.string().nullable(),
  actorLabel: z.string(),
  actorRole: z.string().nullable(),
  principalKind: z.string(),
  action: z.string(),
  route: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  diff: z.array(auditPatchOperationSchema),
  requestId: z.string().nullable(),
  sourceIp: z.string().nullable(),
  prevHash: z.string(),
  hash: z.string(),
});

/** `GET /api/audit` filters: actor (user id or label), target, action, time range; newest first. */
export const listAuditSchema = z
  .object({
    actor: z.string().min(1).max(200).optional(),
    targetType: z.string().min(1).max(80).optional(),
    targetId: z.string().min(1).max(200).optional(),
    action: z.string().min(1).max(120).optional(),
    from: timestamp.optional(),
    to: timestamp.optional(),
    ...paging,
  })
  .strict();

/** What a walk of the hash chain found. */
export const auditVerifySchema = z.object({
  ok: z.boolean(),
  rows: count,
  firstBadSeq: count.nullable(),
  reason: z.string().nullable(),
  /** The hash of the last row that verified: kept elsewhere, it shows a later rewrite of the whole chain. */
  headHash: z.string().nullable(),
});

/** An audit row. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;
/** `GET /api/audit` filters. */
export type ListAuditQuery = z.infer<typeof listAuditSchema>;

/** The audit trail's routes. */
export const auditRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/audit', tag, access: 'admin', summary: 'The audit trail, newest first (filters: actor, target, action, time; paging)', query: listAuditSchema, response: { 200: pageOf(auditEntrySchema) } }),
  verify: defineRoute({ method: 'GET', url: '/api/audit/verify', tag, access: 'admin', summary: 'Walk the hash chain: the first edited, missing or truncated row, if any', response: { 200: auditVerifySchema } }),
};
