import type { FastifyInstance } from 'fastify';
import { idParam, parseInput } from '../../channels/index.js';
import type { PartnerServices } from '../module.js';
import { loginSchema, portalCreateKeySchema } from '../requests.js';
import { clearSessionCookie, requirePartner, sessionToken, setSessionCookie } from '../session.js';
import { monthQuery } from './partners.js';

/** `/api` paths the portal serves without credentials. */
export const portalPublicPaths = ['/api/portal/login'];

/**
 * `/api/portal` (partner users only; every answer is the caller's own partner's data):
 *
 *   POST /api/portal/login      e-mail + password → session cookie and token (public)
 *   POST /api/portal/logout     end the session
 *   GET  /api/portal/me         partner, tier, agreement in force, onboarding
 *   GET  /api/portal/customers  customers it brought in      GET  /api/portal/keys   keys issued through it
 *   POST /api/portal/keys       create a key for one of its customers (within the agreement's quota)
 *   GET  /api/portal/usage      usage per customer and model (?month)
 *   GET  /api/portal/scorecard  its scorecard (?month)
 *   GET  /api/portal/statements               final statements
 *   GET  /api/portal/statements/:id           one, with lines   GET /api/portal/statements/:id/csv   CSV
 */
export function portalRoutes(app: FastifyInstance, s: PartnerServices): void {
  app.post('/api/portal/login', async (req, reply) => {
    const body = parseInput(loginSchema, req.body);
    const { token, session, user } = await s.users.login(body.email, body.password);
    setSessionCookie(reply, req, token, session.expiresAt);
    return { token, expiresAt: session.expiresAt, partnerId: session.partnerId, user };
  });
  app.post('/api/portal/logout', async (req, reply) => {
    requirePartner(req);
    const token = sessionToken(req);
    if (token) await s.users.logout(token);
    clearSessionCookie(reply);
    return reply.code(204).send();
  });
  app.get('/api/portal/me', async (req) => s.portal.overview(requirePartner(req)));
  app.get('/api/portal/customers', async (req) => ({ data: await s.portal.customers(requirePartner(req)) }));
  app.get('/api/portal/keys', async (req) => ({ data: await s.portal.keys(requirePartner(req)) }));
  app.post('/api/portal/keys', async (req, reply) => {
    const partnerId = requirePartner(req);
    return reply.code(201).send(await s.portal.createKey(partnerId, parseInput(portalCreateKeySchema, req.body)));
  });
  app.get('/api/portal/usage', async (req) => s.portal.usage(requirePartner(req), monthQuery(req)));
  app.get('/api/portal/scorecard', async (req) => s.portal.scorecard(requirePartner(req), monthQuery(req)));
  app.get('/api/portal/statements', async (req) => ({ data: await s.portal.statements(requirePartner(req)) }));
  app.get('/api/portal/statements/:id', async (req) => s.portal.statement(requirePartner(req), idParam(req)));
  app.get('/api/portal/statements/:id/csv', async (req, reply) => {
    const csv = await s.portal.statementCsv(requirePartner(req), idParam(req));
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${idParam(req)}.csv"`).send(csv);
  });
}
