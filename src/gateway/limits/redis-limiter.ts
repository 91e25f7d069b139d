import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { QudaoError } from '../../errors/index.js';
import { CounterRepairs } from './counter-repairs.js';
import type { AdmissionResult, Limiter, MeterCharge, MeterName, MonthLedger, Settlement } from './limiter.js';
import { ADMIT_SCRIPT, INVALIDATE_SCRIPT, MONTH_KEY_TTL_MS, REBUILD_SCRIPT, SETTLE_SCRIPT, UNLOCK_SCRIPT } from './redis-scripts.js';

type ScriptRunner = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

interface ScriptedRedis extends Redis {
  qdAdmit: ScriptRunner;
  qdSettle: ScriptRunner;
  qdRebuild: ScriptRunner;
  qdUnlock: ScriptRunner;
  qdInvalidate: ScriptRunner;
}

/** Options of {@link RedisLimiter}. */
export interface RedisLimiterOptions {
  readonly url: string;
  /** Longest wait for one Redis command; a slower or absent Redis fails the request with QD_OVERLOADED. */
  readonly timeoutMs: number;
  /** Where a missing month total is rebuilt from. */
  readonly ledger: MonthLedger;
}

/**
 * Ledger rows this recent may still have their settlement in flight when a rebuild reads them; their ids are
 * remembered so that settlement is not added a second time. A settlement normally follows its row within
 * milliseconds; one later than this after a rebuild would be counted twice (the safe direction).
 */
export const REBUILD_RECENT_MS = 60_000;

/** A rebuild lock outlives a replica that died holding it by at most this long. */
const REBUILD_LOCK_MS = 5_000;

/** How long an admission waits for another replica's rebuild before it answers QD_OVERLOADED. */
const REBUILD_WAIT_MS = REBUILD_LOCK_MS + 1_000;

/** Seconds a client is told to wait when Redis is unavailable. */
const RETRY_AFTER_S = 1;

function meterKeys(c: MeterCharge): string[] {
  return [`${c.key}:z`, `${c.key}:h`, `${c.key}:s`, `${c.key}:t`, `${c.key}:k`, `${c.key}:p`];
}

function overloaded(err: unknown): QudaoError {
  if (err instanceof QudaoError) return err;
  return new QudaoError('QD_OVERLOADED', 'the rate-limit store (Redis) is unavailable or too slow; retry shortly', { cause: err, headers: { 'retry-after': String(RETRY_AFTER_S) } });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The limiter shared by every gateway replica: counters live in Redis and each admission is one atomic Lua
 * script (`EVALSHA`), so replicas together never admit more than a limit. Same semantics as
 * {@link MemoryLimiter}. Redis down or slower than `timeoutMs` means requests fail at once with
 * QD_OVERLOADED and Retry-After (never admitted unchecked, never queued).
 *
 * A month total is only the ledger's running sum. When Redis has lost it (flushed, restarted) the admit
 * script says so and this limiter rebuilds it from the ledger under a per-meter lock, then admits again;
 * settlements that failed while Redis was down mark their totals for the same rebuild ({@link CounterRepairs}).
 */
export class RedisLimiter implements Limiter {
  readonly kind = 'redis' as const;
  readonly monthTotals = 'on-demand' as const;
  private readonly redis: ScriptedRedis;
  private readonly repairs: CounterRepairs;
  /** Until the first connection is up, commands wait for it (bounded); after, a lost connection fails them at once. */
  private connectedOnce = false;

  constructor(private readonly options: RedisLimiterOptions) {
    const redis = new Redis(options.url, {
      // a request never waits for Redis to come back: without a connection a command fails at once
      enableOfflineQueue: false,
      commandTimeout: options.timeoutMs,
      connectTimeout: Math.max(1_000, 4 * options.timeoutMs),
      maxRetriesPerRequest: 0,
      // a command cut off by a lost connection may have run; resending could settle it twice
      autoResendUnfulfilledCommands: false,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
    });
    redis.on('error', () => {
      /* reported per command; ioredis reconnects */
    });
    redis.once('ready', () => (this.connectedOnce = true));
    redis.defineCommand('qdAdmit', { lua: ADMIT_SCRIPT });
    redis.defineCommand('qdSettle', { lua: SETTLE_SCRIPT });
    redis.defineCommand('qdRebuild', { lua: REBUILD_SCRIPT });
    redis.defineCommand('qdUnlock', { lua: UNLOCK_SCRIPT });
    redis.defineCommand('qdInvalidate', { lua: INVALIDATE_SCRIPT });
    this.redis = redis as ScriptedRedis;
    this.repairs = new CounterRepairs({
      invalidate: async (c, ids) => {
        await this.redis.qdInvalidate(4, ...meterKeys(c).slice(0, 4), ...ids);
      },
      release: (id, charges) => this.runSettle(id, charges, charges.map(() => 0)),
    });
  }

  async admit(requestId: string, nowMs: number, charges: readonly MeterCharge[]): Promise<AdmissionResult> {
    if (charges.length === 0) return { admitted: true, remaining: [] };
    const keys = charges.flatMap(meterKeys);
    const args: (string | number)[] = [nowMs, requestId, charges.length];
    for (const c of charges) args.push(c.kind === 'window' ? 'w' : 'm', c.limit, c.amount, c.periodMs, c.retryHintMs);
    const deadline = performance.now() + REBUILD_WAIT_MS;
    // without a connection ioredis refuses a command before writing it: only a sent one can still run
    let sent = false;
    try {
      await this.firstConnection();
      await this.repairs.run();
      for (;;) {
        sent ||= this.redis.status === 'ready';
        const out = (await this.redis.qdAdmit(keys.length, ...keys, ...args)) as number[];
        if (out[0] !== -1) return this.resultOf(out, charges);
        let waiting = false;
        for (const index of out.slice(3)) if (!(await this.rebuild(charges[Number(index) - 1]!))) waiting = true;
        if (performance.now() > deadline) throw new QudaoError('QD_OVERLOADED', 'a quota counter is being rebuilt from the ledger; retry shortly', { headers: { 'retry-after': String(RETRY_AFTER_S) } });
        if (waiting) await sleep(20);
      }
    } catch (err) {
      // a timed-out script may still run and reserve: free that later rather than hold it for 15 minutes
      if (sent && !(err instanceof QudaoError)) this.repairs.admitFailed(requestId, charges);
      throw overloaded(err);
    }
  }

  async settle(requestId: string, _nowMs: number, charges: readonly MeterCharge[], actual: Settlement): Promise<void> {
    if (charges.length === 0) return;
    try {
      await this.firstConnection();
      await this.runSettle(requestId, charges, actual);
    } catch (err) {
      this.repairs.settleFailed(requestId, charges);
      throw overloaded(err);
    }
  }

  async seedMonth(key: string, settled: number, ttlMs: number): Promise<void> {
    await this.redis.set(`${key}:t`, settled, 'PX', ttlMs, 'NX');
  }

  async ping(): Promise<void> {
    if (this.redis.status !== 'ready') await this.ready();
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.repairs.stop();
    this.redis.disconnect();
  }

  private async runSettle(requestId: string, charges: readonly MeterCharge[], actual: Settlement): Promise<void> {
    const keys = charges.flatMap(meterKeys);
    const args: (string | number)[] = [requestId, charges.length];
    charges.forEach((c, i) => args.push(c.kind === 'window' ? 'w' : 'm', Math.round(actual[i] ?? 0)));
    await this.redis.qdSettle(keys.length, ...keys, ...args);
  }

  private resultOf(out: number[], charges: readonly MeterCharge[]): AdmissionResult {
    const remaining = out.slice(3).map(Number);
    if (out[0] === 1) return { admitted: true, remaining };
    const meter: MeterName = charges[Number(out[1]) - 1]!.name;
    return { admitted: false, meter, retryAfterMs: Number(out[2]), remaining };
  }

  /**
   * Rebuilds one missing month total from the ledger. False when another replica holds the meter's lock
   * (the caller waits and admits again). The ledger read happens after the lock is taken, and settlements
   * that reach Redis meanwhile are kept aside (`:p`), so none is lost or counted twice (see REBUILD_SCRIPT).
   */
  private async rebuild(charge: MeterCharge): Promise<boolean> {
    const [, , , total, counted, pending] = meterKeys(charge);
    const lock = `${charge.key}:r`;
    const token = randomUUID();
    if ((await this.redis.set(lock, token, 'PX', REBUILD_LOCK_MS, 'NX')) !== 'OK') return false;
    let read;
    try {
      // the replica that held the lock before may have finished: then there is nothing to read
      if ((await this.redis.exists(total!)) === 1) {
        await this.redis.qdUnlock(1, lock, token);
        return true;
      }
      read = await this.options.ledger.monthTotal(charge, Date.now() - REBUILD_RECENT_MS);
    } catch (err) {
      await this.redis.qdUnlock(1, lock, token).catch(() => {});
      throw err;
    }
    await this.redis.qdRebuild(4, total!, counted!, pending!, lock, token, read.total, MONTH_KEY_TTL_MS, 2 * REBUILD_RECENT_MS, ...read.recentRequestIds);
    return true;
  }

  private async firstConnection(): Promise<void> {
    if (!this.connectedOnce && this.redis.status !== 'ready') await this.ready();
  }

  /** Waits for the connection (the first one, or a reconnection) up to the timeout. */
  private ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.redis.off('ready', onReady);
        reject(new Error(`Redis is not connected (${this.redis.status})`));
      }, this.options.timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      this.redis.once('ready', onReady);
    });
  }
}
