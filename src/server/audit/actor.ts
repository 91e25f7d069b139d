import type { FastifyRequest } from 'fastify';
import type { AuditActor } from '../../store/index.js';

/**
 * Who is behind a request, for its audit row: the admin user (id, e-mail, the role this request acts
 * with), the partner user of a portal session, or `anonymous` (a public route such as a login).
 */
export function actorOf(request: FastifyRequest): AuditActor {
  const p = request.principal;
  if (!p) return { userId: null, label: 'anonymous', role: null, kind: 'anonymous' };
  if (p.kind === 'partner') return { userId: p.userId, label: `partner:${p.partnerId}`, role: 'partner', kind: 'partner' };
  return { userId: p.userId, label: p.email, role: p.role, kind: 'admin' };
}
