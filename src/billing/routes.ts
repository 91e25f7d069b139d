import type { FastifyInstance } from 'fastify';
import { partnerOf, route, sendAttachment } from '../server/http/index.js';
import { QudaoError } from '../errors/index.js';
import { billingRoutes as billing, invoiceRoutes as api, portalInvoiceRoutes as portal } from '../shared/contract/billing.js';
import { monthOf } from '../shared/month.js';
import { accountingCsv, exportedStatuses } from './accounting-export.js';
import { invoiceCsv } from './invoice-csv.js';
import type { BillingServices } from './module.js';

/**
 * The PDF renderer, loaded on the first PDF asked for: pdfkit and fontkit cost ~23 MB of RSS when imported
 * (measured with `require('pdfkit')` alone), which an idle server need not carry for a route few calls use.
 */
const renderer = () => import('./invoice-pdf.js');

const fileName = (invoice: { number: string | null; id: string }) => invoice.number ?? invoice.id;

/** `/api/invoices`, `/api/billing`, a customer's plan history, and the portal's invoices (contracts in src/shared/contract/billing.ts). */
export function billingRouteHandlers(app: FastifyInstance, s: BillingServices): void {
  route(app, api.list, async (req) => ({ data: await s.invoices.list(req.query) }));
  route(app, api.get, async (req) => s.invoices.get(req.params.id));
  route(app, api.csv, async (req, reply) => {
    const invoice = await s.invoices.get(req.params.id);
    return sendAttachment(reply, `${fileName(invoice)}.csv`, invoiceCsv(invoice));
  });
  route(app, api.pdf, async (req, reply) => {
    const invoice = await s.invoices.get(req.params.id);
    return sendAttachment(reply, `${fileName(invoice)}${req.query.lang === 'zh' ? '.zh' : ''}.pdf`, await (await renderer()).invoicePdf(invoice, { lang: req.query.lang, workspaceName: await s.invoices.issuerName() }));
  });
  route(app, api.finalize, async (req) => ({ data: await s.invoices.finalizeMonth(req.body.month, req.body.customerId) }));
  route(app, api.pay, async (req) => s.invoices.markPaid(req.params.id, req.body.paidAt ? new Date(req.body.paidAt) : undefined));
  route(app, api.void, async (req) => s.invoices.voidInvoice(req.params.id, req.body.reason));

  route(app, billing.reconciliation, async (req) => s.billing.reconciliation(req.query.month));
  route(app, billing.revenue, async (req) => s.billing.revenue(req.query));
  route(app, billing.export, async (req, reply) => {
    const invoices = (await s.invoices.storedAnswers({ month: req.query.month })).filter((i) => exportedStatuses.includes(i.status));
    return sendAttachment(reply, `invoices-${req.query.month}.csv`, accountingCsv(req.query.month, invoices));
  });
  route(app, billing.taxRates, async () => ({ data: await s.billing.taxRates() }));
  route(app, billing.setTaxRate, async (req) => s.billing.setTaxRate(req.params.region, req.body.rateBps));
  route(app, billing.plans, async (req) => ({ data: await s.billing.plans(req.params.id) }));
  route(app, billing.addPlan, async (req) => s.billing.addPlan(req.params.id, req.body.planId, req.body.startsAt ? new Date(req.body.startsAt) : undefined));

  // The portal: invoices addressed to the caller's partner (it resells to these customers); any other is 404.
  route(app, portal.list, async (req) => ({ data: await s.invoices.list({ partnerId: partnerOf(req).partnerId, month: req.query.month ?? monthOf(new Date()) }) }));
  route(app, portal.get, async (req) => {
    const invoice = await s.invoices.get(req.params.id).catch(() => undefined);
    if (!invoice || invoice.billTo.partnerId !== partnerOf(req).partnerId) throw new QudaoError('QD_NOT_FOUND', `no invoice ${req.params.id}`, { param: 'id' });
    return invoice;
  });
}
