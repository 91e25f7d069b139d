import type { FastifyInstance } from 'fastify';
import { auditRoutes as api } from '../../shared/contract/audit.js';
import { listAudit, verifyAuditChain, type Store } from '../../store/index.js';
import { route } from '../http/index.js';

/**
 *   GET /api/audit          the audit trail, newest first (actor, target, action, from/to; paging)
 *   GET /api/audit/verify   walk the hash chain: { ok, rows, firstBadSeq, reason }
 */
export function auditRoutes(app: FastifyInstance, store: Store): void {
  route(app, api.list, async (request) => {
    const q = request.query;
    return listAudit(store.db, {
      actor: q.actor,
      targetType: q.targetType,
      targetId: q.targetId,
      action: q.action,
      from: q.from === undefined ? undefined : new Date(q.from),
      to: q.to === undefined ? undefined : new Date(q.to),
      limit: q.limit,
      offset: q.offset,
    });
  });
  route(app, api.verify, async () => verifyAuditChain(store.db));
}
