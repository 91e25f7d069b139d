import type { FastifyInstance } from 'fastify';
import { idParam, parseInput, requireAdminCaller } from '../../channels/index.js';
import { QudaoError } from '../../errors/index.js';
import type { PartnerServices } from '../module.js';
import { createAgreementSchema, endAgreementSchema, listAgreementsSchema } from '../requests.js';

/**
 * `/api/agreements` (admin only). Agreements are history: no PATCH, and DELETE is refused.
 *
 *   GET  /api/agreements            list (?partnerId, ?status)   POST /api/agreements    sign (supersedes the current one)
 *   GET  /api/agreements/:id        read                          POST /api/agreements/:id/end   end the current one
 *   DELETE /api/agreements/:id      always QD_IMMUTABLE
 */
export function agreementRoutes(app: FastifyInstance, s: PartnerServices): void {
  // One encapsulated scope: its admin check runs for these routes only, never on the gateway's hot path.
  void app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => requireAdminCaller(req));
    scope.get('/api/agreements', async (req) => ({ data: await s.agreements.listAgreements(parseInput(listAgreementsSchema, req.query, 'query')) }));
    scope.post('/api/agreements', async (req, reply) => reply.code(201).send(await s.agreements.createAgreement(parseInput(createAgreementSchema, req.body))));
    scope.get('/api/agreements/:id', async (req) => s.agreements.getAgreement(idParam(req)));
    scope.post('/api/agreements/:id/end', async (req) => {
      const body = parseInput(endAgreementSchema, req.body);
      return s.agreements.endAgreement(idParam(req), body.endsAt ? new Date(body.endsAt) : undefined);
    });
    scope.delete('/api/agreements/:id', async (req) => {
      await s.agreements.getAgreement(idParam(req));
      throw new QudaoError('QD_IMMUTABLE', 'agreements are history and are never deleted; end it, or sign a new one to supersede it');
    });
  });
}
