import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, postgresReachable, type TestStore } from '../../../test/support/stores.js';
import { schema, type Store } from '../../store/index.js';
import { fixtureEvents, ledgerRow, seedFixtureCrm } from '../analytics.fixture.js';
import { AnalyticsService } from '../service.js';
import { refreshRollups, resetRollups } from './refresh.js';

/** Every rollup table's rows in a stable order, as text. */
async function rollupContents(store: Store): Promise<string> {
  const tables = {
    usage_daily: 'day, customer_id, channel_id, partner_id, campaign_id, model',
    customer_months: 'month, customer_id',
    kpi_monthly: 'month, cohort_month, channel_id, partner_id, campaign_id, segment_id, region',
    kpi_month_totals: 'month',
    kpi_partner_months: 'month, channel_id, partner_id, campaign_id',
  };
  const out: unknown[] = [];
  for (const [table, order] of Object.entries(tables)) out.push(await store.query(`SELECT * FROM ${table} ORDER BY ${order}`));
  return JSON.stringify(out);
}

/** The rollups as a full recount from an empty state would build them. */
async function recounted(store: Store): Promise<string> {
  const before = await rollupContents(store);
  await resetRollups(store);
  await refreshRollups(store);
  const after = await rollupContents(store);
  expect(after).not.toBe('[[],[],[],[],[]]');
  return before === after ? 'equal' : `incremental ${before}\nrecount ${after}`;
}

describe.each(['pglite', 'postgres'] as const)('rollup refresh on %s', async (kind) => {
  const available = kind === 'pglite' || (await postgresReachable());
  let t: TestStore;
  beforeAll(async () => {
    if (!available) return;
    t = await openTestStore(kind);
    await seedFixtureCrm(t.store);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it.skipIf(!available)('counts new rows incrementally, late ones into their own day, and equals a full recount', async () => {
    const rows = fixtureEvents.map((e, i) => ledgerRow(e, `req_${i}`));
    await t.store.db.insert(schema.usageEvents).values(rows.slice(0, 6));
    expect((await refreshRollups(t.store)).rows).toBe(6);
    expect((await refreshRollups(t.store)).rows).toBe(0);
    // The rest, plus a row that arrives now but happened in January (a late upstream report).
    await t.store.db.insert(schema.usageEvents).values([...rows.slice(6), { ...rows[0]!, requestId: 'req_late', occurredAt: new Date('2026-01-31T23:00:00Z') }]);
    const second = await refreshRollups(t.store, { batchSize: 3 });
    expect(second).toMatchObject({ rows: rows.length - 6 + 1, openGaps: 0, busy: false });
    const analytics = new AnalyticsService(t.store);
    const range = { from: '2026-01', to: '2026-03' };
    expect((await analytics.overview(range)).months).toEqual((await analytics.overview(range, 'ledger')).months);
    expect((await analytics.overview(range)).months[0]!.cost.revenueMicros).toBe(12_600 + 1_500);
    expect(await recounted(t.store)).toBe('equal');
  });

  it.skipIf(!available)('counts a row committed after higher seqs were counted (a seq gap), and forgets stale gaps', async () => {
    const [top] = await t.store.query<{ seq: string }>('SELECT max(seq) AS seq FROM usage_events');
    const base = Number(top!.seq) + 10;
    const row = (n: number, at: string) => ({ ...ledgerRow(fixtureEvents[2]!, `gap_${n}`), seq: base + n, occurredAt: new Date(at) });
    await t.store.db.insert(schema.usageEvents).values([row(1, '2026-03-20T10:00:00Z'), row(2, '2026-03-20T11:00:00Z'), row(4, '2026-03-21T10:00:00Z')]);
    let now = Date.parse('2026-03-22T00:00:00Z');
    const first = await refreshRollups(t.store, { now: () => now });
    expect(first).toMatchObject({ rows: 3, openGaps: 2 }); // before base+1, and base+3
    await t.store.db.insert(schema.usageEvents).values(row(3, '2026-02-27T10:00:00Z'));
    expect(await refreshRollups(t.store, { now: () => now })).toMatchObject({ rows: 1, openGaps: 1 });
    now += 2 * 3_600_000;
    expect(await refreshRollups(t.store, { now: () => now })).toMatchObject({ rows: 0, openGaps: 0 });
    expect(await recounted(t.store)).toBe('equal');
  });
});
