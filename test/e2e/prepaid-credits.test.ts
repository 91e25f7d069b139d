/**
 * Prepaid credits under load (issue #16): a prepaid customer is admitted only while its credit balance
 * covers each request's reserved maximum price, in the same atomic step as the budgets, on one process and
 * on two replicas sharing PostgreSQL and Redis. The balance never goes below zero, no request is admitted
 * beyond it, a top-up admits again on every replica, and a Redis FLUSHALL rebuilds the balance from the
 * ledger instead of resetting it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { openPostgres, type Store } from '../../src/store/index.js';
import { runCliAgainst } from '../support/cli.js';
import { adminCall, seedCustomer, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { burst, byStatus, type Shot } from '../support/load.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';
import { startQudao, type QudaoProcess } from '../support/process.js';
import { redisServerAvailable, startPrivateRedis, type PrivateRedis } from '../support/redis.js';
import { createTempDatabase, postgresReachable } from '../support/stores.js';

// Each request reserves a prompt bound of 18 tokens plus max_tokens 2; at 1.00/1M input and 2.00/1M output
// its maximum price is 18 + 4 = 22 micro-units, and the mock reports exactly that usage, so each admitted
// request settles to what it reserved.
const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 };
const PRICE = 22;
/** Below this balance answers carry `x-qudao-credit-low: true`. */
const LOW = 10 * PRICE;

interface Credits {
  billingMode: string;
  creditedMicros: number;
  usedMicros: number;
  balanceMicros: number;
  low: boolean;
  entries: { kind: string; amountMicros: number }[];
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

async function chat(url: string, key: string): Promise<Shot> {
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Shot['body'] };
}

const balanceHeader = (s: Shot) => Number(s.headers.get('x-qudao-credit-balance-micros'));

/** What every refusal of an exhausted credit looks like: 402 in OpenAI's shape, the catalogued code, no Retry-After. */
function expectCreditRefusals(shots: Shot[]): void {
  for (const s of shots.filter((x) => x.status !== 200)) {
    expect(s.status).toBe(402);
    expect(s.body.error?.code).toBe('QD_CREDIT_EXHAUSTED');
    expect(s.headers.get('retry-after')).toBeNull();
    expect(s.headers.get('x-qudao-credit-balance-micros')).not.toBeNull();
  }
}

/** Σ ledger price of the customer's rows and their count, straight from the database. */
async function ledgerOf(store: Store, customerId: string): Promise<{ price: number; rows: number }> {
  const [r] = await store.query<{ price: number; rows: number }>('SELECT COALESCE(SUM(price_micros), 0)::int AS price, COUNT(*)::int AS rows FROM usage_events WHERE customer_id = $1', [customerId]);
  return r!;
}

async function creditedOf(store: Store, customerId: string): Promise<number> {
  const [r] = await store.query<{ credited: number }>('SELECT COALESCE(SUM(amount_micros), 0)::int AS credited FROM credit_entries WHERE customer_id = $1', [customerId]);
  return r!.credited;
}

describe('prepaid credits on one process: 200 concurrent requests', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-prepaid-'));
  const config = loadConfig({ env: { QUDAO_DATA_DIR: dataDir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
  let key: string;
  let customerId: string;

  beforeAll(async () => {
    mock = await startMockUpstream();
    running = await startApp(config);
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url });
    ({ key, customerId } = await seedGatewayKey(running.url, running.services.store, {}));
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admits exactly the requests the balance covers, refuses the rest with QD_CREDIT_EXHAUSTED, and never goes below zero', async () => {
    const mode = await adminCall<Credits>(running.url, 'PUT', `/api/customers/${customerId}/billing`, { billingMode: 'prepaid', lowBalanceMicros: LOW });
    expect(mode.status).toBe(200);
    expect(mode.json).toMatchObject({ billingMode: 'prepaid', creditedMicros: 0, balanceMicros: 0 });
    // nothing credited yet: refused without reaching the upstream
    expect((await chat(running.url, key)).body.error?.code).toBe('QD_CREDIT_EXHAUSTED');
    const topup = await adminCall<Credits>(running.url, 'POST', `/api/customers/${customerId}/credits`, { kind: 'topup', amountMicros: 40 * PRICE + 5 });
    expect(topup.status).toBe(201);
    expect(topup.json).toMatchObject({ creditedMicros: 40 * PRICE + 5, balanceMicros: 40 * PRICE + 5, low: false });

    const shots = await burst(running.url, key, 200, body);
    expect(byStatus(shots)).toEqual({ 200: 40, 402: 160 });
    expectCreditRefusals(shots);
    // each admitted answer carries the balance after its own reservation: 5 + 22·k, k = 0..39
    const ok = shots.filter((s) => s.status === 200);
    expect(ok.map(balanceHeader).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, k) => 5 + PRICE * k));
    for (const s of ok) expect(s.headers.get('x-qudao-credit-low')).toBe(balanceHeader(s) < LOW ? 'true' : null);

    const credits = await adminCall<Credits>(running.url, 'GET', `/api/customers/${customerId}/credits`);
    expect(credits.json).toMatchObject({ creditedMicros: 40 * PRICE + 5, usedMicros: 40 * PRICE, balanceMicros: 5, low: true });
    expect(await ledgerOf(running.services.store, customerId)).toEqual({ price: 40 * PRICE, rows: 40 });
    const refused = await chat(running.url, key);
    expect(refused.status).toBe(402);
    expect(refused.headers.get('x-qudao-credit-balance-micros')).toBe('5');
    expect(refused.headers.get('x-qudao-credit-low')).toBe('true');
  });

  it('a top-up through the CLI admits again at once, exactly what it covers', async () => {
    // 0.00022 units = 220 micro-units: ten more requests with the 5 left over
    const grant = await runCliAgainst(running, 'credits', 'grant', customerId, '0.00022', '--kind', 'grant', '--note', 'goodwill');
    expect(grant.code).toBe(0);
    expect(grant.out).toMatch(/prepaid/);
    const shots = await burst(running.url, key, 30, body);
    expect(byStatus(shots)).toEqual({ 200: 10, 402: 20 });
    const balance = await runCliAgainst(running, 'credits', 'balance', customerId, '--json');
    expect(JSON.parse(balance.out)).toMatchObject({ creditedMicros: 50 * PRICE + 5, balanceMicros: 5, entries: [{ kind: 'topup', amountMicros: 40 * PRICE + 5 }, { kind: 'grant', amountMicros: 10 * PRICE }] });
  });

  it('a restart rebuilds the balance from the ledger instead of resetting it', async () => {
    await running.stop();
    running = await startApp(config);
    const after = await burst(running.url, key, 5, body);
    expect(byStatus(after)).toEqual({ 402: 5 });
    expect(after[0]!.headers.get('x-qudao-credit-balance-micros')).toBe('5');
  });

  it('a postpaid customer gets no credit headers and is not limited by credit', async () => {
    const { key: postpaid } = await seedGatewayKey(running.url, running.services.store, {});
    const s = await chat(running.url, postpaid);
    expect(s.status).toBe(200);
    expect(s.headers.get('x-qudao-credit-balance-micros')).toBeNull();
  });
});

describe('prepaid credits on two replicas sharing PostgreSQL and Redis', async () => {
  const available = redisServerAvailable() && (await postgresReachable());
  let redis: PrivateRedis;
  let temp: Awaited<ReturnType<typeof createTempDatabase>>;
  let store: Store;
  let mock: MockUpstream;
  let a: QudaoProcess;
  let b: QudaoProcess;
  const dataDirs: string[] = [];

  beforeAll(async () => {
    if (!available) return;
    redis = await startPrivateRedis();
    temp = await createTempDatabase();
    mock = await startMockUpstream();
    const env = { DATABASE_URL: temp.url, REDIS_URL: redis.url, QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_DEMO: 'false' };
    for (let i = 0; i < 2; i++) dataDirs.push(mkdtempSync(join(tmpdir(), 'qudao-prepaid-replica-')));
    [a, b] = await Promise.all(dataDirs.map((dir) => startQudao([], { ...env, QUDAO_DATA_DIR: dir })));
    store = await openPostgres(temp.url, 2);
    await adminCall(a.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url });
  });
  afterAll(async () => {
    for (const p of [a, b]) p?.child.kill('SIGTERM');
    await Promise.all([a?.exited, b?.exited]);
    await store?.close();
    await mock?.close();
    await temp?.drop();
    await redis?.stop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A prepaid customer credited with `credit`, and a key for it made through A once B has heard of the key:
   * B's cache reload that brings the key brings the credit and the mode too (they changed first).
   */
  async function prepaidKey(credit: number): Promise<{ key: string; customerId: string }> {
    const { customerId, channelId } = await seedCustomer(store);
    expect((await adminCall(a.url, 'PUT', `/api/customers/${customerId}/billing`, { billingMode: 'prepaid', lowBalanceMicros: LOW })).status).toBe(200);
    expect((await adminCall(a.url, 'POST', `/api/customers/${customerId}/credits`, { kind: 'topup', amountMicros: credit })).status).toBe(201);
    const p = await adminCall<{ id: string }>(a.url, 'POST', '/api/plans', { name: `p-${customerId}`, inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000 });
    const k = await adminCall<{ key: string }>(a.url, 'POST', '/api/keys', { customerId, channelId, planId: p.json.id });
    await eventually(async () => {
      const res = await fetch(`${b.url}/v1/models`, { headers: { authorization: `Bearer ${k.json.key}` } });
      expect(res.status).toBe(200);
    });
    return { key: k.json.key, customerId };
  }

  const spread = (n: number, key: string) => Promise.all(Array.from({ length: n }, (_, i) => chat(i % 2 ? a.url : b.url, key)));

  /** The balance as `/api` and as the two ledgers have it, once every admitted request's row is in the database. */
  async function settledBalance(customerId: string, admitted: number): Promise<number> {
    await eventually(async () => expect((await ledgerOf(store, customerId)).rows).toBe(admitted));
    const credits = await adminCall<Credits>(a.url, 'GET', `/api/customers/${customerId}/credits`);
    const ledger = await ledgerOf(store, customerId);
    expect(ledger.price).toBe(admitted * PRICE);
    expect(credits.json.balanceMicros).toBe((await creditedOf(store, customerId)) - ledger.price);
    return credits.json.balanceMicros;
  }

  it.skipIf(!available)('together the replicas admit exactly what the balance covers; after a top-up both admit again', async () => {
    const { key, customerId } = await prepaidKey(33 * PRICE + 7);
    const shots = await spread(200, key);
    expect(byStatus(shots)).toEqual({ 200: 33, 402: 167 });
    expectCreditRefusals(shots);
    const ok = shots.filter((s) => s.status === 200);
    // one atomic step across both replicas: every admission saw a different balance, 7 + 22·k
    expect(ok.map(balanceHeader).sort((x, y) => x - y)).toEqual(Array.from({ length: 33 }, (_, k) => 7 + PRICE * k));
    expect(ok.filter((s) => s.headers.get('x-qudao-credit-low') === 'true').length).toBe(10); // balances 7 … 205 < 220
    expect(await settledBalance(customerId, 33)).toBe(7);

    // Top up through A: A admits at once; B as soon as the NOTIFY reloaded its cache (polled one at a time).
    expect((await adminCall(a.url, 'POST', `/api/customers/${customerId}/credits`, { kind: 'topup', amountMicros: 20 * PRICE })).status).toBe(201);
    let polled = 0;
    await eventually(async () => {
      const s = await chat(b.url, key);
      if (s.status === 200) polled++;
      expect(s.status).toBe(200);
    });
    const again = await spread(100, key);
    expect(again.filter((s) => s.status === 200).length + polled).toBe(20);
    expectCreditRefusals(again);
    const okOn = (url: string) => again.filter((s, i) => s.status === 200 && (i % 2 ? a.url : b.url) === url).length;
    expect(okOn(a.url)).toBeGreaterThan(0);
    expect(okOn(b.url) + polled).toBeGreaterThan(0);
    expect(await settledBalance(customerId, 53)).toBe(7);
  });

  it.skipIf(!available)('a FLUSHALL does not reset the balance: it is rebuilt from the ledger, and the replicas still stop at zero', async () => {
    const { key, customerId } = await prepaidKey(50 * PRICE);
    expect(byStatus(await spread(20, key))).toEqual({ 200: 20 });
    await eventually(async () => expect((await ledgerOf(store, customerId)).rows).toBe(20));
    await redis.client.flushall();
    const after = await spread(60, key);
    expect(byStatus(after)).toEqual({ 200: 30, 402: 30 });
    expectCreditRefusals(after);
    expect(await settledBalance(customerId, 50)).toBe(0);
    for (const url of [a.url, b.url]) expect((await chat(url, key)).body.error?.code).toBe('QD_CREDIT_EXHAUSTED');
  });
});
