import type { FastifyInstance } from 'fastify';
import { route, sendAttachment } from '../../server/http/index.js';
import { statementRoutes as api } from '../../shared/contract/partners.js';
import type { PartnerServices } from '../module.js';

/** `/api/statements` (admin only; contracts in src/shared/contract/partners.ts): monthly revenue-share statements. */
export function statementRoutes(app: FastifyInstance, s: PartnerServices): void {
  route(app, api.list, async (req) => ({ data: await s.statements.listStatements(req.query) }));
  route(app, api.generate, async (req) => {
    const { month, partnerId } = req.body;
    if (partnerId) await s.partners.getPartner(partnerId);
    return { data: await s.statements.generateMonth(month, partnerId ? [partnerId] : undefined) };
  });
  route(app, api.get, async (req) => s.statements.getStatement(req.params.id));
  route(app, api.csv, async (req, reply) => sendAttachment(reply, `${req.params.id}.csv`, await s.statements.statementCsv(req.params.id)));
  route(app, api.finalize, async (req) => s.statements.finalizeStatement(req.params.id));
  route(app, api.remove, async (req) => s.statements.deleteStatement(req.params.id));
}
