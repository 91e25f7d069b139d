import type { FastifyInstance } from 'fastify';
import { partnerOf, route, sendAttachment } from '../../server/http/index.js';
import { portalRoutes as api } from '../../shared/contract/portal.js';
import type { PartnerServices } from '../module.js';
import { monthOrCurrent } from './partners.js';
import { clearSessionCookie, sessionToken, setSessionCookie } from './session.js';

/**
 * `/api/portal` (contracts in src/shared/contract/portal.ts): partner users only, and every answer is the
 * caller's own partner's data; the login is public.
 */
export function portalRoutes(app: FastifyInstance, s: PartnerServices): void {
  route(app, api.login, async (req, reply) => {
    const { token, session, user } = await s.users.login(req.body.email, req.body.password);
    setSessionCookie(reply, req, token, session.expiresAt);
    return { token, expiresAt: session.expiresAt, partnerId: session.partnerId, user };
  });
  route(app, api.logout, async (req, reply) => {
    const token = sessionToken(req);
    if (token) await s.users.logout(token);
    clearSessionCookie(reply);
  });
  route(app, api.me, async (req) => s.portal.overview(partnerOf(req).partnerId));
  route(app, api.customers, async (req) => ({ data: await s.portal.customers(partnerOf(req).partnerId) }));
  route(app, api.keys, async (req) => ({ data: await s.portal.keys(partnerOf(req).partnerId) }));
  route(app, api.createKey, async (req) => s.portal.createKey(partnerOf(req).partnerId, req.body));
  route(app, api.usage, async (req) => s.portal.usage(partnerOf(req).partnerId, monthOrCurrent(req.query.month)));
  route(app, api.scorecard, async (req) => s.portal.scorecard(partnerOf(req).partnerId, monthOrCurrent(req.query.month)));
  route(app, api.statements, async (req) => ({ data: await s.portal.statements(partnerOf(req).partnerId) }));
  route(app, api.statement, async (req) => s.portal.statement(partnerOf(req).partnerId, req.params.id));
  route(app, api.statementCsv, async (req, reply) => sendAttachment(reply, `${req.params.id}.csv`, await s.portal.statementCsv(partnerOf(req).partnerId, req.params.id)));
}
