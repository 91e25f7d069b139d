import type { FastifyInstance, FastifyRequest } from 'fastify';
import { idParam, monthOf, parseInput, parseMonth, requireAdminCaller } from '../../channels/index.js';
import type { PartnerServices } from '../module.js';
import { addOnboardingItemSchema, createPartnerSchema, createPartnerUserSchema, listPartnersSchema, monthQuerySchema, tickOnboardingSchema, updatePartnerSchema, updatePartnerUserSchema } from '../requests.js';

const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name]!;

/** The `?month` of a request, defaulting to the current month. */
export function monthQuery(req: FastifyRequest): string {
  const q = parseInput(monthQuerySchema, req.query, 'query');
  return q.month === undefined ? monthOf(new Date()) : parseMonth(q.month);
}

/**
 * `/api/partners` (admin only):
 *
 *   GET    /api/partners                         list (?status, ?tierId, ?type, ?region)
 *   POST   /api/partners                         create (starts the onboarding checklist)
 *   GET    /api/partners/:id                     read           PATCH  /api/partners/:id        change
 *   POST   /api/partners/:id/archive             archive        DELETE /api/partners/:id        delete (refused when referenced)
 *   GET    /api/partners/:id/onboarding          checklist and progress
 *   POST   /api/partners/:id/onboarding          add an item    PUT    /api/partners/:id/onboarding/:item   tick / untick
 *   GET    /api/partners/:id/users               portal users   POST   /api/partners/:id/users  add a portal user
 *   PATCH  /api/partners/:id/users/:userId       change         DELETE /api/partners/:id/users/:userId
 *   GET    /api/partners/:id/scorecard           scorecard and tier recommendation (?month)
 *   GET    /api/scorecards                       every partner's scorecard (?month)
 */
export function partnerRoutes(app: FastifyInstance, s: PartnerServices): void {
  // One encapsulated scope: its admin check runs for these routes only, never on the gateway's hot path.
  void app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => requireAdminCaller(req));
    scope.get('/api/partners', async (req) => ({ data: await s.partners.listPartners(parseInput(listPartnersSchema, req.query, 'query')) }));
    scope.post('/api/partners', async (req, reply) => reply.code(201).send(await s.partners.createPartner(parseInput(createPartnerSchema, req.body))));
    scope.get('/api/partners/:id', async (req) => s.partners.getPartner(idParam(req)));
    scope.patch('/api/partners/:id', async (req) => s.partners.updatePartner(idParam(req), parseInput(updatePartnerSchema, req.body)));
    scope.post('/api/partners/:id/archive', async (req) => s.partners.archivePartner(idParam(req)));
    scope.delete('/api/partners/:id', async (req, reply) => {
      await s.partners.deletePartner(idParam(req));
      return reply.code(204).send();
    });
    scope.get('/api/partners/:id/onboarding', async (req) => s.partners.onboarding(idParam(req)));
    scope.post('/api/partners/:id/onboarding', async (req, reply) => reply.code(201).send(await s.partners.addOnboardingItem(idParam(req), parseInput(addOnboardingItemSchema, req.body))));
    scope.put('/api/partners/:id/onboarding/:item', async (req) => s.partners.tickOnboarding(idParam(req), param(req, 'item'), parseInput(tickOnboardingSchema, req.body).done));
    scope.get('/api/partners/:id/users', async (req) => {
      await s.partners.getPartner(idParam(req));
      return { data: await s.users.listUsers(idParam(req)) };
    });
    scope.post('/api/partners/:id/users', async (req, reply) => reply.code(201).send(await s.users.createUser(idParam(req), parseInput(createPartnerUserSchema, req.body))));
    scope.patch('/api/partners/:id/users/:userId', async (req) => s.users.updateUser(idParam(req), param(req, 'userId'), parseInput(updatePartnerUserSchema, req.body)));
    scope.delete('/api/partners/:id/users/:userId', async (req, reply) => {
      await s.users.deleteUser(idParam(req), param(req, 'userId'));
      return reply.code(204).send();
    });
    scope.get('/api/partners/:id/scorecard', async (req) => s.scorecards.scorecard(idParam(req), monthQuery(req)));
    scope.get('/api/scorecards', async (req) => ({ data: await s.scorecards.scorecards(monthQuery(req)) }));
  });
}
