import { billingRoutes, invoiceRoutes } from '../../../src/shared/contract/billing.js';
import { addMonths, monthOf } from '../../../src/shared/month.js';
import { first, step, type DomainSteps } from '../runner.js';

const current = monthOf(new Date());
const last = addMonths(current, -1);
/** Two months back: the demo paid its invoices ten days after the month ended, so these are always paid. */
const paidMonth = addMonths(current, -2);

/**
 * Invoices of the demo workspace: a paid one with its CSV and PDF, the current month's drafts, finalising an
 * ended month again (idempotent), the refusals of paying or voiding a paid invoice, the reconciliation,
 * billed revenue, the accounting export, tax rates and a customer's plan history.
 */
export const billingSteps: DomainSteps = {
  steps: [
    step(invoiceRoutes.list, { input: () => ({ query: { month: paidMonth, status: 'paid' as const } }), save: (a, s) => void ((s.invoiceId = first(a, 'paid invoice').id), (s.invoiceCustomerId = first(a, 'paid invoice').customerId)) }),
    step(invoiceRoutes.get, { input: (s) => ({ params: { id: s.invoiceId! } }) }),
    step(invoiceRoutes.csv, { input: (s) => ({ params: { id: s.invoiceId! } }) }),
    step(invoiceRoutes.pdf, { input: (s) => ({ params: { id: s.invoiceId! }, query: { lang: 'zh' as const } }) }),
    step(invoiceRoutes.list, { input: (s) => ({ query: { customerId: s.invoiceCustomerId! } }), save: (a, s) => void (s.draftInvoiceId = first(a, 'draft invoice').id) }),
    step(invoiceRoutes.get, { input: (s) => ({ params: { id: s.draftInvoiceId! } }) }),
    step(invoiceRoutes.finalize, { input: (s) => ({ body: { month: paidMonth, customerId: s.invoiceCustomerId! } }) }),
    step(invoiceRoutes.pay, { input: (s) => ({ params: { id: s.invoiceId! }, body: {} }), refused: { status: 409, code: 'QD_IMMUTABLE' } }),
    step(invoiceRoutes.void, { input: (s) => ({ params: { id: s.invoiceId! }, body: { reason: 'contract test' } }), refused: { status: 409, code: 'QD_IMMUTABLE' } }),
    step(billingRoutes.reconciliation, { input: () => ({ query: { month: last } }) }),
    step(billingRoutes.revenue, { input: () => ({ query: { from: addMonths(current, -3), to: current } }) }),
    step(billingRoutes.export, { input: () => ({ query: { month: paidMonth } }) }),
    step(billingRoutes.setTaxRate, { input: () => ({ params: { region: 'contract-test' }, body: { rateBps: 0 } }) }),
    step(billingRoutes.taxRates),
    step(billingRoutes.plans, { input: (s) => ({ params: { id: s.customerId! } }) }),
    step(billingRoutes.addPlan, { input: (s) => ({ params: { id: s.customerId! }, body: { planId: s.planId! } }) }),
  ],
};
