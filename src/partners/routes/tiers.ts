import type { FastifyInstance } from 'fastify';
import { idParam, parseInput, requireAdminCaller } from '../../channels/index.js';
import type { PartnerServices } from '../module.js';
import { createTierSchema, updateTierSchema } from '../requests.js';

/**
 * `/api/tiers` (admin only): partner tiers as data.
 *
 *   GET /api/tiers   list      POST /api/tiers         create
 *   GET /api/tiers/:id  read   PATCH /api/tiers/:id    change    DELETE /api/tiers/:id   delete (refused while held)
 */
export function tierRoutes(app: FastifyInstance, s: PartnerServices): void {
  // One encapsulated scope: its admin check runs for these routes only, never on the gateway's hot path.
  void app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => requireAdminCaller(req));
    scope.get('/api/tiers', async () => ({ data: await s.tiers.listTiers() }));
    scope.post('/api/tiers', async (req, reply) => reply.code(201).send(await s.tiers.createTier(parseInput(createTierSchema, req.body))));
    scope.get('/api/tiers/:id', async (req) => s.tiers.getTier(idParam(req)));
    scope.patch('/api/tiers/:id', async (req) => s.tiers.updateTier(idParam(req), parseInput(updateTierSchema, req.body)));
    scope.delete('/api/tiers/:id', async (req, reply) => {
      await s.tiers.deleteTier(idParam(req));
      return reply.code(204).send();
    });
  });
}
