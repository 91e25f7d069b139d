import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthlyTokensKey, monthOf } from '../../src/gateway/limits/meters.js';
import { openPostgres, type Store } from '../../src/store/index.js';
import { adminCall, seedCustomer, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { byStatus, type Shot } from '../support/load.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { startQudao, type QudaoProcess } from '../support/process.js';
import { redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../support/redis.js';
import { createTempDatabase, postgresReachable } from '../support/stores.js';

/** Every request uses exactly 20 tokens (the mock reports the gateway's prompt bound, 18, plus 2 words). */
const TOKENS_PER_REQUEST = 20;

/** A request that is not answered by then counts as hanging; the limits under test are far below it. */
const CLIENT_TIMEOUT_MS = 5_000;

async function chat(url: string, key: string, model = 'm'): Promise<Shot> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 }),
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Shot['body'] };
}

async function health(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, { status: string; latency_ms: number }> } }> {
  const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
  return { status: res.status, body: (await res.json()) as never };
}

/** Retries `check` every 50 ms until it passes, for at most 10 s. */
async function eventually(check: () => Promise<void>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < 200; i++) {
    try {
      return await check();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw last;
}

describe('two gateway processes on a Redis that is flushed, killed and frozen', async () => {
  const available = redisServerAvailable() && (await postgresReachable());
  let redis: PrivateRedis;
  let temp: Awaited<ReturnType<typeof createTempDatabase>>;
  let store: Store;
  let mock: MockUpstream;
  let a: QudaoProcess;
  let b: QudaoProcess;
  // each replica its own data folder (as on two machines), never the checkout's ./data
  const dataDirs: string[] = [];

  beforeAll(async () => {
    if (!available) return;
    redis = await startPrivateRedis();
    temp = await createTempDatabase();
    mock = await startMockUpstream({ slowMs: 1_500 });
    const env = { DATABASE_URL: temp.url, REDIS_URL: redis.url, QUDAO_REDIS_TIMEOUT_MS: '250', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_DEMO: 'false' };
    for (let i = 0; i < 2; i++) dataDirs.push(mkdtempSync(join(tmpdir(), 'qudao-replica-')));
    [a, b] = await Promise.all(dataDirs.map((dir) => startQudao([], { ...env, QUDAO_DATA_DIR: dir })));
    store = await openPostgres(temp.url, 2);
    await adminCall(a.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url });
    await adminCall(a.url, 'POST', '/api/deployments', { name: 'slow-m', kind: 'upstream', upstreamUrl: mock.url });
  });
  afterAll(async () => {
    redis?.thaw();
    for (const p of [a, b]) p?.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await store?.close();
    await mock?.close();
    await temp?.drop();
    await redis?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A key with a monthly token quota, made through A, once B has heard of it; and its customer. */
  async function quotaKey(quota: number): Promise<{ key: string; customerId: string }> {
    const { customerId, channelId } = await seedCustomer(store);
    const p = await adminCall<{ id: string }>(a.url, 'POST', '/api/plans', { name: `p-${customerId}`, inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000, monthlyTokenQuota: quota });
    const k = await adminCall<{ key: string }>(a.url, 'POST', '/api/keys', { customerId: customerId, channelId: channelId, planId: p.json.id });
    await eventually(async () => {
      const res = await fetch(`${b.url}/v1/models`, { headers: { authorization: `Bearer ${k.json.key}` } });
      expect(res.status).toBe(200);
    });
    return { key: k.json.key, customerId };
  }

  async function ledgerTokens(customerId: string): Promise<number> {
    const [row] = await store.query<{ t: number }>('SELECT COALESCE(sum(prompt_tokens + completion_tokens), 0)::int AS t FROM usage_events WHERE customer_id = $1', [customerId]);
    return row!.t;
  }

  /** The month total the replicas share, straight from Redis (null when missing). */
  async function counter(customerId: string): Promise<number | null> {
    const v = await redis.client.get(`${monthlyTokensKey(customerId, monthOf(Date.now()))}:t`);
    return v === null ? null : Number(v);
  }

  const spread = (n: number, key: string) => Promise.all(Array.from({ length: n }, (_, i) => chat(i % 2 ? a.url : b.url, key)));

  it.skipIf(!available)('a FLUSHALL mid-month does not reset the quota: together the replicas admit exactly the quota', async () => {
    const quota = 50 * TOKENS_PER_REQUEST;
    const { key, customerId } = await quotaKey(quota);
    expect(byStatus(await spread(20, key))).toEqual({ 200: 20 });
    await redis.client.flushall();
    expect(byStatus(await spread(60, key))).toEqual({ 200: 30, 429: 30 });
    expect(await ledgerTokens(customerId)).toBe(quota);
    for (const url of [a.url, b.url]) expect((await chat(url, key)).body.error?.code).toBe('QD_QUOTA_EXCEEDED');
  });

  it.skipIf(!available)('a FLUSHALL with requests in flight: the rebuilt counter equals the ledger, no settlement lost or counted twice', async () => {
    const { key, customerId } = await quotaKey(1_000_000);
    expect(byStatus(await spread(20, key))).toEqual({ 200: 20 });
    const before = mock.received.chat;
    const slow = Promise.all(Array.from({ length: 40 }, (_, i) => chat(i % 2 ? a.url : b.url, key, 'slow-m')));
    await eventually(async () => expect(mock.received.chat).toBe(before + 40)); // all admitted, none settled
    await redis.client.flushall();
    // these rebuild the total while the slow ones are still out; those settle into the rebuilt total
    expect(byStatus(await spread(40, key))).toEqual({ 200: 40 });
    expect(byStatus(await slow)).toEqual({ 200: 40 });
    expect((await chat(a.url, key)).status).toBe(200);
    await eventually(async () => expect(await counter(customerId)).toBe(await ledgerTokens(customerId)));
    expect(await ledgerTokens(customerId)).toBe(101 * TOKENS_PER_REQUEST);
  });

  it.skipIf(!available)('a settlement lost while Redis is down is taken from the ledger when it is back', async () => {
    const { key, customerId } = await quotaKey(1_000_000);
    expect((await chat(a.url, key)).status).toBe(200);
    await eventually(async () => expect(await counter(customerId)).toBe(TOKENS_PER_REQUEST));
    const before = mock.received.chat;
    const slow = chat(a.url, key, 'slow-m');
    await eventually(async () => expect(mock.received.chat).toBe(before + 1)); // admitted, upstream working
    await redis.client.save(); // Redis comes back with the counter as it is now, the slow request's reservation in it
    await redis.kill();
    expect((await slow).status).toBe(200); // its settlement failed: the counter in the dump misses its 20 tokens
    // down long enough that no client could still be holding that settlement for a reconnection
    await new Promise((r) => setTimeout(r, 2_000));
    await redis.restart();
    await eventually(async () => expect((await chat(a.url, key)).status).toBe(200));
    await eventually(async () => expect(await counter(customerId)).toBe(await ledgerTokens(customerId)));
    expect(await ledgerTokens(customerId)).toBe(3 * TOKENS_PER_REQUEST);
  });

  it.skipIf(!available)('a frozen or dead Redis: 503 QD_OVERLOADED with Retry-After and /healthz 503, not a hang; both recover', async () => {
    const { key } = await quotaKey(1_000_000);
    expect((await chat(a.url, key)).status).toBe(200);
    redis.freeze();
    try {
      for (const url of [a.url, b.url]) {
        const shot = await chat(url, key);
        expect(shot.status).toBe(503);
        expect(shot.body.error?.code).toBe('QD_OVERLOADED');
        expect(shot.headers.get('retry-after')).toBe('1');
        expect(await health(url)).toMatchObject({ status: 503, body: { status: 'unavailable', checks: { store: { status: 'ok' }, redis: { status: 'down' } } } });
      }
    } finally {
      redis.thaw();
    }
    await eventually(async () => expect((await chat(a.url, key)).status).toBe(200));
    await redis.kill();
    const shot = await chat(b.url, key);
    expect([shot.status, shot.headers.get('retry-after')]).toEqual([503, '1']);
    expect((await health(b.url)).status).toBe(503);
    await redis.restart();
    await eventually(async () => expect((await chat(b.url, key)).status).toBe(200));
    expect(await health(b.url)).toMatchObject({ status: 200, body: { status: 'ok', checks: { store: { status: 'ok' }, redis: { status: 'ok' } } } });
  });
});
