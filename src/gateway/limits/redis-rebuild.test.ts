import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../../../test/support/redis.js';
import type { MeterCharge, MonthLedger } from './limiter.js';
import { RedisLimiter } from './redis-limiter.js';

/** The usage ledger as the rebuild sees it: rows with their request id, amount and time. */
class FakeLedger implements MonthLedger {
  rows: { requestId: string; amount: number; atMs: number }[] = [];
  reads = 0;
  /** Runs after a read has taken its snapshot, before the rebuild sets the total. */
  afterRead: (() => Promise<void>) | undefined;
  append(requestId: string, amount: number, atMs = Date.now()): void {
    this.rows.push({ requestId, amount, atMs });
  }
  async monthTotal(_charge: MeterCharge, recentSinceMs: number) {
    this.reads++;
    const snapshot = { total: this.rows.reduce((t, r) => t + r.amount, 0), recentRequestIds: this.rows.filter((r) => r.atMs >= recentSinceMs && r.amount !== 0).map((r) => r.requestId) };
    await this.afterRead?.();
    return snapshot;
  }
}

const month = (key: string, limit: number, amount: number): MeterCharge => ({ name: 'monthly_tokens', key, kind: 'month', limit, amount, periodMs: 1_000, retryHintMs: 5_000 });

/** What a FLUSHALL does to one meter, without flushing anything else. */
async function flushMeter(redis: Redis, key: string): Promise<void> {
  await redis.del(...['z', 'h', 's', 't', 'k', 'p', 'r'].map((s) => `${key}:${s}`));
}

/** Remaining room on a month meter, asked with a zero-amount admission. */
async function remaining(limiter: RedisLimiter, key: string, limit: number, nowMs = 0): Promise<number> {
  const r = await limiter.admit(`probe-${randomBytes(4).toString('hex')}`, nowMs, [month(key, limit, 0)]);
  return r.remaining[0]!;
}

describe('Redis month totals rebuilt from the ledger', () => {
  const available = redisServerAvailable();
  let redis: PrivateRedis;
  const limiters: RedisLimiter[] = [];
  const limiterOn = (ledger: MonthLedger, timeoutMs = 1_000) => {
    const l = new RedisLimiter({ url: redis.url, timeoutMs, ledger });
    limiters.push(l);
    return l;
  };
  const key = () => `qd:{c${randomBytes(6).toString('hex')}}:mtok:2026-12`;

  beforeAll(async () => {
    if (available) redis = await startPrivateRedis();
  });
  afterAll(async () => {
    for (const l of limiters) await l.close();
    await redis?.stop();
  });

  it.skipIf(!available)('rebuilds a missing total before admitting, read once for two replicas admitting at once', async () => {
    const ledger = new FakeLedger();
    ledger.append('old', 90, 0);
    const [a, b] = [limiterOn(ledger), limiterOn(ledger)];
    const k = key();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit(`r${i}`, 0, [month(k, 100, 5)])));
    expect(results.filter((r) => r.admitted).length).toBe(2);
    expect(ledger.reads).toBe(1);
  });

  it.skipIf(!available)('after a flush, a settlement that reaches Redis before the rebuild is counted once, with the rest of the ledger', async () => {
    const ledger = new FakeLedger();
    ledger.append('earlier', 50, 0);
    const limiter = limiterOn(ledger);
    const k = key();
    expect((await limiter.admit('a', 0, [month(k, 100, 10)])).admitted).toBe(true);
    ledger.append('a', 10);
    await flushMeter(redis.client, k);
    await limiter.settle('a', 0, [month(k, 100, 10)], [10]); // the total is missing: kept aside, not a new total of 10
    expect(await remaining(limiter, k, 100)).toBe(40);
  });

  it.skipIf(!available)('a row the rebuild read is not added again when its settlement arrives after', async () => {
    const ledger = new FakeLedger();
    const limiter = limiterOn(ledger);
    const k = key();
    expect((await limiter.admit('c', 0, [month(k, 100, 10)])).admitted).toBe(true);
    ledger.append('earlier', 50, 0);
    ledger.append('c', 10);
    await flushMeter(redis.client, k);
    expect(await remaining(limiter, k, 100)).toBe(40); // rebuilt: 50 + c's 10
    await limiter.settle('c', 0, [month(k, 100, 10)], [10]);
    expect(await remaining(limiter, k, 100)).toBe(40);
  });

  it.skipIf(!available)('a settlement that lands between the ledger read and the new total is added to it', async () => {
    const ledger = new FakeLedger();
    ledger.append('earlier', 50, 0);
    const limiter = limiterOn(ledger);
    const k = key();
    expect((await limiter.admit('x', 0, [month(k, 100, 10)])).admitted).toBe(true);
    await flushMeter(redis.client, k);
    ledger.afterRead = async () => {
      ledger.afterRead = undefined;
      ledger.append('x', 10); // committed after the snapshot, settled before the total is set
      await limiter.settle('x', 0, [month(k, 100, 10)], [10]);
    };
    expect(await remaining(limiter, k, 100)).toBe(40);
  });

  it.skipIf(!available)('a row written after the rebuild read is added by its settlement', async () => {
    const ledger = new FakeLedger();
    ledger.append('earlier', 50, 0);
    const limiter = limiterOn(ledger);
    const k = key();
    expect((await limiter.admit('d', 0, [month(k, 100, 10)])).admitted).toBe(true);
    ledger.append('d', 10);
    await limiter.settle('d', 0, [month(k, 100, 10)], [10]);
    expect(await remaining(limiter, k, 100)).toBe(40);
  });

  it.skipIf(!available)('a settlement lost while Redis is down is taken from the ledger once Redis is back', async () => {
    const ledger = new FakeLedger();
    ledger.append('earlier', 50, 0);
    const limiter = limiterOn(ledger);
    const k = key();
    const charge = month(k, 100, 10);
    expect((await limiter.admit('e', 0, [charge])).admitted).toBe(true);
    await redis.client.save(); // Redis comes back from this dump: total 50 and e's reservation
    await redis.kill();
    ledger.append('e', 10);
    await expect(limiter.settle('e', 0, [charge], [10])).rejects.toMatchObject({ code: 'QD_OVERLOADED' });
    await redis.restart();
    await eventually(() => limiter.ping());
    // long after e's reservation would have expired: only the ledger can say e used 10
    const later = 60_000;
    expect((await limiter.admit('f', later, [month(k, 100, 41)])).admitted).toBe(false);
    expect(await limiter.admit('g', later, [month(k, 100, 40)])).toMatchObject({ admitted: true, remaining: [0] });
  });

  it.skipIf(!available)('a frozen Redis fails admissions and pings within the timeout, and a timed-out admission reserves nothing once it thaws', async () => {
    const ledger = new FakeLedger();
    const limiter = limiterOn(ledger, 100);
    const k = key();
    expect(await remaining(limiter, k, 100)).toBe(100);
    redis.freeze();
    try {
      await expect(limiter.admit('x', 0, [month(k, 100, 30)])).rejects.toMatchObject({ code: 'QD_OVERLOADED', headers: { 'retry-after': '1' } });
      await expect(limiter.ping()).rejects.toThrow();
    } finally {
      redis.thaw();
    }
    // x's script runs when Redis thaws and reserves 30; the limiter frees it before its next admission
    await eventually(() => limiter.ping());
    expect(await remaining(limiter, k, 100)).toBe(100);
  });
});

/** Retries `fn` every 50 ms for up to 10 s. */
async function eventually(fn: () => Promise<unknown>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    try {
      await fn();
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw last;
}
