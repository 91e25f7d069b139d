import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisReachable, testRedisUrl } from '../../../test/support/redis.js';
import { openTestStore, type TestStore } from '../../../test/support/stores.js';
import { newId, schema } from '../../store/index.js';
import type { Limiter, MeterCharge, MonthLedger } from './limiter.js';
import { MemoryLimiter } from './memory-limiter.js';
import { ledgerMonthTotals } from './month-ledger.js';
import { creditHeaders, prepaidBalanceKey, prepaidUsageTotals, readCreditBalance } from './prepaid.js';
import { rebuildMonthlyTotals } from './quota-rebuild.js';
import { RedisLimiter } from './redis-limiter.js';

/** The reserved maximum price of each request in these tests, micro-units. */
const MAX_PRICE = 22;

const prepaid = (customerId: string, sinceMs: number, credited: number, amount = MAX_PRICE): MeterCharge => ({
  name: 'prepaid_balance',
  key: prepaidBalanceKey(customerId, sinceMs),
  kind: 'month',
  limit: credited,
  amount,
  periodMs: 15 * 60_000,
  retryHintMs: 0,
  owner: { customerId, fromMs: sinceMs, untilMs: null },
});

/** A usage ledger of one prepaid period: its price so far, and how often it was read. */
class PeriodLedger implements MonthLedger {
  used = 0;
  reads: MeterCharge[] = [];
  async monthTotal(charge: MeterCharge) {
    this.reads.push(charge);
    return { total: this.used, recentRequestIds: [] };
  }
}

for (const kind of ['memory', 'redis'] as const) {
  describe(`the prepaid meter on the ${kind} limiter`, async () => {
    const available = kind === 'memory' || (await redisReachable());
    const ledger = new PeriodLedger();
    const limiter: Limiter | undefined = available ? (kind === 'memory' ? new MemoryLimiter() : new RedisLimiter({ url: testRedisUrl, timeoutMs: 2_000, ledger })) : undefined;
    afterAll(async () => limiter?.close());
    const customer = () => `c${randomBytes(6).toString('hex')}`;

    it.skipIf(!available)('admits 200 concurrent requests only while the credit covers their maximum price', async () => {
      await limiter!.ping(); // connected first: 200 admissions then need no wait for the connection
      const c = prepaid(customer(), 1_000, 10 * MAX_PRICE + 5);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) => limiter!.admit(`r${i}`, 2_000, [c])));
      const admitted = results.filter((r) => r.admitted);
      expect(admitted.length).toBe(10);
      expect(results.filter((r) => !r.admitted).every((r) => !r.admitted && r.meter === 'prepaid_balance')).toBe(true);
      // each admission saw the balance after its own reservation: 5 + 22·k for k = 0..9
      expect(admitted.map((r) => r.remaining[0]).sort((a, b) => a! - b!)).toEqual(Array.from({ length: 10 }, (_, k) => 5 + MAX_PRICE * k));
    });

    it.skipIf(!available)('settles to the actual price, which frees the difference, and a higher credited total admits again', async () => {
      const c = prepaid(customer(), 1_000, 3 * MAX_PRICE);
      for (const id of ['a', 'b', 'c']) expect((await limiter!.admit(id, 2_000, [c])).admitted).toBe(true);
      expect((await limiter!.admit('d', 2_000, [c])).admitted).toBe(false);
      for (const id of ['a', 'b', 'c']) await limiter!.settle(id, 2_001, [c], [15]); // 3 × 15 = 45 used, 21 left
      expect(await limiter!.admit('d', 2_002, [c])).toMatchObject({ admitted: false, meter: 'prepaid_balance', remaining: [21] });
      const toppedUp = { ...c, limit: c.limit + 1 }; // a top-up of one micro-unit: 22 left
      expect(await limiter!.admit('d', 2_003, [toppedUp])).toEqual({ admitted: true, remaining: [0] });
    });

    it.skipIf(!available)('a request that never settles gives its reservation back after the reservation lifetime', async () => {
      const c = { ...prepaid(customer(), 1_000, MAX_PRICE), periodMs: 1_000 };
      expect((await limiter!.admit('lost', 2_000, [c])).admitted).toBe(true);
      expect((await limiter!.admit('next', 2_500, [c])).admitted).toBe(false);
      expect((await limiter!.admit('next', 3_001, [c])).admitted).toBe(true);
    });
  });
}

describe('the prepaid meter on Redis after its counter is lost', async () => {
  const available = await redisReachable();
  const ledger = new PeriodLedger();
  const limiter = available ? new RedisLimiter({ url: testRedisUrl, timeoutMs: 2_000, ledger }) : undefined;
  afterAll(async () => limiter?.close());

  it.skipIf(!available)('rebuilds the period\'s usage from the ledger (since prepaid_since, no end), never resetting the balance', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(testRedisUrl);
    try {
      const id = `c${randomBytes(6).toString('hex')}`;
      const c = prepaid(id, 5_000, 10 * MAX_PRICE);
      ledger.used = 7 * MAX_PRICE; // what the ledger says the period used before the flush
      expect(await limiter!.admit('x', 6_000, [c])).toEqual({ admitted: true, remaining: [2 * MAX_PRICE] });
      expect(ledger.reads.at(-1)!.owner).toEqual({ customerId: id, fromMs: 5_000, untilMs: null });
      await limiter!.settle('x', 6_001, [c], [MAX_PRICE]);
      ledger.used += MAX_PRICE;
      await redis.del(...['z', 'h', 's', 't', 'k', 'p'].map((s) => `${c.key}:${s}`)); // what a FLUSHALL does to it
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => limiter!.admit(`y${i}`, 7_000, [c])));
      expect(results.filter((r) => r.admitted).length).toBe(2);
    } finally {
      redis.disconnect();
    }
  });
});

describe('prepaid balances from the ledgers', () => {
  let t: TestStore;
  const since = new Date('2026-11-10T08:00:00.000Z');

  beforeAll(async () => {
    t = await openTestStore('pglite');
    const { db } = t.store;
    await db.insert(schema.customers).values([
      { id: 'cus_pre', name: 'prepaid', billingMode: 'prepaid', prepaidSince: since, lowBalanceMicros: 1_000 },
      { id: 'cus_post', name: 'postpaid' },
    ]);
    await db.insert(schema.creditEntries).values([
      { id: newId('crd'), customerId: 'cus_pre', kind: 'topup', amountMicros: 5_000 },
      { id: newId('crd'), customerId: 'cus_pre', kind: 'grant', amountMicros: 700 },
      { id: newId('crd'), customerId: 'cus_pre', kind: 'correction', amountMicros: -200 },
    ]);
    const row = (requestId: string, customerId: string, at: string, price: number) =>
      t.store.query(`INSERT INTO usage_events (request_id, occurred_at, customer_id, model, endpoint, status, http_status, price_micros) VALUES ($1, $2, $3, 'm', 'chat', 'ok', 200, $4)`, [requestId, at, customerId, price]);
    await row('before', 'cus_pre', '2026-11-10T07:59:59.999Z', 1_000_000); // before the prepaid period: invoiced, not from credit
    await row('u1', 'cus_pre', '2026-11-10T08:00:00.000Z', 1_500);
    await row('u2', 'cus_pre', '2026-12-02T10:00:00.000Z', 2_000); // a later month still counts
    await row('other', 'cus_post', '2026-11-20T00:00:00.000Z', 9_999);
  });
  afterAll(async () => t?.dispose());

  it('balance = Σ credit entries − Σ ledger price since prepaid_since', async () => {
    expect(await readCreditBalance(t.store, 'cus_pre')).toEqual({ billingMode: 'prepaid', prepaidSince: since, lowBalanceMicros: 1_000, creditedMicros: 5_500, usedMicros: 3_500, balanceMicros: 2_000 });
    expect(await readCreditBalance(t.store, 'cus_post')).toMatchObject({ billingMode: 'postpaid', prepaidSince: null, creditedMicros: 0, usedMicros: 0, balanceMicros: 0 });
    expect(await readCreditBalance(t.store, 'cus_none')).toBeUndefined();
  });

  it('rebuilds a lost counter with the same sum', async () => {
    const read = await ledgerMonthTotals(t.store, async () => {}).monthTotal(prepaid('cus_pre', since.getTime(), 5_500), 0);
    expect(read).toEqual({ total: 3_500, recentRequestIds: expect.arrayContaining(['u1', 'u2']) });
  });

  it('seeds the in-process counters at start, so a restart never gives credit back', async () => {
    expect(await prepaidUsageTotals(t.store)).toEqual([{ customerId: 'cus_pre', sinceMs: since.getTime(), usedMicros: 3_500 }]);
    const limiter = new MemoryLimiter();
    await rebuildMonthlyTotals(t.store, limiter, Date.parse('2026-12-03T00:00:00Z'));
    expect(await limiter.admit('r', 0, [prepaid('cus_pre', since.getTime(), 5_500, 0)])).toEqual({ admitted: true, remaining: [2_000] });
  });

  it('sends the balance after the reservation, and the low flag below the threshold', () => {
    const customer = { id: 'c', acquiredPartnerId: null, acquiredCampaignId: null, spendBudgetMicros: null, monthlyTokenQuota: null, status: 'active', billingMode: 'prepaid' as const, prepaidSinceMs: 1, creditedMicros: 10, lowBalanceMicros: 100 };
    expect(creditHeaders(customer, 100)).toEqual({ 'x-qudao-credit-balance-micros': '100' });
    expect(creditHeaders(customer, 99)).toEqual({ 'x-qudao-credit-balance-micros': '99', 'x-qudao-credit-low': 'true' });
    expect(creditHeaders({ ...customer, billingMode: 'postpaid' }, 5)).toEqual({});
    expect(creditHeaders({ ...customer, lowBalanceMicros: null }, 0)).toEqual({ 'x-qudao-credit-balance-micros': '0' });
  });
});
