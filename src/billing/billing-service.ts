import { and, asc, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { QudaoError } from '../errors/index.js';
import type { billedRevenueSchema, InvoiceAnswer } from '../shared/contract/billing.js';
import { addMonths, monthEnd, monthOf, type Month } from '../shared/month.js';
import { CACHE_CHANNEL, newId, schema, type Store } from '../store/index.js';
import type { InvoiceService } from './invoice-service.js';
import { requireCustomer } from './invoice-store.js';
import { reconcileMonth, type Reconciliation } from './reconciliation.js';

export type BilledRevenue = z.infer<typeof billedRevenueSchema>;
export type CustomerPlan = typeof schema.customerPlans.$inferSelect;
export type TaxRate = typeof schema.taxRates.$inferSelect;

/** Plan history, tax rates, billed revenue and the reconciliation: the billing facts around the invoices. */
export class BillingService {
  constructor(
    private readonly store: Store,
    private readonly invoices: InvoiceService,
    /** Brings the KPI rollups up to the ledger's end before the reconciliation reads them. */
    private readonly refreshKpis: () => Promise<unknown>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A customer's plan history, oldest first. */
  async plans(customerId: string): Promise<CustomerPlan[]> {
    await requireCustomer(this.store.db, customerId, 'id');
    return this.store.db.select().from(schema.customerPlans).where(eq(schema.customerPlans.customerId, customerId)).orderBy(asc(schema.customerPlans.startsAt));
  }

  /**
   * Moves a customer to a plan from `startsAt` (now by default): the fee pro-rates from then, and the
   * customer's active keys price at the new plan from now on (every replica's gateway reloads). A start
   * inside a month that is already invoiced is QD_IMMUTABLE; one in the future is refused too, because the
   * keys change now.
   */
  async addPlan(customerId: string, planId: string, startsAt?: Date): Promise<CustomerPlan> {
    await requireCustomer(this.store.db, customerId, 'id');
    const [plan] = await this.store.db.select({ id: schema.pricePlans.id }).from(schema.pricePlans).where(eq(schema.pricePlans.id, planId));
    if (!plan) throw new QudaoError('QD_NOT_FOUND', `no plan ${planId}`, { param: 'planId' });
    const at = startsAt ?? this.now();
    if (at.getTime() > this.now().getTime() + 1000) throw new QudaoError('QD_INVALID_REQUEST', 'startsAt: a plan change cannot start in the future (the keys move to the plan now)', { param: 'startsAt' });
    const [latest] = await this.store.db.select({ month: schema.invoices.month, number: schema.invoices.number }).from(schema.invoices)
      .where(eq(schema.invoices.customerId, customerId)).orderBy(desc(schema.invoices.month)).limit(1);
    if (latest && at.getTime() < monthEnd(latest.month).getTime()) {
      throw new QudaoError('QD_IMMUTABLE', `startsAt: ${latest.month} is invoiced (${latest.number}); a plan change can start from ${monthEnd(latest.month).toISOString()}`, { param: 'startsAt' });
    }
    const row = await this.store.db.transaction(async (tx) => {
      const [r] = await tx.insert(schema.customerPlans).values({ id: newId('cpl'), customerId, planId, startsAt: at })
        .onConflictDoUpdate({ target: [schema.customerPlans.customerId, schema.customerPlans.startsAt], set: { planId } }).returning();
      await tx.update(schema.apiKeys).set({ planId }).where(and(eq(schema.apiKeys.customerId, customerId), eq(schema.apiKeys.status, 'active')));
      return r!;
    });
    await this.store.notify(CACHE_CHANNEL, 'plans');
    return row;
  }

  async taxRates(): Promise<TaxRate[]> {
    return this.store.db.select().from(schema.taxRates).orderBy(asc(schema.taxRates.region));
  }

  /** Sets a region's tax rate; it applies to invoices finalised from now on (final ones keep theirs). */
  async setTaxRate(region: string, rateBps: number): Promise<TaxRate> {
    const [row] = await this.store.db.insert(schema.taxRates).values({ region, rateBps }).onConflictDoUpdate({ target: schema.taxRates.region, set: { rateBps, updatedAt: new Date() } }).returning();
    return row!;
  }

  /** The month's reconciliation (see reconcileMonth), with the KPI rollups brought up to date first. */
  async reconciliation(month: Month): Promise<Reconciliation> {
    await this.refreshKpis();
    return reconcileMonth(this.store.db, month);
  }

  /**
   * Billed revenue (invoice subtotals) per month by channel and by partner: final and paid invoices where a
   * month has them, the drafts where it has none yet (the current month). A usage line counts for its row's
   * channel and partner; fees, rounding and included tokens for the customer's acquisition channel and partner.
   */
  async revenue(range: { from?: string | undefined; to?: string | undefined } = {}): Promise<BilledRevenue> {
    const to = range.to ?? monthOf(this.now());
    const from = range.from ?? addMonths(to, -11);
    if (from > to) throw new QudaoError('QD_INVALID_REQUEST', `from: ${from} is after to ${to}`, { param: 'from' });
    const months: Month[] = [];
    for (let m = from; m <= to && months.length < 60; m = addMonths(m, 1)) months.push(m);
    const customers = new Map((await this.store.db.select({ id: schema.customers.id, channelId: schema.customers.acquiredChannelId, partnerId: schema.customers.acquiredPartnerId }).from(schema.customers)).map((c) => [c.id, c]));
    const channelNames = new Map((await this.store.db.select({ id: schema.channels.id, name: schema.channels.name }).from(schema.channels)).map((c) => [c.id, c.name]));
    const partnerNames = new Map((await this.store.db.select({ id: schema.partners.id, name: schema.partners.name }).from(schema.partners)).map((p) => [p.id, p.name]));
    const byChannel = new Map<string, number>();
    const byPartner = new Map<string, number>();
    for (const month of months) {
      const stored = (await this.invoices.storedAnswers({ month })).filter((i) => i.status !== 'void');
      const invoices: InvoiceAnswer[] = stored.length > 0 ? stored : await this.invoices.drafts(month);
      for (const inv of invoices) {
        const c = customers.get(inv.customerId);
        for (const l of inv.lines) {
          const usage = l.kind === 'usage' || l.kind === 'adjustment' || l.kind === 'discount';
          const channelId = (usage ? l.channelId : null) ?? c?.channelId ?? null;
          const partnerId = usage ? l.partnerId : (c?.partnerId ?? null);
          const ck = JSON.stringify([month, channelId]);
          const pk = JSON.stringify([month, partnerId]);
          byChannel.set(ck, (byChannel.get(ck) ?? 0) + l.amountMicros);
          byPartner.set(pk, (byPartner.get(pk) ?? 0) + l.amountMicros);
        }
      }
    }
    return {
      months,
      byChannel: [...byChannel].map(([k, v]) => {
        const [month, channelId] = JSON.parse(k) as [Month, string | null];
        return { month, channelId, channelName: channelId ? (channelNames.get(channelId) ?? channelId) : 'none', subtotalMicros: v };
      }),
      byPartner: [...byPartner].map(([k, v]) => {
        const [month, partnerId] = JSON.parse(k) as [Month, string | null];
        return { month, partnerId, partnerName: partnerId ? (partnerNames.get(partnerId) ?? partnerId) : 'direct', subtotalMicros: v };
      }),
    };
  }

}
