import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type Store } from '../../src/store/index.js';
import { adminCall, seedCustomer, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { byStatus, type Shot } from '../support/load.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { startQudao, type QudaoProcess } from '../support/process.js';
import { redisReachable, testRedisUrl } from '../support/redis.js';
import { createTempDatabase, postgresReachable } from '../support/stores.js';

const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 };

async function chat(url: string, key: string): Promise<Shot> {
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Shot['body'] };
}

describe('two gateway processes sharing Redis and PostgreSQL', async () => {
  const available = (await postgresReachable()) && (await redisReachable());
  let temp: Awaited<ReturnType<typeof createTempDatabase>>;
  let store: Store;
  let mock: MockUpstream;
  let a: QudaoProcess;
  let b: QudaoProcess;

  beforeAll(async () => {
    if (!available) return;
    temp = await createTempDatabase();
    mock = await startMockUpstream();
    // Exact admission across replicas, not a slow Redis (gateway-redis-faults is that): a 200-request burst on a
    // loaded 2-core machine can hold a Redis reply past the 250 ms default and answer 503, so wait longer here.
    const env = { DATABASE_URL: temp.url, REDIS_URL: testRedisUrl, QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_DEMO: 'false', QUDAO_REDIS_TIMEOUT_MS: '5000' };
    [a, b] = await Promise.all([startQudao([], env), startQudao([], env)]);
    store = await openPostgres(temp.url, 2);
    await adminCall(a.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url });
  });
  afterAll(async () => {
    for (const p of [a, b]) p?.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await store?.close();
    await mock?.close();
    await temp?.drop();
  });

  /** A key made through process A, once process B has heard of it (NOTIFY on qudao_cache). */
  async function keyOnBoth(plan: Record<string, unknown>, customer: Parameters<typeof seedCustomer>[1] = {}): Promise<string> {
    const { customerId, channelId } = await seedCustomer(store, customer);
    const p = await adminCall<{ id: string }>(a.url, 'POST', '/api/plans', { name: `p-${customerId}`, inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000, ...plan });
    const k = await adminCall<{ key: string }>(a.url, 'POST', '/api/keys', { customerId: customerId, channelId: channelId, planId: p.json.id });
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${b.url}/v1/models`, { headers: { authorization: `Bearer ${k.json.key}` } });
      if (res.status === 200) return k.json.key;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('process B never saw the new key');
  }

  it.skipIf(!available)('admit exactly the requests-per-minute limit together', async () => {
    const key = await keyOnBoth({ rpmLimit: 41 });
    const shots = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(i % 2 ? a.url : b.url, key)));
    expect(byStatus(shots)).toEqual({ 200: 41, 429: 159 });
  });

  it.skipIf(!available)('admit exactly the monthly quota together, and the ledger agrees', async () => {
    const key = await keyOnBoth({ monthlyTokenQuota: 33 * 20 + 19 });
    const shots = await Promise.all(Array.from({ length: 200 }, (_, i) => chat(i % 2 ? a.url : b.url, key)));
    expect(byStatus(shots)).toEqual({ 200: 33, 429: 167 });
    const ids = shots.filter((s) => s.status === 200).map((s) => s.body.id!.replace('chatcmpl-', ''));
    const rows = await store.query<{ n: number; t: number }>('SELECT count(*)::int AS n, sum(prompt_tokens + completion_tokens)::int AS t FROM usage_events WHERE request_id = ANY($1)', [ids]);
    expect(rows[0]).toEqual({ n: 33, t: 33 * 20 });
  });
});
