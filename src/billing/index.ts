/**
 * Customer billing from the same ledger: prepaid credits and invoices, tax rates, plan history, the reconciliation and exports.
 */
export { CreditService, type AddCreditInput, type BillingModeInput, type CreditBalanceView, type CreditEntryView, type CreditServiceOptions } from './credits.js';
export { creditRoutes } from './routes/credits.js';
export { createBillingServices, type BillingServices, type BillingServicesOptions } from './module.js';
export { InvoiceService, draftId, invoiceNumber, computeMonth, type InvoiceFilter } from './invoice-service.js';
export { BillingService, type BilledRevenue, type CustomerPlan, type TaxRate } from './billing-service.js';
export { computeInvoice, groupBillingRows, isInvoiced, planPeriodsIn, type BillingLedgerRow, type BillingUsageGroup, type ComputedInvoice, type InvoiceInput, type PlanPeriod, type PlanTerms } from './invoice.js';
export { reconcileMonth, type Reconciliation } from './reconciliation.js';
export { roundHalfUp, bpsOf, tokensAt, proRate } from './rounding.js';
export { billingRouteHandlers } from './routes.js';
export { invoiceCsv, invoiceCsvColumns } from './invoice-csv.js';
export { accountingCsv, accountingCsvColumns, exportedStatuses } from './accounting-export.js';
export type { InvoicePdfOptions } from './invoice-pdf.js';
