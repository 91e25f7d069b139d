import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { tierRoutes as api } from '../../shared/contract/partners.js';
import type { PartnerServices } from '../module.js';

/** `/api/tiers` (admin only; contracts in src/shared/contract/partners.ts): partner tiers as data. */
export function tierRoutes(app: FastifyInstance, s: PartnerServices): void {
  route(app, api.list, async () => ({ data: await s.tiers.listTiers() }));
  route(app, api.create, async (req) => s.tiers.createTier(req.body));
  route(app, api.get, async (req) => s.tiers.getTier(req.params.id));
  route(app, api.update, async (req) => s.tiers.updateTier(req.params.id, req.body));
  route(app, api.remove, async (req) => s.tiers.deleteTier(req.params.id));
}
