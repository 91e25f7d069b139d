import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { QudaoError } from '../errors/index.js';
import type { InvoiceAnswer, InvoiceLine } from '../shared/contract/billing.js';
import { monthEnd, monthOf, type Month } from '../shared/month.js';
import { newId, rowsOf, schema, type Database, type Store } from '../store/index.js';
import { computeInvoice, planPeriodsIn, type ComputedInvoice } from './invoice.js';
import { ledgerTop, loadCustomers, loadHistories, loadPlans, loadUsage, requireCustomer, workspaceCurrency, workspaceName, type BillingCustomer } from './invoice-store.js';

type InvoiceRow = typeof schema.invoices.$inferSelect;

/** `draft_<month>_<customerId>`: the id of a draft, which is computed, never stored. */
export const draftId = (month: Month, customerId: string) => `draft_${month}_${customerId}`;
const DRAFT_ID = /^draft_(\d{4}-\d{2})_(.+)$/;

/** `INV-2026-000123`: the workspace's gapless number of a final invoice (per year of the invoice's month). */
export const invoiceNumber = (year: number, n: number) => `INV-${year}-${String(n).padStart(6, '0')}`;

/** Filters of {@link InvoiceService.list}. */
export interface InvoiceFilter {
  readonly month?: string | undefined;
  readonly status?: InvoiceAnswer['status'] | undefined;
  readonly customerId?: string | undefined;
  /** Invoices addressed to this reseller partner. */
  readonly partnerId?: string | undefined;
}

/**
 * Customer invoices: drafts computed from the ledger on demand, final invoices frozen and numbered without
 * gaps, then paid or void. Finalising a month is one transaction that serialises on the year's number
 * counter, so running it twice, or from two replicas at once, makes each invoice once (and the unique
 * `(customer_id, month)` and `number` constraints would refuse a second one anyway).
 */
export class InvoiceService {
  constructor(
    private readonly store: Store,
    /** The clock that says whether a month has ended; tests pass a fixed one. */
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A month's invoices (the current month by default): its stored ones, and drafts for its other customers. */
  async list(filter: InvoiceFilter = {}): Promise<InvoiceAnswer[]> {
    const month = filter.month ?? monthOf(this.now());
    const stored = await this.storedAnswers({ ...filter, month });
    const drafts = filter.status && filter.status !== 'draft' ? [] : await this.drafts(month, filter.customerId ? [filter.customerId] : undefined);
    const all = [...stored, ...drafts.filter((d) => !filter.partnerId || d.billTo.partnerId === filter.partnerId)];
    return all
      .filter((i) => !filter.status || i.status === filter.status)
      .sort((a, b) => (a.month !== b.month ? (a.month < b.month ? 1 : -1) : a.customerName.localeCompare(b.customerName) || a.customerId.localeCompare(b.customerId)));
  }

  /** One invoice: a final id (`inv_…`) or a draft id; a draft of a month already final answers the final one. */
  async get(id: string): Promise<InvoiceAnswer> {
    const draft = DRAFT_ID.exec(id);
    if (draft) {
      const [month, customerId] = [draft[1]!, draft[2]!];
      const [stored] = await this.storedAnswers({ month, customerId });
      if (stored) return stored;
      const [computed] = await this.drafts(month, [customerId], true);
      if (!computed) throw new QudaoError('QD_NOT_FOUND', `no customer ${customerId}`, { param: 'id' });
      return computed;
    }
    const [row] = await this.storedAnswers({ id });
    if (!row) throw new QudaoError('QD_NOT_FOUND', `no invoice ${id}`, { param: 'id' });
    return row;
  }

  /**
   * Finalises the invoices of an ended month (every customer with something to bill, or the one named):
   * recomputed at the ledger's end, frozen and numbered. Idempotent: a customer whose invoice of the month
   * is already stored keeps it. The ledger is locked against inserts for the moment of the computation, so
   * no row with a seq below the covered seq can commit later (as statements do).
   */
  async finalizeMonth(month: Month, customerId?: string): Promise<InvoiceAnswer[]> {
    const ends = monthEnd(month);
    if (this.now().getTime() < ends.getTime()) {
      throw new QudaoError('QD_MONTH_NOT_ENDED', `${month} has not ended; its invoices can be finalised from ${ends.toISOString()} (the drafts are recomputed meanwhile)`, { param: 'month' });
    }
    if (customerId) await requireCustomer(this.store.db, customerId, 'customerId');
    const year = Number(month.slice(0, 4));
    await this.store.db.transaction(async (tx) => {
      // The year's counter row is the lock every finaliser takes first: one at a time, workspace-wide.
      await tx.execute(sql`INSERT INTO invoice_counters (year, last) VALUES (${year}, 0) ON CONFLICT (year) DO NOTHING`);
      const [counter] = rowsOf<{ last: unknown }>(await tx.execute(sql`SELECT last FROM invoice_counters WHERE year = ${year} FOR UPDATE`));
      let last = Number(counter?.last ?? 0);
      await tx.execute(sql`LOCK TABLE usage_events IN SHARE MODE`);
      const done = new Set((await tx.select({ c: schema.invoices.customerId }).from(schema.invoices).where(eq(schema.invoices.month, month))).map((r) => r.c));
      const computed = await computeMonth(tx, month, customerId ? [customerId] : undefined, this.now());
      const finalizedAt = this.now();
      const currency = await workspaceCurrency(tx);
      for (const [c, invoice] of [...computed].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (done.has(c.id)) continue;
        last += 1;
        await tx.insert(schema.invoices).values({
          id: newId('inv'), customerId: c.id, month, status: 'final', number: invoiceNumber(year, last),
          billToKind: c.resellerId ? 'partner' : 'customer', billToPartnerId: c.resellerId, currency,
          subtotalMicros: invoice.subtotalMicros, taxRateBps: invoice.taxRateBps, taxMicros: invoice.taxMicros, creditsMicros: invoice.creditsMicros,
          totalMicros: invoice.totalMicros, dueMicros: invoice.dueMicros, lines: invoice.lines, includedTokens: invoice.includedTokens, usedTokens: invoice.usedTokens, overageTokens: invoice.overageTokens, coveredSeq: invoice.coveredSeq, finalizedAt,
        });
      }
      await tx.execute(sql`UPDATE invoice_counters SET last = ${last} WHERE year = ${year}`);
    });
    return this.storedAnswers({ month, ...(customerId ? { customerId } : {}) });
  }

  /** Marks a final invoice paid (at `paidAt`, default now). */
  async markPaid(id: string, paidAt?: Date): Promise<InvoiceAnswer> {
    const row = await this.storedRow(id);
    if (row.status !== 'final') throw new QudaoError('QD_IMMUTABLE', `invoice ${row.number} is ${row.status}; only a final invoice can be marked paid`, { param: 'id' });
    await this.store.db.update(schema.invoices).set({ status: 'paid', paidAt: paidAt ?? this.now() }).where(and(eq(schema.invoices.id, row.id), eq(schema.invoices.status, 'final')));
    return this.get(row.id);
  }

  /** Marks every final invoice of a month paid at `paidAt` (one statement; the demo pays its history so). */
  async markMonthPaid(month: Month, paidAt: Date): Promise<void> {
    await this.store.db.update(schema.invoices).set({ status: 'paid', paidAt }).where(and(eq(schema.invoices.month, month), eq(schema.invoices.status, 'final')));
  }

  /**
   * Voids a final (unpaid) invoice. Its usage is no longer settled, so it goes on the customer's next invoice
   * as adjustment lines; its fees are not billed again. Only the customer's latest invoice may be voided: a
   * later final invoice was computed without the voided one's rows and would leave them unbilled.
   */
  async voidInvoice(id: string, reason: string): Promise<InvoiceAnswer> {
    const row = await this.storedRow(id);
    if (row.status !== 'final') throw new QudaoError('QD_IMMUTABLE', `invoice ${row.number} is ${row.status}; only a final, unpaid invoice can be voided`, { param: 'id' });
    const [later] = await this.store.db.select({ number: schema.invoices.number }).from(schema.invoices)
      .where(and(eq(schema.invoices.customerId, row.customerId), sql`${schema.invoices.month} > ${row.month}`, inArray(schema.invoices.status, ['final', 'paid'])));
    if (later) throw new QudaoError('QD_CONFLICT', `invoice ${later.number} of a later month covers after ${row.number}; void that one first`, { param: 'id' });
    await this.store.db.update(schema.invoices).set({ status: 'void', voidedAt: this.now(), voidReason: reason }).where(and(eq(schema.invoices.id, row.id), eq(schema.invoices.status, 'final')));
    return this.get(row.id);
  }

  /** Drafts of a month for its customers without a stored invoice (or the ones named; `always` even with nothing to bill). */
  async drafts(month: Month, customerIds?: readonly string[], always = false): Promise<InvoiceAnswer[]> {
    return this.store.db.transaction(async (tx) => {
      const storedFor = new Set((await tx.select({ c: schema.invoices.customerId }).from(schema.invoices).where(eq(schema.invoices.month, month))).map((r) => r.c));
      const ids = customerIds?.filter((c) => !storedFor.has(c));
      const computed = await computeMonth(tx, month, ids, this.now(), always);
      const currency = await workspaceCurrency(tx);
      return [...computed].filter(([c]) => !storedFor.has(c.id)).map(([c, inv]) => draftAnswer(c, inv, currency));
    });
  }

  /** Stored invoices as answers, with the customer's (current, possibly erased) name and the reseller's. */
  async storedAnswers(filter: InvoiceFilter & { id?: string }): Promise<InvoiceAnswer[]> {
    const i = schema.invoices;
    const where: SQL[] = [];
    if (filter.id) where.push(eq(i.id, filter.id));
    if (filter.month) where.push(eq(i.month, filter.month));
    if (filter.status && filter.status !== 'draft') where.push(eq(i.status, filter.status));
    if (filter.status === 'draft') return [];
    if (filter.customerId) where.push(eq(i.customerId, filter.customerId));
    if (filter.partnerId) where.push(eq(i.billToPartnerId, filter.partnerId));
    const rows = await this.store.db
      .select({ inv: i, customerName: schema.customers.name, partnerName: schema.partners.name })
      .from(i)
      .innerJoin(schema.customers, eq(schema.customers.id, i.customerId))
      .leftJoin(schema.partners, eq(schema.partners.id, i.billToPartnerId))
      .where(and(...where))
      .orderBy(desc(i.month), asc(i.number));
    return rows.map((r) => storedAnswer(r.inv, r.customerName, r.partnerName));
  }

  /** The name the workspace issues invoices under. */
  issuerName(): Promise<string> {
    return workspaceName(this.store.db);
  }

  private async storedRow(id: string): Promise<InvoiceRow> {
    const [row] = await this.store.db.select().from(schema.invoices).where(eq(schema.invoices.id, id));
    if (!row) throw new QudaoError('QD_NOT_FOUND', DRAFT_ID.test(id) ? `${id} is a draft; finalise its month first` : `no invoice ${id}`, { param: 'id' });
    return row;
  }

}

/**
 * Computes the month's invoice of every customer with something to bill — unsettled usage up to the
 * ledger's end, or a plan fee in force during the month — or of the customers named.
 */
export async function computeMonth(db: Database, month: Month, customerIds: readonly string[] | undefined, now: Date, always = false): Promise<Map<BillingCustomer, ComputedInvoice>> {
  const cutoffSeq = await ledgerTop(db);
  const [usage, histories, plans, customers] = [
    await loadUsage(db, month, cutoffSeq, customerIds),
    await loadHistories(db, month, customerIds),
    await loadPlans(db),
    await loadCustomers(db, customerIds),
  ];
  const out = new Map<BillingCustomer, ComputedInvoice>();
  for (const c of customers.values()) {
    const u = usage.get(c.id);
    const history = histories.get(c.id) ?? [];
    // An archived customer pays no fee for months after the current one's start; its late usage is still billed.
    const endsAt = c.status === 'archived' ? new Date(Math.min(now.getTime(), monthEnd(month).getTime())) : null;
    const hasFee = planPeriodsIn(month, history, endsAt).some((p) => (plans.get(p.planId)?.monthlyFeeMicros ?? 0) > 0);
    if (!u && !hasFee && !always) continue;
    if (c.acquiredAt >= monthEnd(month) && !u && !always) continue;
    out.set(c, computeInvoice({ month, cutoffSeq, groups: u?.groups ?? [], plans, history, endsAt, taxRateBps: c.taxRateBps, prepaidUsageMicros: u?.prepaidMicros ?? 0 }));
  }
  return out;
}

function draftAnswer(c: BillingCustomer, inv: ComputedInvoice, currency: string): InvoiceAnswer {
  return {
    id: draftId(inv.month, c.id), number: null, customerId: c.id, customerName: c.name, month: inv.month, status: 'draft',
    billTo: c.resellerId ? { kind: 'partner', partnerId: c.resellerId, name: c.resellerName ?? c.resellerId } : { kind: 'customer', partnerId: null, name: c.name },
    currency, lines: inv.lines, usageMicros: inv.usageMicros, adjustmentMicros: inv.adjustmentMicros, feesMicros: inv.feesMicros, discountMicros: inv.discountMicros,
    subtotalMicros: inv.subtotalMicros, taxRateBps: inv.taxRateBps, taxMicros: inv.taxMicros, totalMicros: inv.totalMicros, creditsMicros: inv.creditsMicros, dueMicros: inv.dueMicros,
    includedTokens: inv.includedTokens, usedTokens: inv.usedTokens, overageTokens: inv.overageTokens, coveredSeq: inv.coveredSeq,
    finalizedAt: null, paidAt: null, voidedAt: null, voidReason: null,
  };
}

/** The parts of a stored invoice's subtotal, summed from its lines (the stored subtotal is their sum). */
function sums(lines: readonly InvoiceLine[], month: Month) {
  const sum = (f: (l: InvoiceLine) => boolean) => lines.filter(f).reduce((s, l) => s + l.amountMicros, 0);
  return {
    usageMicros: sum((l) => (l.kind === 'usage' || l.kind === 'rounding') && l.month === month),
    adjustmentMicros: sum((l) => l.kind === 'adjustment'),
    feesMicros: sum((l) => l.kind === 'fee'),
    discountMicros: -sum((l) => l.kind === 'included' || l.kind === 'discount'),
  };
}

function storedAnswer(row: InvoiceRow, customerName: string, partnerName: string | null): InvoiceAnswer {
  const lines = row.lines as InvoiceLine[];
  const s = sums(lines, row.month);
  return {
    id: row.id, number: row.number, customerId: row.customerId, customerName, month: row.month, status: row.status as InvoiceAnswer['status'],
    billTo: row.billToKind === 'partner' ? { kind: 'partner', partnerId: row.billToPartnerId, name: partnerName ?? row.billToPartnerId ?? '' } : { kind: 'customer', partnerId: null, name: customerName },
    currency: row.currency, lines, usageMicros: s.usageMicros, adjustmentMicros: s.adjustmentMicros, feesMicros: s.feesMicros, discountMicros: s.discountMicros,
    subtotalMicros: row.subtotalMicros, taxRateBps: row.taxRateBps, taxMicros: row.taxMicros, totalMicros: row.totalMicros, creditsMicros: row.creditsMicros, dueMicros: row.dueMicros,
    includedTokens: row.includedTokens, usedTokens: row.usedTokens, overageTokens: row.overageTokens, coveredSeq: row.coveredSeq,
    finalizedAt: row.finalizedAt.toISOString(), paidAt: row.paidAt?.toISOString() ?? null, voidedAt: row.voidedAt?.toISOString() ?? null, voidReason: row.voidReason,
  };
}
