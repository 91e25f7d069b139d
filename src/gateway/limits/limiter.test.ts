import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { redisReachable, testRedisUrl } from '../../../test/support/redis.js';
import type { Limiter, MeterCharge, MonthLedger } from './limiter.js';
import { MemoryLimiter } from './memory-limiter.js';
import { RedisLimiter } from './redis-limiter.js';

const kinds = ['memory', 'redis'] as const;

/** A ledger with no rows: a missing month total is rebuilt as 0. */
const emptyLedger: MonthLedger = { monthTotal: async () => ({ total: 0, recentRequestIds: [] }) };

for (const kind of kinds) {
  describe(`${kind} limiter`, async () => {
    const available = kind === 'memory' || (await redisReachable());
    const limiter: Limiter | undefined = available ? (kind === 'memory' ? new MemoryLimiter() : new RedisLimiter({ url: testRedisUrl, timeoutMs: 1_000, ledger: emptyLedger })) : undefined;
    afterAll(async () => limiter?.close());
    const tag = () => `qd:{t${randomBytes(6).toString('hex')}}`;
    const windowCharge = (key: string, limit: number, amount: number): MeterCharge => ({ name: 'tokens_per_minute', key, kind: 'window', limit, amount, periodMs: 60_000, retryHintMs: 60_000 });
    const monthCharge = (key: string, limit: number, amount: number, ttl = 1_000): MeterCharge => ({ name: 'monthly_tokens', key, kind: 'month', limit, amount, periodMs: ttl, retryHintMs: 5_000 });

    it.skipIf(!available)('slides the window: entries count until they are a minute old', async () => {
      const c = windowCharge(`${tag()}:w`, 10, 4);
      const t = 1_000_000;
      expect((await limiter!.admit('a', t, [c])).admitted).toBe(true);
      expect((await limiter!.admit('b', t + 10, [c])).admitted).toBe(true);
      const refused = await limiter!.admit('c', t + 20, [c]);
      expect(refused).toMatchObject({ admitted: false, meter: 'tokens_per_minute', retryAfterMs: 60_000 - 20, remaining: [2] });
      expect((await limiter!.admit('d', t + 60_000, [c])).admitted).toBe(true);
    });

    it.skipIf(!available)('settles a window entry to the actual amount', async () => {
      const c = windowCharge(`${tag()}:w`, 10, 8);
      await limiter!.admit('a', 0, [c]);
      expect((await limiter!.admit('b', 1, [{ ...c, amount: 3 }])).admitted).toBe(false);
      await limiter!.settle('a', 2, [c], [1]);
      expect(await limiter!.admit('b', 3, [{ ...c, amount: 3 }])).toEqual({ admitted: true, remaining: [6] });
    });

    it.skipIf(!available)('keeps exact sums across thousands of entries, settlements in and out of order, and expiry', async () => {
      const c = windowCharge(`${tag()}:w`, 1_000_000, 10);
      const n = kind === 'memory' ? 5_000 : 600; // beyond the in-process ring's first growths
      for (let i = 0; i < n; i++) expect((await limiter!.admit(`r${i}`, i, [c])).admitted).toBe(true);
      // settle the odd ones to 1, newest first; the even ones stay at 10
      for (let i = n - 1; i >= 0; i--) if (i % 2 === 1) await limiter!.settle(`r${i}`, n, [c], [1]);
      const used = (n / 2) * 10 + (n / 2) * 1;
      expect((await limiter!.admit('probe', n, [{ ...c, amount: 0 }])).remaining).toEqual([1_000_000 - used]);
      // a minute after entry i, entries 0..i have left the window; a late settlement of a gone entry changes nothing
      const half = n / 2 - 1;
      await limiter!.settle('r0', 60_000 + half, [c], [0]);
      const left = (await limiter!.admit('probe2', 60_000 + half, [{ ...c, amount: 0 }])).remaining[0]!;
      expect(1_000_000 - left).toBe((n / 2 / 2) * 10 + (n / 2 / 2) * 1);
    });

    it.skipIf(!available)('reserves on all meters or none', async () => {
      const a = windowCharge(`${tag()}:a`, 100, 5);
      const m = monthCharge(`${tag()}:m`, 4, 5);
      expect((await limiter!.admit('x', 0, [a, m])).admitted).toBe(false);
      expect(await limiter!.admit('y', 0, [{ ...a, amount: 100 }])).toEqual({ admitted: true, remaining: [0] });
    });

    it.skipIf(!available)('adds settled usage to the month and frees expired reservations', async () => {
      const key = `${tag()}:m`;
      await limiter!.seedMonth(key, 50, 60_000);
      const m = monthCharge(key, 100, 30, 1_000);
      expect((await limiter!.admit('a', 0, [m])).admitted).toBe(true);
      expect((await limiter!.admit('b', 10, [m])).admitted).toBe(false);
      await limiter!.settle('a', 20, [m], [10]);
      expect(await limiter!.admit('b', 30, [m])).toEqual({ admitted: true, remaining: [10] });
      // b never settles (its process died): after its lifetime the reservation no longer blocks
      expect((await limiter!.admit('c', 40, [{ ...m, amount: 20 }])).admitted).toBe(false);
      expect((await limiter!.admit('c', 2_000, [{ ...m, amount: 20 }])).admitted).toBe(true);
    });

    it.skipIf(!available)('admits exactly the limit under 500 concurrent admissions', async () => {
      const c = windowCharge(`${tag()}:w`, 123, 1);
      const results = await Promise.all(Array.from({ length: 500 }, (_, i) => limiter!.admit(`r${i}`, 5, [c])));
      expect(results.filter((r) => r.admitted).length).toBe(123);
    });
  });
}

describe('Redis limiter without Redis', () => {
  it('refuses to admit unchecked: QD_OVERLOADED', async () => {
    const limiter = new RedisLimiter({ url: 'redis://127.0.0.1:1', timeoutMs: 250, ledger: emptyLedger });
    try {
      const charge: MeterCharge = { name: 'requests_per_minute', key: 'qd:{x}:rpm:k', kind: 'window', limit: 10, amount: 1, periodMs: 60_000, retryHintMs: 60_000 };
      await expect(limiter.admit('r', 0, [charge])).rejects.toMatchObject({ code: 'QD_OVERLOADED', headers: { 'retry-after': '1' } });
      await expect(limiter.ping()).rejects.toThrow();
    } finally {
      await limiter.close();
    }
  });
});
