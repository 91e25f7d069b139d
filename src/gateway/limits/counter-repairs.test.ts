import { describe, expect, it } from 'vitest';
import { CounterRepairs, type RepairCommands } from './counter-repairs.js';
import type { MeterCharge } from './limiter.js';

const month = (key: string): MeterCharge => ({ name: 'monthly_tokens', key, kind: 'month', limit: 100, amount: 10, periodMs: 1_000, retryHintMs: 1_000 });
const window: MeterCharge = { name: 'requests_per_minute', key: 'w', kind: 'window', limit: 10, amount: 1, periodMs: 60_000, retryHintMs: 60_000 };

/** Commands that fail while `down` and record what reached Redis. */
function fakeRedis() {
  const log: string[] = [];
  const state = { down: true };
  const commands: RepairCommands = {
    async invalidate(c, ids) {
      if (state.down) throw new Error('down');
      log.push(`invalidate ${c.key} ${[...ids].sort().join(',')}`);
    },
    async release(id) {
      if (state.down) throw new Error('down');
      log.push(`release ${id}`);
    },
  };
  return { log, state, commands };
}

describe('counter repairs after Redis failed', () => {
  it('invalidates each stale month total once, with every request whose settlement failed, when Redis answers again', async () => {
    const redis = fakeRedis();
    const repairs = new CounterRepairs(redis.commands, 60_000);
    repairs.settleFailed('a', [window, month('m1')]);
    repairs.settleFailed('b', [month('m1'), month('m2')]);
    await expect(repairs.run()).rejects.toThrow('down');
    repairs.settleFailed('c', [month('m1')]); // failed while the first pass was failing: kept with the others
    expect(repairs.pending).toBe(2);
    redis.state.down = false;
    await repairs.run();
    expect(redis.log.sort()).toEqual(['invalidate m1 a,b,c', 'invalidate m2 b']);
    expect(repairs.pending).toBe(0);
    repairs.stop();
  });

  it('releases the reservations of admissions that failed, each once', async () => {
    const redis = fakeRedis();
    const repairs = new CounterRepairs(redis.commands, 60_000);
    for (let i = 0; i < 250; i++) repairs.admitFailed(`r${i}`, [window]);
    redis.state.down = false;
    await repairs.run();
    expect(redis.log.length).toBe(250);
    expect(new Set(redis.log).size).toBe(250);
    await repairs.run();
    expect(redis.log.length).toBe(250);
    repairs.stop();
  });
});
