import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { burst, byStatus } from '../support/load.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

// Each request: prompt bound 8 + len("hi") + 8 = 18 tokens, max_tokens 2 -> reserves 20 tokens; the mock
// reports exactly that usage, so every admitted request settles to what it reserved.
const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 2 };
const PER_REQUEST_TOKENS = 20;
// Price per request at 1.00/1M input and 2.00/1M output: 18 + 4 = 22 micro-units.
const PER_REQUEST_MICROS = 22;

describe('limits and quotas are exact under 200 concurrent requests', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  const dataDir = mkdtempSync(join(tmpdir(), 'qd-gw-limits-'));
  const config = loadConfig({ env: { QUDAO_DATA_DIR: dataDir, QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } });
  const ledgerTokens = async (customerId: string) => {
    await running.services.gateway!.ledger.settled(); // the on-disk data folder journals rows; wait for their insert
    const r = await running.services.store.db.execute<{ t: number; p: number; n: number }>(sql`SELECT COALESCE(SUM(prompt_tokens + completion_tokens),0)::int AS t, COALESCE(SUM(price_micros),0)::int AS p, COUNT(*)::int AS n FROM usage_events WHERE customer_id = ${customerId}`);
    return ((r as unknown as { rows: { t: number; p: number; n: number }[] }).rows ?? r)[0]!;
  };

  beforeAll(async () => {
    mock = await startMockUpstream();
    running = await startApp(config);
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url });
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admits exactly the requests-per-minute limit', async () => {
    const { key } = await seedGatewayKey(running.url, running.services.store, { rpmLimit: 37 });
    const shots = await burst(running.url, key, 200, body);
    expect(byStatus(shots)).toEqual({ 200: 37, 429: 163 });
    const refused = shots.find((s) => s.status === 429)!;
    expect(refused.body.error?.code).toBe('QD_RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('37');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    const ok = shots.filter((s) => s.status === 200).map((s) => Number(s.headers.get('x-ratelimit-remaining-requests')));
    expect(ok.sort((a, b) => a - b)).toEqual(Array.from({ length: 37 }, (_, i) => i));
  });

  it('admits exactly the tokens-per-minute limit', async () => {
    const { key } = await seedGatewayKey(running.url, running.services.store, { tpmLimit: 50 * PER_REQUEST_TOKENS + PER_REQUEST_TOKENS - 1 });
    expect(byStatus(await burst(running.url, key, 200, body))).toEqual({ 200: 50, 429: 150 });
  });

  it('never lets the monthly quota be exceeded, and a restart rebuilds it from the ledger', async () => {
    const quota = 60 * PER_REQUEST_TOKENS + 7;
    const seeded = await seedGatewayKey(running.url, running.services.store, { monthlyTokenQuota: quota });
    const shots = await burst(running.url, seeded.key, 200, body);
    expect(byStatus(shots)).toEqual({ 200: 60, 429: 140 });
    expect(shots.find((s) => s.status === 429)!.body.error?.code).toBe('QD_QUOTA_EXCEEDED');
    const used = await ledgerTokens(seeded.customerId);
    expect(used).toEqual({ t: 60 * PER_REQUEST_TOKENS, p: 60 * PER_REQUEST_MICROS, n: 60 });
    await running.stop();
    running = await startApp(config);
    const after = await burst(running.url, seeded.key, 5, body);
    expect(byStatus(after)).toEqual({ 429: 5 });
    expect(after[0]!.headers.get('x-qudao-quota-remaining-tokens')).toBe('7');
  });

  it('stops at the monthly spend budget', async () => {
    const { key, customerId } = await seedGatewayKey(running.url, running.services.store, {}, { spendBudgetMicros: 10 * PER_REQUEST_MICROS + 5 });
    const shots = await burst(running.url, key, 200, body);
    expect(byStatus(shots)).toEqual({ 200: 10, 429: 190 });
    expect(shots.find((s) => s.status === 429)!.body.error?.code).toBe('QD_BUDGET_EXCEEDED');
    expect((await ledgerTokens(customerId)).p).toBe(10 * PER_REQUEST_MICROS);
  });
});
