import type { FastifyInstance } from 'fastify';
import { adminRoutes, parseInput, routeParam } from '../http/request.js';
import { resolveWindow } from '../http/window.js';
import type { EcosystemService } from './ecosystem-service.js';
import { createRelationSchema, ecosystemQuerySchema, listRelationsSchema } from './requests.js';

/**
 * Ecosystem synergy (admin only).
 *
 *   GET    /api/partner-relations      ?partnerId&kind → { data: PartnerRelation[] }
 *   POST   /api/partner-relations      { fromPartnerId, toPartnerId, kind: referral|co_selling|integration|resells_for } → 201 PartnerRelation
 *   DELETE /api/partner-relations/:id  → 204
 *   GET    /api/ecosystem              ?from&to → EcosystemGraph { nodes (sourced/influenced revenue per partner),
 *                                       edges (relations with revenueMicros along them), totalRevenueMicros,
 *                                       partnerSourcedRevenueMicros, partnerInfluencedRevenueMicros }
 */
export function ecosystemRoutes(app: FastifyInstance, ecosystem: EcosystemService): void {
  adminRoutes(app, (r) => {
    r.get('/api/partner-relations', async (req) => ({ data: await ecosystem.listRelations(parseInput(listRelationsSchema, req.query, 'query')) }));
    r.post('/api/partner-relations', async (req, reply) => reply.code(201).send(await ecosystem.createRelation(parseInput(createRelationSchema, req.body))));
    r.delete('/api/partner-relations/:id', async (req, reply) => {
      await ecosystem.deleteRelation(routeParam(req));
      return reply.code(204).send();
    });
    r.get('/api/ecosystem', async (req) => ecosystem.graph(resolveWindow(parseInput(ecosystemQuerySchema, req.query, 'query'))));
  });
}
