import { z } from 'zod';
import { count, id, listOf, micros, month, signedMicros, timestamp } from './common.js';
import { defineRoute } from './route.js';

/**
 * Customer billing (`/api/invoices`, `/api/billing`, `/api/customers/:id/credits|plans`): invoices per
 * customer and calendar month computed from the usage ledger and the customer's plan history, prepaid
 * credits, tax rates, the reconciliation of invoices with the ledger, the KPIs and the statements.
 * Money is integer micro-units; the rounding rule is one function (src/billing/rounding.ts).
 */

const tag = 'billing';

/** An invoice's life: a draft is computed on demand; a final one is immutable and numbered; then paid or void. */
export const invoiceStatuses = ['draft', 'final', 'paid', 'void'] as const;

/** What a line is: the plan's fee, usage at the plan's prices, the per-request rounding the gateway charged, the value of included tokens, a reseller's discount, or late usage of an earlier month. */
export const invoiceLineKinds = ['fee', 'usage', 'rounding', 'included', 'discount', 'adjustment'] as const;

/** Which tokens a usage line counts: prompt (input), completion (output), or tokens a fine-tuning job trained (training). */
export const tokenKinds = ['input', 'output', 'training'] as const;

/** Who receives the invoice: the end customer, or the reseller partner that sells to it. */
export const billToKinds = ['customer', 'partner'] as const;

/** One invoice line. `amountMicros` is signed: included tokens and discounts are negative. */
export const invoiceLineSchema = z.object({
  kind: z.enum(invoiceLineKinds),
  /** The month the line's usage (or fee) belongs to; an adjustment's is an earlier month than the invoice's. */
  month,
  /** An English description; the dashboard words it from `kind` and the fields below. */
  description: z.string(),
  planId: id.nullable(),
  model: z.string().nullable(),
  tokenKind: z.enum(tokenKinds).nullable(),
  channelId: id.nullable(),
  partnerId: id.nullable(),
  agreementId: id.nullable(),
  /** Tokens (usage, included), requests (rounding, adjustment) or seconds of the month (fee). */
  quantity: count,
  /** Per 1M tokens (usage), the whole month's fee (fee) or basis points (discount); null where none applies. */
  unitPriceMicros: micros.nullable(),
  amountMicros: signedMicros,
  /** The period a fee line covers. */
  periodStart: timestamp.nullable(),
  periodEnd: timestamp.nullable(),
});

/** An invoice line as a type. */
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

/** An invoice (a draft or a stored one) with its lines and totals. */
export const invoiceSchema = z.object({
  /** A final invoice's id (`inv_…`); a draft's is `draft_<month>_<customerId>`. */
  id: z.string(),
  number: z.string().nullable(),
  customerId: id,
  customerName: z.string(),
  month,
  status: z.enum(invoiceStatuses),
  billTo: z.object({ kind: z.enum(billToKinds), partnerId: id.nullable(), name: z.string() }),
  currency: z.string(),
  lines: z.array(invoiceLineSchema),
  /** Σ usage and rounding lines of the invoice's own month = Σ ledger price of the month's rows it covers. */
  usageMicros: signedMicros,
  /** Σ adjustment lines (late usage of earlier months). */
  adjustmentMicros: signedMicros,
  feesMicros: micros,
  /** Σ included and discount lines, as a positive amount taken off. */
  discountMicros: micros,
  /** usage + adjustment + fees − discount: the total before tax and credits. */
  subtotalMicros: signedMicros,
  taxRateBps: count,
  taxMicros: signedMicros,
  /** subtotal + tax. */
  totalMicros: signedMicros,
  /** Prepaid credits that paid for the invoice's usage. */
  creditsMicros: micros,
  /** total − credits. */
  dueMicros: signedMicros,
  includedTokens: count,
  usedTokens: count,
  overageTokens: count,
  /** The highest ledger seq the invoice covers. */
  coveredSeq: count,
  finalizedAt: timestamp.nullable(),
  paidAt: timestamp.nullable(),
  voidedAt: timestamp.nullable(),
  voidReason: z.string().nullable(),
});

/** An invoice as `/api` answers it. */
export type InvoiceAnswer = z.infer<typeof invoiceSchema>;

/** `GET /api/invoices` filters: a month's invoices (the current month by default): stored ones, and drafts for its other customers. */
export const listInvoicesSchema = z
  .object({ month: month.optional(), status: z.enum(invoiceStatuses).optional(), customerId: id.optional(), partnerId: id.optional() })
  .strict();

/** `POST /api/invoices/finalize`: finalise an ended month's invoices (every customer, or one). */
export const finalizeInvoicesSchema = z.object({ month, customerId: id.optional() }).strict();

/** `POST /api/invoices/:id/pay`. */
export const payInvoiceSchema = z.object({ paidAt: timestamp.optional() }).strict();

/** `POST /api/invoices/:id/void`. */
export const voidInvoiceSchema = z.object({ reason: z.string().min(1).max(500) }).strict();

/** `GET /api/invoices/:id/pdf` language. */
export const invoicePdfQuerySchema = z.object({ lang: z.enum(['en', 'zh']).default('en') }).strict();

/** Invoice paths take the invoice id (or a draft id). */
export const invoiceParams = z.object({ id: z.string().min(1).max(200) }).strict();

/** `?month=` of the billing reports. */
export const billingMonthQuerySchema = z.object({ month }).strict();

/** One customer's line of the reconciliation: the same revenue as invoiced, as the ledger has it, as the KPIs and as the statements use it. */
export const reconciliationCustomerSchema = z.object({
  customerId: id,
  /** Σ ledger price of the month's billable rows. */
  ledgerMicros: signedMicros,
  /** The month's usage as invoiced: final invoices' lines of this month plus the draft's. */
  invoicedMicros: signedMicros,
  /** The month's revenue in the KPIs (analytics). */
  kpiMicros: signedMicros,
  /** Of the ledger: rows sold through a partner; and as the month's statements take them. */
  partnerLedgerMicros: signedMicros,
  statementMicros: signedMicros,
  matches: z.boolean(),
});

/** `GET /api/billing/reconciliation`. */
export const reconciliationSchema = z.object({
  month,
  /** Σ final (and paid) invoice subtotals of the month: before tax and credits. */
  invoicedSubtotalMicros: signedMicros,
  /** Σ ledger price of the rows those invoices cover + their fees − their discounts. */
  expectedSubtotalMicros: signedMicros,
  ledgerMicros: signedMicros,
  invoicedUsageMicros: signedMicros,
  kpiMicros: signedMicros,
  statementMicros: signedMicros,
  feesMicros: micros,
  discountMicros: micros,
  finalInvoices: count,
  draftInvoices: count,
  matches: z.boolean(),
  /** Customers whose numbers disagree (empty when `matches`); `customers` lists every customer with usage. */
  mismatches: z.array(reconciliationCustomerSchema),
  customers: z.array(reconciliationCustomerSchema),
});

/** `GET /api/billing/revenue`: billed revenue (invoice subtotals) by month, channel and partner. */
export const billedRevenueQuerySchema = z.object({ from: month.optional(), to: month.optional() }).strict();
export const billedRevenueSchema = z.object({
  months: z.array(month),
  byChannel: z.array(z.object({ month, channelId: id.nullable(), channelName: z.string(), subtotalMicros: signedMicros })),
  byPartner: z.array(z.object({ month, partnerId: id.nullable(), partnerName: z.string(), subtotalMicros: signedMicros })),
});

/** Credit ledger entry kinds: money in (top-up, grant) and corrections (either sign). */
export const creditKinds = ['topup', 'grant', 'correction'] as const;

export const creditEntrySchema = z.object({ id, customerId: id, kind: z.enum(creditKinds), amountMicros: signedMicros, note: z.string(), createdAt: timestamp });

/** `POST /api/customers/:id/credits`: top-ups and grants are positive; a correction may be negative. */
export const addCreditSchema = z.object({ kind: z.enum(creditKinds), amountMicros: signedMicros.refine((v) => v !== 0, 'must not be 0'), note: z.string().max(500).optional() }).strict();

/** A customer's prepaid credit: what was credited, what usage took, and the balance (never below 0). */
export const creditBalanceSchema = z.object({
  customerId: id,
  billingMode: z.enum(['postpaid', 'prepaid']),
  prepaidSince: timestamp.nullable(),
  creditedMicros: signedMicros,
  usedMicros: signedMicros,
  balanceMicros: signedMicros,
  lowBalanceMicros: micros.nullable(),
  low: z.boolean(),
  entries: z.array(creditEntrySchema),
});

/** `PUT /api/customers/:id/billing`: prepaid or postpaid, and the low-balance threshold. */
export const setBillingModeSchema = z.object({ billingMode: z.enum(['postpaid', 'prepaid']), lowBalanceMicros: micros.nullable().optional() }).strict();

/** A customer's plan history entry: the plan applies from `startsAt` until the next entry. */
export const customerPlanSchema = z.object({ id, customerId: id, planId: id, startsAt: timestamp, createdAt: timestamp });
export const addCustomerPlanSchema = z.object({ planId: id, startsAt: timestamp.optional() }).strict();

export const taxRateSchema = z.object({ region: z.string(), rateBps: count, updatedAt: timestamp });
export const setTaxRateSchema = z.object({ rateBps: z.number().int().min(0).max(10_000) }).strict();
export const regionParams = z.object({ region: z.string().min(1).max(80) }).strict();

/** `GET /api/billing/export`: the month's accounting CSV. */
export const exportCsvSchema = z.string();

const customerIdParams = z.object({ id }).strict();

export const invoiceRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/invoices', tag, access: 'admin', summary: "A month's invoices (default the current month): stored ones, and drafts for the other customers", query: listInvoicesSchema, response: { 200: listOf(invoiceSchema) } }),
  get: defineRoute({ method: 'GET', url: '/api/invoices/:id', tag, access: 'admin', summary: 'One invoice with its lines (a final id, or a draft id draft_<month>_<customerId>)', params: invoiceParams, response: { 200: invoiceSchema } }),
  csv: defineRoute({ method: 'GET', url: '/api/invoices/:id/csv', tag, access: 'admin', summary: "An invoice's lines as CSV (exact decimals)", params: invoiceParams, produces: 'text/csv', response: { 200: exportCsvSchema } }),
  pdf: defineRoute({ method: 'GET', url: '/api/invoices/:id/pdf', tag, access: 'admin', summary: 'An invoice as PDF, in English or 简体中文', params: invoiceParams, query: invoicePdfQuerySchema, produces: 'application/pdf', response: { 200: exportCsvSchema } }),
  finalize: defineRoute({ method: 'POST', url: '/api/invoices/finalize', tag, access: 'admin', summary: "Finalise an ended month's invoices (idempotent: final ones are answered as they are)", body: finalizeInvoicesSchema, response: { 200: listOf(invoiceSchema) }, audit: { action: 'invoices.finalize', before: null } }),
  pay: defineRoute({ method: 'POST', url: '/api/invoices/:id/pay', tag, access: 'admin', summary: 'Mark a final invoice paid', params: invoiceParams, body: payInvoiceSchema, response: { 200: invoiceSchema }, audit: { action: 'invoices.pay' } }),
  void: defineRoute({ method: 'POST', url: '/api/invoices/:id/void', tag, access: 'admin', summary: "Void a final invoice (its usage goes on the customer's next invoice)", params: invoiceParams, body: voidInvoiceSchema, response: { 200: invoiceSchema }, audit: { action: 'invoices.void' } }),
};

export const billingRoutes = {
  reconciliation: defineRoute({ method: 'GET', url: '/api/billing/reconciliation', tag, access: 'admin', summary: "A month's invoices against the ledger, the KPIs and the statements, customer by customer", query: billingMonthQuerySchema, response: { 200: reconciliationSchema } }),
  revenue: defineRoute({ method: 'GET', url: '/api/billing/revenue', tag, access: 'admin', summary: 'Billed revenue by month, channel and partner', query: billedRevenueQuerySchema, response: { 200: billedRevenueSchema } }),
  export: defineRoute({ method: 'GET', url: '/api/billing/export', tag, access: 'admin', summary: "The month's accounting export (CSV: invoice number, customer, lines, tax, totals)", query: billingMonthQuerySchema, produces: 'text/csv', response: { 200: exportCsvSchema } }),
  taxRates: defineRoute({ method: 'GET', url: '/api/billing/tax-rates', tag, access: 'admin', summary: 'Tax rates by customer region (a region without one is taxed at 0)', response: { 200: listOf(taxRateSchema) } }),
  setTaxRate: defineRoute({ method: 'PUT', url: '/api/billing/tax-rates/:region', tag, access: 'admin', summary: "Set a region's tax rate (basis points)", params: regionParams, body: setTaxRateSchema, response: { 200: taxRateSchema }, audit: { before: null } }),
  credits: defineRoute({ method: 'GET', url: '/api/customers/:id/credits', tag, access: 'admin', summary: "A customer's prepaid credit balance and credit ledger", params: customerIdParams, response: { 200: creditBalanceSchema } }),
  addCredit: defineRoute({ method: 'POST', url: '/api/customers/:id/credits', tag, access: 'admin', summary: 'Top up, grant or correct prepaid credit', params: customerIdParams, body: addCreditSchema, response: { 201: creditBalanceSchema }, audit: { action: 'credits.add' } }),
  setBillingMode: defineRoute({ method: 'PUT', url: '/api/customers/:id/billing', tag, access: 'admin', summary: 'Prepaid or postpaid, and the low-balance threshold', params: customerIdParams, body: setBillingModeSchema, response: { 200: creditBalanceSchema }, audit: { action: 'credits.mode', before: '/api/customers/:id/credits' } }),
  plans: defineRoute({ method: 'GET', url: '/api/customers/:id/plans', tag, access: 'admin', summary: "A customer's plan history", params: customerIdParams, response: { 200: listOf(customerPlanSchema) } }),
  addPlan: defineRoute({ method: 'POST', url: '/api/customers/:id/plans', tag, access: 'admin', summary: 'Move a customer to a plan from a time (now by default); fees pro-rate', params: customerIdParams, body: addCustomerPlanSchema, response: { 201: customerPlanSchema }, audit: { action: 'customers.plan', before: null } }),
};

/** `/api/portal/invoices`: a reseller partner's invoices for its own customers (a partner session). */
export const portalInvoiceRoutes = {
  list: defineRoute({ method: 'GET', url: '/api/portal/invoices', tag: 'portal', access: 'partner', summary: 'Invoices addressed to the partner for the customers it resells to', query: z.object({ month: month.optional() }).strict(), response: { 200: listOf(invoiceSchema) } }),
  get: defineRoute({ method: 'GET', url: '/api/portal/invoices/:id', tag: 'portal', access: 'partner', summary: "One of the partner's invoices", params: invoiceParams, response: { 200: invoiceSchema } }),
};
