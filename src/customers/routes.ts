import { and, asc, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { QudaoError } from '../errors/index.js';
import { partnerOf, route } from '../server/http/index.js';
import { customerRoutes as api } from '../shared/contract/customers.js';
import { schema, type Store } from '../store/index.js';
import type { CustomerService } from './customer-service.js';
import type { CustomerPrivacy } from './privacy/index.js';

/** The customer routes (contracts in src/shared/contract/customers.ts): admin CRUD, data export and erasure, and a partner's own signups. */
export function customerRoutes(app: FastifyInstance, customers: CustomerService, store: Store, privacy: CustomerPrivacy): void {
  route(app, api.list, async (req) => customers.list(req.query));
  route(app, api.get, async (req) => customers.get(req.params.id));
  route(app, api.create, async (req) => customers.create(req.body));
  route(app, api.update, async (req) => customers.update(req.params.id, req.body));
  route(app, api.archive, async (req) => customers.archive(req.params.id));
  route(app, api.remove, async (req) => customers.remove(req.params.id));
  route(app, api.exportData, async (req) => privacy.exportData(req.params.id));
  route(app, api.erase, async (req) => privacy.erase(req.params.id));
  route(app, api.portalCreate, async (req) => {
    const { partnerId } = partnerOf(req);
    const { channelId, ...fields } = req.body;
    const channel = await partnerChannel(store, partnerId, channelId);
    return customers.create({ ...fields, acquiredChannelId: channel, acquiredPartnerId: partnerId });
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
