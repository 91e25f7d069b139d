import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { QudaoError } from '../errors/index.js';
import { parseInput, requireAdminCaller, idParam } from '../channels/index.js';
import { schema, type Store } from '../store/index.js';
import type { CustomerService } from './customer-service.js';
import { createCustomerSchema, listCustomersSchema, portalCreateCustomerSchema, updateCustomerSchema } from './requests.js';

/** The partner behind a portal session, or QD_FORBIDDEN. */
function requirePartnerCaller(request: FastifyRequest): string {
  const p = request.principal;
  if (p?.kind !== 'partner') throw new QudaoError('QD_FORBIDDEN', 'this route is for partner users');
  return p.partnerId;
}

/**
 * Customer routes:
 *
 *   GET    /api/customers?status&channelId&partnerId&campaignId&segmentId&q&limit&offset   list (admin) → { data, total }
 *   GET    /api/customers/:id            one customer (admin)
 *   POST   /api/customers                create; `visitorId` links the visitor's touchpoints (admin) → 201
 *   PATCH  /api/customers/:id            change fields (admin)
 *   POST   /api/customers/:id/archive    archive and revoke its keys (admin)
 *   DELETE /api/customers/:id            delete when nothing refers to it, else 409 QD_REFERENCED (admin)
 *   POST   /api/portal/customers         a partner signs up its own customer on a channel it owns (partner) → 201
 */
export function customerRoutes(app: FastifyInstance, customers: CustomerService, store: Store): void {
  app.get('/api/customers', async (req) => {
    requireAdminCaller(req);
    return customers.list(parseInput(listCustomersSchema, req.query, 'query'));
  });
  app.get('/api/customers/:id', async (req) => {
    requireAdminCaller(req);
    return customers.get(idParam(req));
  });
  app.post('/api/customers', async (req, reply) => {
    requireAdminCaller(req);
    return reply.code(201).send(await customers.create(parseInput(createCustomerSchema, req.body)));
  });
  app.patch('/api/customers/:id', async (req) => {
    requireAdminCaller(req);
    return customers.update(idParam(req), parseInput(updateCustomerSchema, req.body));
  });
  app.post('/api/customers/:id/archive', async (req) => {
    requireAdminCaller(req);
    return customers.archive(idParam(req));
  });
  app.delete('/api/customers/:id', async (req, reply) => {
    requireAdminCaller(req);
    await customers.remove(idParam(req));
    return reply.code(204).send();
  });
  app.post('/api/portal/customers', async (req, reply) => {
    const partnerId = requirePartnerCaller(req);
    const { channelId, ...fields } = parseInput(portalCreateCustomerSchema, req.body);
    const channel = await partnerChannel(store, partnerId, channelId);
    const created = await customers.create({ ...fields, acquiredChannelId: channel, acquiredPartnerId: partnerId });
    return reply.code(201).send(created);
  });
}

/** The active channel the partner owns: the one named, or its first; QD_FORBIDDEN / QD_INVALID_REQUEST otherwise. */
async function partnerChannel(store: Store, partnerId: string, channelId: string | undefined): Promise<string> {
  const c = schema.channels;
  const owned = await store.db.select({ id: c.id }).from(c).where(and(eq(c.ownerPartnerId, partnerId), eq(c.status, 'active'))).orderBy(asc(c.name));
  if (channelId) {
    if (!owned.some((o) => o.id === channelId)) throw new QudaoError('QD_FORBIDDEN', `channel ${channelId} is not one of your active channels`, { param: 'channelId' });
    return channelId;
  }
  if (owned.length === 0) throw new QudaoError('QD_INVALID_REQUEST', 'your partner owns no active channel yet; ask your partner manager to create one', { param: 'channelId' });
  return owned[0]!.id;
}
