import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refreshRollups } from '../../src/analytics/index.js';
import { BillingService, computeInvoice, groupBillingRows, InvoiceService, reconcileMonth, type BillingLedgerRow, type PlanTerms } from '../../src/billing/index.js';
import { CustomerPrivacy } from '../../src/customers/index.js';
import { priceOfTokens } from '../../src/gateway/metering/pricing.js';
import { StatementService } from '../../src/partners/index.js';
import { addMonths, monthEnd, monthStart } from '../../src/shared/month.js';
import { newId, rowsOf, schema, type Store } from '../../src/store/index.js';
import { openTestStore, postgresReachable } from '../support/stores.js';

/**
 * The billing invariant over random workspaces (seeded): random ledgers on two plans, mid-month plan changes
 * that pro-rate fees, a reseller with a wholesale discount and a referral partner with a revenue share,
 * months finalised in order (invoices and statements), late usage for finalised months, voided invoices and
 * an erased customer. Checked:
 * - every final invoice equals the pure computation over the raw ledger rows (an independent path: plan and
 *   agreement in force resolved in JS, not SQL);
 * - every billable row is invoiced exactly once: Σ usage and adjustment lines of final invoices + the rows no
 *   final invoice covers = Σ ledger price, customer by customer;
 * - the reconciliation endpoint's computation matches for every month: Σ final subtotals = ledger price
 *   covered + fees − discounts, and the ledger, invoices, KPI rollups and statements agree customer by customer.
 */

const SEED = 20261204;
const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04'] as const;

const workspace = fc.record({
  planA: fc.record({ fee: fc.integer({ min: 0, max: 50_000_000 }), included: fc.integer({ min: 0, max: 30_000 }) }),
  planB: fc.record({ fee: fc.integer({ min: 0, max: 500_000_000 }), included: fc.integer({ min: 0, max: 300_000 }) }),
  discountBps: fc.integer({ min: 1, max: 4_000 }),
  taxBps: fc.integer({ min: 0, max: 2_500 }),
  customers: fc.array(fc.record({ channel: fc.nat(2), startDay: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 4 }),
  months: fc.array(
    fc.record({
      rows: fc.array(fc.record({ customer: fc.nat(3), day: fc.integer({ min: 1, max: 28 }), second: fc.nat(86_399), prompt: fc.nat(40_000), completion: fc.nat(20_000), failed: fc.boolean() }), { maxLength: 12 }),
      planChange: fc.option(fc.record({ customer: fc.nat(3), day: fc.integer({ min: 2, max: 27 }) }), { nil: null }),
      finalize: fc.boolean(),
      late: fc.array(fc.record({ customer: fc.nat(3), monthsBack: fc.integer({ min: 1, max: 2 }), prompt: fc.nat(20_000) }), { maxLength: 3 }),
      voidLatest: fc.option(fc.nat(3), { nil: null }),
    }),
    { minLength: MONTHS.length, maxLength: MONTHS.length },
  ),
  erase: fc.option(fc.nat(3), { nil: null }),
});

type World = typeof workspace extends fc.Arbitrary<infer W> ? W : never;

interface Sim {
  store: Store;
  clock: { now: Date };
  invoices: InvoiceService;
  billing: BillingService;
  statements: StatementService;
  plans: Map<string, PlanTerms>;
  customers: { id: string; keyId: string; channelId: string; partnerId: string | null }[];
  history: Map<string, { planId: string; startsAt: Date }[]>;
  /** Raw rows as the independent path sees them: plan and agreement resolved here, in JS. */
  rows: BillingLedgerRow[];
  resellerId: string;
  agreementId: string;
  discountBps: number;
}

function planAt(sim: Sim, customerId: string, at: Date): string {
  const h = sim.history.get(customerId)!.filter((p) => p.startsAt <= at).sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return h[0]!.planId;
}

async function addRow(sim: Sim, c: Sim['customers'][number], at: Date, prompt: number, completion: number, failed: boolean): Promise<void> {
  const planId = planAt(sim, c.id, at);
  const plan = sim.plans.get(planId)!;
  const price = failed ? 0 : priceOfTokens(prompt, completion, plan.inputPer1mMicros, plan.outputPer1mMicros);
  const [row] = await sim.store.db.insert(schema.usageEvents).values({
    requestId: newId('req'), occurredAt: at, keyId: c.keyId, customerId: c.id, channelId: c.channelId, partnerId: c.partnerId, model: 'qudao-small', endpoint: 'chat',
    promptTokens: failed ? 0 : prompt, completionTokens: failed ? 0 : completion, status: failed ? 'error' : 'ok', httpStatus: failed ? 502 : 200, priceMicros: price, costMicros: Math.floor(price / 3),
  }).returning({ seq: schema.usageEvents.seq });
  const discounted = c.partnerId === sim.resellerId;
  sim.rows.push({
    seq: row!.seq, occurredAt: at, customerId: c.id, planId, model: 'qudao-small', channelId: c.channelId, partnerId: c.partnerId,
    agreementId: discounted ? sim.agreementId : null, discountBps: discounted ? sim.discountBps : 0, promptTokens: failed ? 0 : prompt, completionTokens: failed ? 0 : completion, priceMicros: price,
  });
}

async function setup(store: Store, w: World): Promise<Sim> {
  const clock = { now: new Date('2026-01-01T00:00:00Z') };
  const now = () => clock.now;
  const plans = new Map<string, PlanTerms>([
    ['plan_a', { id: 'plan_a', name: 'A', inputPer1mMicros: 3_000_000, outputPer1mMicros: 9_000_000, monthlyFeeMicros: w.planA.fee, includedTokens: w.planA.included }],
    ['plan_b', { id: 'plan_b', name: 'B', inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000, monthlyFeeMicros: w.planB.fee, includedTokens: w.planB.included }],
  ]);
  for (const p of plans.values()) await store.db.insert(schema.pricePlans).values({ id: p.id, name: p.name, inputPer1mMicros: p.inputPer1mMicros, outputPer1mMicros: p.outputPer1mMicros, monthlyFeeMicros: p.monthlyFeeMicros, includedTokens: p.includedTokens });
  await store.db.insert(schema.partners).values([{ id: 'par_r', name: 'Resale Co', type: 'reseller', region: 'eu' }, { id: 'par_s', name: 'Referral Co', type: 'referral', region: 'eu' }]);
  await store.db.insert(schema.agreements).values([
    { id: 'agr_r', partnerId: 'par_r', discountBps: w.discountBps, revenueShareBps: 0, startsAt: new Date('2025-01-01T00:00:00Z') },
    { id: 'agr_s', partnerId: 'par_s', discountBps: 0, revenueShareBps: 1_500, startsAt: new Date('2025-01-01T00:00:00Z') },
  ]);
  await store.db.insert(schema.channels).values([
    { id: 'ch_direct', name: 'Direct', type: 'direct', defaultPlanId: 'plan_a' },
    { id: 'ch_resale', name: 'Resale', type: 'reseller', ownerPartnerId: 'par_r', marginKind: 'wholesale_discount', marginBps: w.discountBps, defaultPlanId: 'plan_a' },
    { id: 'ch_referral', name: 'Referral', type: 'referral', ownerPartnerId: 'par_s', marginKind: 'revenue_share', marginBps: 1_500, defaultPlanId: 'plan_a' },
  ]);
  await store.db.insert(schema.taxRates).values({ region: 'eu', rateBps: w.taxBps });
  const channels = [{ id: 'ch_direct', partnerId: null }, { id: 'ch_resale', partnerId: 'par_r' }, { id: 'ch_referral', partnerId: 'par_s' }];
  const sim: Sim = {
    store, clock, invoices: new InvoiceService(store, now), billing: new BillingService(store, new InvoiceService(store, now), () => refreshRollups(store), now), statements: new StatementService(store, now),
    plans, customers: [], history: new Map(), rows: [], resellerId: 'par_r', agreementId: 'agr_r', discountBps: w.discountBps,
  };
  for (const [i, c] of w.customers.entries()) {
    const ch = channels[c.channel]!;
    const id = `cus_${i}`;
    const acquiredAt = new Date(Date.UTC(2026, 0, c.startDay, 9));
    await store.db.insert(schema.customers).values({ id, name: `Customer ${i}`, region: 'eu', acquiredChannelId: ch.id, acquiredPartnerId: ch.partnerId, acquiredAt });
    await store.db.insert(schema.apiKeys).values({ id: `key_${i}`, prefix: `sk-${i}`, keyHash: `h${i}`, customerId: id, channelId: ch.id, partnerId: ch.partnerId, planId: 'plan_a' });
    await store.db.insert(schema.customerPlans).values({ id: `cpl_${i}`, customerId: id, planId: 'plan_a', startsAt: acquiredAt });
    sim.history.set(id, [{ planId: 'plan_a', startsAt: acquiredAt }]);
    sim.customers.push({ id, keyId: `key_${i}`, channelId: ch.id, partnerId: ch.partnerId });
  }
  return sim;
}

/** The invoice the pure path computes for a customer and month, given the final invoices so far. */
async function pureInvoice(sim: Sim, customerId: string, month: string, taxBps: number) {
  const finals = rowsOf<{ month: string; covered_seq: unknown }>(await sim.store.db.execute(`SELECT month, covered_seq FROM invoices WHERE customer_id = '${customerId}' AND status IN ('final', 'paid')`)).map((f) => ({ month: f.month, coveredSeq: Number(f.covered_seq) }));
  const cutoff = Math.max(0, ...sim.rows.map((r) => r.seq));
  const groups = groupBillingRows(month, cutoff, sim.rows.filter((r) => r.customerId === customerId), finals);
  const prepaid = 0;
  return computeInvoice({ month, cutoffSeq: cutoff, groups, plans: sim.plans, history: sim.history.get(customerId)!, taxRateBps: taxBps, prepaidUsageMicros: prepaid });
}

async function run(store: Store, w: World): Promise<void> {
  const sim = await setup(store, w);
  for (const [mi, m] of w.months.entries()) {
    const month = MONTHS[mi]!;
    const start = monthStart(month);
    const events: { at: Date; act: () => Promise<void> }[] = [];
    for (const r of m.rows) {
      const c = sim.customers[r.customer % sim.customers.length]!;
      const at = new Date(start.getTime() + ((r.day - 1) * 86_400 + r.second) * 1000);
      if (at < sim.history.get(c.id)![0]!.startsAt) continue;
      events.push({ at, act: () => addRow(sim, c, at, r.prompt, r.completion, r.failed) });
    }
    if (m.planChange) {
      const c = sim.customers[m.planChange.customer % sim.customers.length]!;
      const at = new Date(start.getTime() + (m.planChange.day - 1) * 86_400_000 + 3_600_000);
      if (at > sim.history.get(c.id)![0]!.startsAt) {
        events.push({
          at, act: async () => {
            const to = planAt(sim, c.id, at) === 'plan_a' ? 'plan_b' : 'plan_a';
            sim.clock.now = at;
            await sim.billing.addPlan(c.id, to, at);
            sim.history.get(c.id)!.push({ planId: to, startsAt: at });
          },
        });
      }
    }
    events.sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const e of events) await e.act();

    // The month has ended: late rows for earlier months arrive, then maybe it is finalised, maybe one voided.
    sim.clock.now = new Date(monthEnd(month).getTime() + 2 * 86_400_000);
    for (const l of m.late) {
      const c = sim.customers[l.customer % sim.customers.length]!;
      const lateMonth = addMonths(month, -l.monthsBack);
      const at = new Date(monthStart(lateMonth).getTime() + 20 * 86_400_000);
      if (at >= sim.history.get(c.id)![0]!.startsAt) await addRow(sim, c, at, l.prompt, 0, false);
    }
    if (m.finalize) {
      const expected = new Map<string, Awaited<ReturnType<typeof pureInvoice>>>();
      const before = new Set((await sim.invoices.storedAnswers({ month })).map((i) => i.customerId));
      for (const c of sim.customers) if (!before.has(c.id)) expected.set(c.id, await pureInvoice(sim, c.id, month, w.taxBps));
      const finals = await sim.invoices.finalizeMonth(month);
      // Finalising again changes nothing (idempotent).
      expect((await sim.invoices.finalizeMonth(month)).map((i) => i.number)).toEqual(finals.map((i) => i.number));
      for (const inv of finals) {
        if (before.has(inv.customerId)) continue;
        const pure = expected.get(inv.customerId)!;
        expect({ lines: inv.lines, subtotal: inv.subtotalMicros, tax: inv.taxMicros, total: inv.totalMicros }).toEqual({ lines: pure.lines, subtotal: pure.subtotalMicros, tax: pure.taxMicros, total: pure.totalMicros });
        expect(inv.subtotalMicros).toBe(inv.usageMicros + inv.adjustmentMicros + inv.feesMicros - inv.discountMicros);
      }
      for (const p of ['par_r', 'par_s']) {
        const [s] = await sim.statements.generateMonth(month, [p]);
        await sim.statements.finalizeStatement(s!.id);
      }
      if (m.voidLatest !== null) {
        const c = sim.customers[m.voidLatest % sim.customers.length]!;
        const mine = finals.find((i) => i.customerId === c.id);
        if (mine) await sim.invoices.voidInvoice(mine.id, 'property test');
      }
    }
  }
  if (w.erase !== null) await new CustomerPrivacy(store).erase(sim.customers[w.erase % sim.customers.length]!.id);

  // Every billable row exactly once: on a final invoice, or still to bill.
  const ledger = rowsOf<{ customer_id: string; price: unknown; pending: unknown }>(await store.db.execute(`
    SELECT u.customer_id, sum(u.price_micros) AS price,
           sum(CASE WHEN EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = u.customer_id AND i.status IN ('final', 'paid')
                 AND i.month >= to_char(u.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AND i.covered_seq >= u.seq) THEN 0 ELSE u.price_micros END) AS pending
      FROM usage_events u GROUP BY 1`));
  const invoiced = new Map<string, number>();
  for (const inv of await sim.invoices.storedAnswers({})) {
    if (inv.status === 'void') continue;
    invoiced.set(inv.customerId, (invoiced.get(inv.customerId) ?? 0) + inv.usageMicros + inv.adjustmentMicros);
  }
  for (const l of ledger) expect((invoiced.get(l.customer_id) ?? 0) + Number(l.pending), `customer ${l.customer_id}`).toBe(Number(l.price));

  await refreshRollups(store);
  for (const month of MONTHS) {
    const r = await reconcileMonth(store.db, month);
    expect(r.mismatches, month).toEqual([]);
    expect(r.invoicedSubtotalMicros, month).toBe(r.expectedSubtotalMicros);
    expect(r.matches, month).toBe(true);
  }
}

/** Empties every table but the migrations' record: one migrated store serves every run. */
async function empty(store: Store): Promise<void> {
  const tables = rowsOf<{ tablename: string }>(await store.db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('qudao_migrations', 'audit_log', 'audit_head')"));
  await store.db.execute(`TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`);
}

async function check(kind: 'pglite' | 'postgres', seed: number, numRuns: number): Promise<void> {
  const { store, dispose } = await openTestStore(kind);
  try {
    await fc.assert(
      fc.asyncProperty(workspace, async (w) => {
        await empty(store);
        await run(store, w);
      }),
      { seed, numRuns, endOnFailure: true },
    );
  } finally {
    await dispose();
  }
}

describe('billing reconciles to the micro-unit (property, seeded)', () => {
  it('on PGlite, for random ledgers, plan changes, late usage, voids and erasure', { timeout: 300_000 }, async () => {
    await check('pglite', SEED, Number(process.env.QUDAO_BILLING_RUNS ?? 25));
  });

  it('on PostgreSQL, for random workspaces', { timeout: 300_000 }, async (ctx) => {
    if (!(await postgresReachable())) return ctx.skip();
    await check('postgres', SEED + 1, 10);
  });
});
