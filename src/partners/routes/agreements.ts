import type { FastifyInstance } from 'fastify';
import { QudaoError } from '../../errors/index.js';
import { route } from '../../server/http/index.js';
import { agreementRoutes as api } from '../../shared/contract/partners.js';
import type { PartnerServices } from '../module.js';

/**
 * `/api/agreements` (admin only; contracts in src/shared/contract/partners.ts). Agreements are history: no
 * PATCH, and DELETE is refused.
 */
export function agreementRoutes(app: FastifyInstance, s: PartnerServices): void {
  route(app, api.list, async (req) => ({ data: await s.agreements.listAgreements(req.query) }));
  route(app, api.create, async (req) => s.agreements.createAgreement(req.body));
  route(app, api.get, async (req) => s.agreements.getAgreement(req.params.id));
  route(app, api.end, async (req) => s.agreements.endAgreement(req.params.id, req.body.endsAt ? new Date(req.body.endsAt) : undefined));
  route(app, api.remove, async (req) => {
    await s.agreements.getAgreement(req.params.id);
    throw new QudaoError('QD_IMMUTABLE', 'agreements are history and are never deleted; end it, or sign a new one to supersede it');
  });
}
