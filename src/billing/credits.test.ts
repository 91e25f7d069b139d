import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../test/support/stores.js';
import { schema } from '../store/index.js';
import { CreditService } from './credits.js';

describe('CreditService', () => {
  let t: TestStore;
  let credits: CreditService;
  let changes = 0;
  let clock = new Date('2026-11-10T08:00:00.000Z');

  beforeAll(async () => {
    t = await openTestStore('pglite');
    await t.store.db.insert(schema.customers).values({ id: 'cus_a', name: 'a' });
    credits = new CreditService(t.store, { changed: async () => void changes++, now: () => clock });
  });
  afterAll(async () => t?.dispose());

  it('starts postpaid with nothing credited', async () => {
    expect(await credits.balance('cus_a')).toEqual({ customerId: 'cus_a', billingMode: 'postpaid', prepaidSince: null, lowBalanceMicros: null, creditedMicros: 0, usedMicros: 0, balanceMicros: 0, low: false, entries: [] });
  });

  it('turning prepaid starts the prepaid period once; switching back and forth keeps it', async () => {
    const first = await credits.setBillingMode('cus_a', { billingMode: 'prepaid', lowBalanceMicros: 1_000 });
    expect(first).toMatchObject({ billingMode: 'prepaid', prepaidSince: clock, lowBalanceMicros: 1_000, low: true });
    const since = clock;
    clock = new Date('2026-11-20T00:00:00.000Z');
    await credits.setBillingMode('cus_a', { billingMode: 'postpaid' });
    expect(await credits.setBillingMode('cus_a', { billingMode: 'prepaid' })).toMatchObject({ prepaidSince: since, lowBalanceMicros: 1_000 });
    expect(changes).toBe(3); // every change reloads the gateway's customer cache
  });

  it('appends top-ups, grants and corrections; the balance is their sum less usage since prepaid_since', async () => {
    await credits.addCredit('cus_a', { kind: 'topup', amountMicros: 5_000, note: 'card' });
    clock = new Date('2026-11-21T00:00:00.000Z'); // entries are listed oldest first
    await credits.addCredit('cus_a', { kind: 'grant', amountMicros: 300 });
    clock = new Date('2026-11-22T00:00:00.000Z');
    await t.store.query(`INSERT INTO usage_events (request_id, occurred_at, customer_id, model, endpoint, status, http_status, price_micros) VALUES ('r1', '2026-11-15T00:00:00Z', 'cus_a', 'm', 'chat', 'ok', 200, 1200)`);
    const after = await credits.addCredit('cus_a', { kind: 'correction', amountMicros: -100, note: 'double charge' });
    expect(after).toMatchObject({ creditedMicros: 5_200, usedMicros: 1_200, balanceMicros: 4_000, low: false });
    expect(after.entries.map((e) => [e.kind, e.amountMicros, e.note])).toEqual([
      ['topup', 5_000, 'card'],
      ['grant', 300, ''],
      ['correction', -100, 'double charge'],
    ]);
  });

  it('refuses a negative top-up or grant, a zero amount and an unknown customer', async () => {
    await expect(credits.addCredit('cus_a', { kind: 'topup', amountMicros: -1 })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'amountMicros' });
    await expect(credits.addCredit('cus_a', { kind: 'correction', amountMicros: 0 })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST' });
    await expect(credits.addCredit('cus_none', { kind: 'topup', amountMicros: 1 })).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
    await expect(credits.balance('cus_none')).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
    await expect(credits.setBillingMode('cus_none', { billingMode: 'prepaid' })).rejects.toMatchObject({ code: 'QD_NOT_FOUND' });
  });
});
