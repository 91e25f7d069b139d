import type { FastifyInstance } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import { route } from '../../server/http/index.js';
import { resourceRoutes as api } from '../../shared/contract/strategy/resources.js';
import type { ResourceService } from './resource-service.js';

/**
 * Resource sharing (contracts in src/shared/contract/strategy/resources.ts): admin routes, and
 * `/api/resources/shared`, where a partner session sees its own and an admin names `?partnerId`.
 */
export function resourceRoutes(app: FastifyInstance, resources: ResourceService): void {
  route(app, api.listResources, async (req) => ({ data: await resources.listResources(req.query) }));
  route(app, api.createResource, async (req) => resources.createResource(req.body));
  route(app, api.getResource, async (req) => resources.getResource(req.params.id));
  route(app, api.grantResource, async (req) => resources.grant(req.params.id, req.body.partnerId));
  route(app, api.revokeGrant, async (req) => resources.revoke(req.params.id, req.params.grantId));
  route(app, api.sharedResources, async (req) => {
    const p = req.principal;
    const partnerId = p?.kind === 'partner' ? p.partnerId : req.query.partnerId;
    if (!partnerId) throw new QudaoError('QD_INVALID_REQUEST', 'partnerId: administrators name the partner', { param: 'partnerId' });
    const data = await resources.listResources({ partnerId });
    // A partner sees its own grants only, not who else holds the resource.
    return { data: data.map((r) => ({ ...r, grants: r.grants.filter((g) => g.partnerId === partnerId) })) };
  });
}
