import type { FastifyInstance } from 'fastify';
import { idParam, parseInput, parseMonth, requireAdminCaller } from '../../channels/index.js';
import type { PartnerServices } from '../module.js';
import { generateStatementsSchema, listStatementsSchema } from '../requests.js';

/**
 * `/api/statements` (admin only): monthly revenue-share statements.
 *
 *   GET  /api/statements                 list (?partnerId, ?month, ?status)
 *   POST /api/statements                 compute drafts of a month ({ month, partnerId? })
 *   GET  /api/statements/:id             read with lines      GET /api/statements/:id/csv    CSV export
 *   POST /api/statements/:id/finalize    freeze               DELETE /api/statements/:id     delete a draft
 */
export function statementRoutes(app: FastifyInstance, s: PartnerServices): void {
  // One encapsulated scope: its admin check runs for these routes only, never on the gateway's hot path.
  void app.register(async (scope) => {
    scope.addHook('preHandler', async (req) => requireAdminCaller(req));
    scope.get('/api/statements', async (req) => ({ data: await s.statements.listStatements(parseInput(listStatementsSchema, req.query, 'query')) }));
    scope.post('/api/statements', async (req, reply) => {
      const body = parseInput(generateStatementsSchema, req.body);
      const month = parseMonth(body.month);
      if (body.partnerId) await s.partners.getPartner(body.partnerId);
      const data = await s.statements.generateMonth(month, body.partnerId ? [body.partnerId] : undefined);
      return reply.code(201).send({ data });
    });
    scope.get('/api/statements/:id', async (req) => s.statements.getStatement(idParam(req)));
    scope.get('/api/statements/:id/csv', async (req, reply) => {
      const csv = await s.statements.statementCsv(idParam(req));
      return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${idParam(req)}.csv"`).send(csv);
    });
    scope.post('/api/statements/:id/finalize', async (req) => s.statements.finalizeStatement(idParam(req)));
    scope.delete('/api/statements/:id', async (req, reply) => {
      await s.statements.deleteStatement(idParam(req));
      return reply.code(204).send();
    });
  });
}
