import { asc, eq } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import { isLowBalance, readCreditBalance } from '../gateway/index.js';
import type { creditBalanceSchema, creditKinds } from '../shared/contract/billing.js';
import { newId, schema, type Store } from '../store/index.js';
import type { z } from 'zod';

/** A customer's credit balance and credit ledger, as `/api/customers/:id/credits` answers it. */
export type CreditBalanceView = Omit<z.infer<typeof creditBalanceSchema>, 'prepaidSince' | 'entries'> & {
  readonly prepaidSince: Date | null;
  readonly entries: readonly CreditEntryView[];
};

/** One credit ledger entry. */
export interface CreditEntryView {
  readonly id: string;
  readonly customerId: string;
  readonly kind: (typeof creditKinds)[number];
  readonly amountMicros: number;
  readonly note: string;
  readonly createdAt: Date;
}

/** What {@link CreditService.addCredit} appends. */
export interface AddCreditInput {
  readonly kind: (typeof creditKinds)[number];
  /** Top-ups and grants are positive; a correction may be negative. Never 0. */
  readonly amountMicros: number;
  readonly note?: string;
}

/** What {@link CreditService.setBillingMode} sets. */
export interface BillingModeInput {
  readonly billingMode: 'postpaid' | 'prepaid';
  /** Omitted: unchanged; null: no low-balance flag. */
  readonly lowBalanceMicros?: number | null;
}

/** Options of {@link CreditService}. */
export interface CreditServiceOptions {
  /**
   * Called after a change the gateway admits by (credit, mode, threshold): this replica's customer cache
   * reloads before the answer and NOTIFYs the others, so a top-up takes effect at once everywhere.
   */
  readonly changed: () => Promise<void>;
  /** Resolves once usage rows this process answered are in the database (the ledger journal drained). */
  readonly ledgerSettled?: () => Promise<void>;
  readonly now?: () => Date;
}

const isCreditKind = (k: string): k is CreditEntryView['kind'] => k === 'topup' || k === 'grant' || k === 'correction';

/**
 * Prepaid credits (OpenRouter style). The credit ledger (`credit_entries`) is append-only; a prepaid
 * customer's balance = Σ entries − Σ ledger price of its usage since it turned prepaid. The gateway admits
 * a prepaid customer's request only while that balance covers the request's maximum price, in the same
 * atomic step as budgets (src/gateway/limits/prepaid.ts), so concurrent requests never overdraw it.
 */
export class CreditService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly options: CreditServiceOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The customer's balance and credit ledger (oldest entry first); QD_NOT_FOUND when there is no such customer. */
  async balance(customerId: string): Promise<CreditBalanceView> {
    await this.options.ledgerSettled?.();
    return this.read(customerId);
  }

  /**
   * The balance as the database has it now. The mutations answer with it without draining the ledger
   * journal first: they run inside the audited transaction, and on PGlite the journal's insert would wait
   * for that transaction.
   */
  private async read(customerId: string): Promise<CreditBalanceView> {
    const read = await readCreditBalance(this.store, customerId);
    if (!read) throw new QudaoError('QD_NOT_FOUND', `no customer ${customerId}`);
    const e = schema.creditEntries;
    const rows = await this.store.db.select().from(e).where(eq(e.customerId, customerId)).orderBy(asc(e.createdAt), asc(e.id));
    const entries = rows.map((r) => ({ id: r.id, customerId: r.customerId, kind: isCreditKind(r.kind) ? r.kind : 'correction', amountMicros: r.amountMicros, note: r.note, createdAt: r.createdAt }));
    return { customerId, ...read, low: read.billingMode === 'prepaid' && isLowBalance(read.balanceMicros, read.lowBalanceMicros), entries };
  }

  /** Appends a top-up, grant or correction and makes every gateway replica admit by the new total. */
  async addCredit(customerId: string, input: AddCreditInput): Promise<CreditBalanceView> {
    if (!Number.isSafeInteger(input.amountMicros) || input.amountMicros === 0) throw new QudaoError('QD_INVALID_REQUEST', 'amountMicros must be a non-zero whole number of micro-units', { param: 'amountMicros' });
    if (input.kind !== 'correction' && input.amountMicros < 0) throw new QudaoError('QD_INVALID_REQUEST', `a ${input.kind} is positive; take credit away with a correction`, { param: 'amountMicros' });
    await this.customer(customerId);
    await this.store.db.insert(schema.creditEntries).values({ id: newId('crd'), customerId, kind: input.kind, amountMicros: input.amountMicros, note: input.note ?? '', createdAt: this.now() });
    await this.options.changed();
    return this.read(customerId);
  }

  /**
   * Switches the customer to prepaid or postpaid and sets its low-balance threshold. Turning prepaid starts
   * the prepaid period (`prepaid_since` = now) unless one has started before: the balance keeps counting
   * from there, so switching back and forth never forgets usage.
   */
  async setBillingMode(customerId: string, input: BillingModeInput): Promise<CreditBalanceView> {
    const customer = await this.customer(customerId);
    const c = schema.customers;
    await this.store.db
      .update(c)
      .set({
        billingMode: input.billingMode,
        ...(input.billingMode === 'prepaid' && customer.prepaidSince === null ? { prepaidSince: this.now() } : {}),
        ...(input.lowBalanceMicros === undefined ? {} : { lowBalanceMicros: input.lowBalanceMicros }),
      })
      .where(eq(c.id, customerId));
    await this.options.changed();
    return this.read(customerId);
  }

  private async customer(customerId: string) {
    const c = schema.customers;
    const [row] = await this.store.db.select({ id: c.id, prepaidSince: c.prepaidSince }).from(c).where(eq(c.id, customerId));
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no customer ${customerId}`);
    return row;
  }
}
