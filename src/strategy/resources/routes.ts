import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import { adminRoutes, parseInput, routeParam } from '../http/request.js';
import { createResourceSchema, grantSchema, listResourcesSchema, sharedQuerySchema } from './requests.js';
import type { ResourceService } from './resource-service.js';

/** The partner whose shared resources are asked for: a partner caller's own, or `?partnerId` for an admin. */
function sharedPartner(req: FastifyRequest): string {
  const p = req.principal;
  if (p?.kind === 'partner') return p.partnerId;
  const q = parseInput(sharedQuerySchema, req.query, 'query');
  if (!q.partnerId) throw new QudaoError('QD_INVALID_REQUEST', 'partnerId: administrators name the partner', { param: 'partnerId' });
  return q.partnerId;
}

/**
 * Resource sharing (admin only, except `/api/resources/shared`).
 *
 *   GET  /api/resources                  ?kind&partnerId → { data: SharedResource[] } (each with grants and deploymentName)
 *   POST /api/resources                  { kind: model|fine_tune|dataset|prompt_pack|document, name, description?, uri?,
 *                                          ownerPartnerId?, deploymentName? } → 201 SharedResource
 *   GET  /api/resources/:id              → SharedResource
 *   POST /api/resources/:id/grants       { partnerId } → 201 ResourceGrant
 *   POST /api/resources/:id/grants/:grantId/revoke → ResourceGrant
 *   GET  /api/resources/shared           (partner session: its own; admin: ?partnerId) → { data: SharedResource[] } owned or granted
 */
export function resourceRoutes(app: FastifyInstance, resources: ResourceService): void {
  adminRoutes(app, (r) => {
    r.get('/api/resources', async (req) => ({ data: await resources.listResources(parseInput(listResourcesSchema, req.query, 'query')) }));
    r.post('/api/resources', async (req, reply) => reply.code(201).send(await resources.createResource(parseInput(createResourceSchema, req.body))));
    r.get('/api/resources/:id', async (req) => resources.getResource(routeParam(req)));
    r.post('/api/resources/:id/grants', async (req, reply) => reply.code(201).send(await resources.grant(routeParam(req), parseInput(grantSchema, req.body).partnerId)));
    r.post('/api/resources/:id/grants/:grantId/revoke', async (req) => resources.revoke(routeParam(req), routeParam(req, 'grantId')));
  });
  app.get('/api/resources/shared', async (req) => {
    const partnerId = sharedPartner(req);
    const data = await resources.listResources({ partnerId });
    // A partner sees its own grants only, not who else holds the resource.
    return { data: data.map((r) => ({ ...r, grants: r.grants.filter((g) => g.partnerId === partnerId) })) };
  });
}
