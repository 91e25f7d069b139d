import { bigint, index, integer, jsonb, pgTable, text, unique, uniqueIndex } from 'drizzle-orm/pg-core';
import { at, createdAt, micros } from './columns.js';
import { pricePlans } from './channels.js';
import { customers } from './customers.js';

/**
 * A customer's plan history (its subscription): each row applies from `startsAt` until the next row's. The
 * monthly fee and the included tokens of an invoice come from it, pro-rated by the time each plan was in force.
 */
export const customerPlans = pgTable(
  'customer_plans',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    planId: text('plan_id').notNull().references(() => pricePlans.id),
    startsAt: at('starts_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('customer_plans_customer_start').on(t.customerId, t.startsAt)],
);

/** Tax rate per customer region, basis points (a region without a row is taxed at 0). */
export const taxRates = pgTable('tax_rates', {
  region: text('region').primaryKey(),
  rateBps: integer('rate_bps').notNull(),
  updatedAt: at('updated_at').notNull().defaultNow(),
});

/**
 * The prepaid credit ledger: top-ups and grants (positive) and corrections (either sign), append-only. A
 * prepaid customer's balance = Σ entries − Σ ledger price of its usage since `customers.prepaid_since`.
 */
export const creditEntries = pgTable(
  'credit_entries',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    /** `topup`, `grant` or `correction`. */
    kind: text('kind').notNull(),
    amountMicros: micros('amount_micros').notNull(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [index('credit_entries_customer').on(t.customerId, t.createdAt)],
);

/**
 * A final customer invoice of a calendar month: immutable once written (only `status` moves on to `paid` or
 * `void`), numbered without gaps per workspace and year (`INV-2026-000123`, from {@link invoiceCounters}).
 * Drafts are not stored: they are computed from the ledger on demand.
 */
export const invoices = pgTable(
  'invoices',
  {
    id: text('id').primaryKey(),
    customerId: text('customer_id').notNull().references(() => customers.id),
    /** Calendar month `YYYY-MM` (UTC). */
    month: text('month').notNull(),
    /** `final`, `paid` or `void`. */
    status: text('status').notNull().default('final'),
    number: text('number').notNull(),
    /** `customer` (invoiced directly) or `partner` (a reseller invoiced for its customer). */
    billToKind: text('bill_to_kind').notNull(),
    billToPartnerId: text('bill_to_partner_id'),
    currency: text('currency').notNull(),
    subtotalMicros: micros('subtotal_micros').notNull(),
    taxRateBps: integer('tax_rate_bps').notNull(),
    taxMicros: micros('tax_micros').notNull(),
    creditsMicros: micros('credits_micros').notNull(),
    totalMicros: micros('total_micros').notNull(),
    dueMicros: micros('due_micros').notNull(),
    lines: jsonb('lines').notNull().default([]),
    /** The plans' included tokens (pro-rated), the tokens used in the month, and those beyond the allowance. */
    includedTokens: bigint('included_tokens', { mode: 'number' }).notNull().default(0),
    usedTokens: bigint('used_tokens', { mode: 'number' }).notNull().default(0),
    overageTokens: bigint('overage_tokens', { mode: 'number' }).notNull().default(0),
    /** Highest ledger `seq` the invoice covered; later rows of its month go on the next one as adjustments. */
    coveredSeq: bigint('covered_seq', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
    finalizedAt: at('finalized_at').notNull(),
    paidAt: at('paid_at'),
    voidedAt: at('voided_at'),
    voidReason: text('void_reason'),
  },
  (t) => [unique('invoices_customer_month').on(t.customerId, t.month), unique('invoices_number').on(t.number), index('invoices_month').on(t.month, t.status)],
);

/** The last invoice number handed out per year; taken under a row lock in the finalising transaction. */
export const invoiceCounters = pgTable('invoice_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});
