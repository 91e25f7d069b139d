import { Redis } from 'ioredis';
import { QudaoError } from '../../errors/index.js';
import type { AdmissionResult, Limiter, MeterCharge, MeterName, Settlement } from './limiter.js';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './redis-scripts.js';

type ScriptRunner = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

interface ScriptedRedis extends Redis {
  qdAdmit: ScriptRunner;
  qdSettle: ScriptRunner;
}

function meterKeys(c: MeterCharge): string[] {
  return [`${c.key}:z`, `${c.key}:h`, `${c.key}:s`, `${c.key}:t`];
}

/**
 * The limiter shared by every gateway replica: counters live in Redis and each admission is one atomic Lua
 * script (`EVALSHA`), so replicas together never admit more than a limit. Same semantics as
 * {@link MemoryLimiter}. Redis down means requests fail with QD_OVERLOADED (never admitted unchecked).
 */
export class RedisLimiter implements Limiter {
  readonly kind = 'redis' as const;
  private readonly redis: ScriptedRedis;

  constructor(url: string) {
    const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', () => {
      /* reported per command; ioredis reconnects */
    });
    redis.defineCommand('qdAdmit', { lua: ADMIT_SCRIPT });
    redis.defineCommand('qdSettle', { lua: SETTLE_SCRIPT });
    this.redis = redis as ScriptedRedis;
  }

  async admit(requestId: string, nowMs: number, charges: readonly MeterCharge[]): Promise<AdmissionResult> {
    if (charges.length === 0) return { admitted: true, remaining: [] };
    const keys = charges.flatMap(meterKeys);
    const args: (string | number)[] = [nowMs, requestId, charges.length];
    for (const c of charges) args.push(c.kind === 'window' ? 'w' : 'm', c.limit, c.amount, c.periodMs, c.retryHintMs);
    let out: number[];
    try {
      out = (await this.redis.qdAdmit(keys.length, ...keys, ...args)) as number[];
    } catch (err) {
      throw new QudaoError('QD_OVERLOADED', 'the rate-limit store (Redis) is unavailable', { cause: err });
    }
    const remaining = out.slice(3).map(Number);
    if (out[0] === 1) return { admitted: true, remaining };
    const meter: MeterName = charges[Number(out[1]) - 1]!.name;
    return { admitted: false, meter, retryAfterMs: Number(out[2]), remaining };
  }

  async settle(requestId: string, _nowMs: number, charges: readonly MeterCharge[], actual: Settlement): Promise<void> {
    if (charges.length === 0) return;
    const keys = charges.flatMap(meterKeys);
    const args: (string | number)[] = [requestId, charges.length];
    charges.forEach((c, i) => args.push(c.kind === 'window' ? 'w' : 'm', Math.round(actual[i] ?? 0)));
    await this.redis.qdSettle(keys.length, ...keys, ...args);
  }

  async seedMonth(key: string, settled: number, ttlMs: number): Promise<void> {
    await this.redis.set(`${key}:t`, settled, 'PX', ttlMs, 'NX');
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
