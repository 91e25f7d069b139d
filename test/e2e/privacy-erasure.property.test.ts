import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newId, schema } from '../../src/store/index.js';
import { startTestApp } from '../support/cli.js';
import { dumpDatabase, tablesContaining } from '../support/database-dump.js';
import { appendUsage } from '../support/partners.js';

const SEED = 20261203;
const MONTHS = ['2025-01', '2025-02', '2025-03'] as const;

/** A random workspace: customers of two partners and two channels, a random ledger, and whom to erase. */
const world = fc.record({
  customers: fc.array(fc.record({ partner: fc.nat(1), channel: fc.nat(1), withVisitor: fc.boolean(), keys: fc.nat(2) }), { minLength: 2, maxLength: 6 }),
  rows: fc.array(fc.record({ customer: fc.nat(5), partner: fc.option(fc.nat(1), { nil: null }), channel: fc.nat(1), month: fc.nat(MONTHS.length - 1), day: fc.integer({ min: 1, max: 28 }), priceMicros: fc.integer({ min: 0, max: 9_000_000 }), tokens: fc.integer({ min: 0, max: 5_000 }), failed: fc.boolean() }), { minLength: 1, maxLength: 40 }),
  erase: fc.uniqueArray(fc.nat(5), { minLength: 1, maxLength: 3 }),
  finalizeFirstMonth: fc.boolean(),
});

/**
 * Erasure keeps reconciliation exact, for any ledger: after erasing random customers, the ledger's totals
 * rows and its totals per month × partner × channel, the rollups (refreshed again), and every statement (drafts recomputed,
 * finals untouched) are what they were — and no personal field of an erased customer is left in any table.
 */
describe('erasure keeps every total exact and leaves no personal field (property, seeded)', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startTestApp();
  }, 60_000);
  afterAll(async () => running?.stop());

  async function snapshot(partnerIds: string[]) {
    const { store } = running.services;
    const totals = await store.query("SELECT to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, partner_id, channel_id, count(*)::int AS n, sum(prompt_tokens)::text AS tokens, sum(price_micros)::text AS price, sum(cost_micros)::text AS cost FROM usage_events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3");
    const rollups = [await store.query('SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6'), await store.query('SELECT * FROM customer_months ORDER BY 1, 2')];
    const statements = await store.query('SELECT id, partner_id, month, status, revenue_micros, share_micros, adjustment_micros, lines FROM statements WHERE partner_id = ANY($1) ORDER BY partner_id, month', [partnerIds]);
    // Every ledger row as well: its ids, counts and amounts are kept exactly, not only their sums.
    const ledger = await store.query('SELECT * FROM usage_events ORDER BY seq');
    return { ledger: JSON.stringify(ledger), totals: JSON.stringify(totals), usageDaily: JSON.stringify(rollups[0]), customerMonths: JSON.stringify(rollups[1]), statements: JSON.stringify(statements) };
  }

  it('for random ledgers and random erasures', async () => {
    const { store } = running.services;
    const { customers, customerPrivacy, gateway, analytics, partners: partnerServices } = running.services;
    const [plan] = await store.db.insert(schema.pricePlans).values({ id: newId('plan'), name: `p-${newId('n')}`, inputPer1mMicros: 1, outputPer1mMicros: 1 }).returning();
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const run = newId('run');
        const partnerIds: string[] = [];
        for (let i = 0; i < 2; i++) {
          const p = await partnerServices!.partners.createPartner({ name: `Partner ${run} ${i}`, type: 'reseller', region: 'eu', segments: [], certifiedStaff: 0 });
          await partnerServices!.agreements.createAgreement({ partnerId: p.id, revenueShareBps: 1000 + 2000 * i, discountBps: 0, minCommitMicros: 0, monthlyTokenQuota: null, sla: {}, startsAt: '2024-12-01T00:00:00Z' });
          partnerIds.push(p.id);
        }
        const channelIds = [`chn_${run}_0`, `chn_${run}_1`];
        await store.db.insert(schema.channels).values(channelIds.map((id) => ({ id, name: id, type: 'direct' })));
        // Each customer's personal fields hold text found nowhere else, so a dump search is exact.
        const people: { id: string; personal: string[] }[] = [];
        for (const [i, c] of w.customers.entries()) {
          const secret = `${run}x${i}`;
          const visitorId = c.withVisitor ? `vid_${secret}` : undefined;
          if (visitorId) await store.db.insert(schema.touchpoints).values({ id: newId('tp'), visitorId, kind: 'click', occurredAt: new Date('2024-12-15T00:00:00Z') });
          const row = await customers!.create({ name: `Name ${secret}`, email: `mail.${secret}@example.com`, meta: { note: `note ${secret}` }, acquiredPartnerId: partnerIds[c.partner]!, acquiredChannelId: channelIds[c.channel]!, ...(visitorId ? { visitorId } : {}) });
          for (let k = 0; k < c.keys; k++) await gateway!.keys.createKey({ customerId: row.id, channelId: channelIds[c.channel]!, planId: plan!.id, name: `key ${secret} ${k}` });
          people.push({ id: row.id, personal: [`Name ${secret}`, `mail.${secret}@example.com`, `note ${secret}`, `key ${secret}`, ...(visitorId ? [visitorId] : [])] });
        }
        await appendUsage(store, w.rows.map((r) => ({
          customerId: people[r.customer % people.length]!.id,
          partnerId: r.partner === null ? null : partnerIds[r.partner]!,
          channelId: channelIds[r.channel]!,
          occurredAt: `${MONTHS[r.month]}-${String(r.day).padStart(2, '0')}T12:00:00Z`,
          priceMicros: r.priceMicros,
          tokens: r.tokens,
          ...(r.failed ? { status: 'error' as const, httpStatus: 502 } : {}),
        })));
        await analytics!.refresh();
        for (const month of MONTHS) await partnerServices!.statements.generateMonth(month, partnerIds);
        if (w.finalizeFirstMonth) for (const s of await partnerServices!.statements.listStatements({ month: MONTHS[0] })) if (partnerIds.includes(s.partnerId)) await partnerServices!.statements.finalizeStatement(s.id);
        // Drafts are recomputed once the first month is final (its covered rows leave their adjustments).
        const redraft = async () => {
          for (const month of MONTHS) for (const s of await partnerServices!.statements.listStatements({ month })) if (partnerIds.includes(s.partnerId) && s.status === 'draft') await partnerServices!.statements.generateStatement(s.partnerId, month);
        };
        await redraft();
        const before = await snapshot(partnerIds);

        const erased = [...new Set(w.erase.map((i) => i % people.length))].map((i) => people[i]!);
        for (const p of erased) await customerPrivacy!.erase(p.id);
        // Everything derived from the ledger is recomputed after the erasure, and comes out the same.
        await analytics!.refresh();
        await redraft();
        const after = await snapshot(partnerIds);
        for (const part of Object.keys(before) as (keyof typeof before)[]) expect(after[part], part).toBe(before[part]);

        const dump = await dumpDatabase(store);
        for (const p of erased) for (const value of p.personal) expect(tablesContaining(dump, value), `${p.id}: ${value}`).toEqual([]);
        // The search is not blind: the customers not erased still have theirs.
        for (const p of people.filter((q) => !erased.includes(q))) expect(tablesContaining(dump, p.personal[0]!)).toEqual(['customers']);
      }),
      { numRuns: 6, seed: SEED },
    );
  }, 300_000);
});
