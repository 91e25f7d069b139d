/**
 * Customer billing from the same ledger: prepaid credits (and, with the lead's part, invoices, tax rates,
 * reconciliation and exports).
 */
export { CreditService, type AddCreditInput, type BillingModeInput, type CreditBalanceView, type CreditEntryView, type CreditServiceOptions } from './credits.js';
export { creditRoutes } from './routes/credits.js';
