import type { FastifyInstance } from 'fastify';
import { route } from '../../server/http/index.js';
import { billingRoutes as api } from '../../shared/contract/billing.js';
import type { CreditService } from '../credits.js';

/** `/api/customers/:id/credits|billing` (contracts in src/shared/contract/billing.ts): prepaid credit and billing mode. */
export function creditRoutes(app: FastifyInstance, credits: CreditService): void {
  route(app, api.credits, async (req) => credits.balance(req.params.id));
  route(app, api.addCredit, async (req) => credits.addCredit(req.params.id, req.body));
  route(app, api.setBillingMode, async (req) => credits.setBillingMode(req.params.id, req.body));
}
