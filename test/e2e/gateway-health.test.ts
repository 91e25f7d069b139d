import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { schema } from '../../src/store/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

interface DeploymentWire {
  name: string;
  health: string;
  healthCheckedAt: string | null;
  healthError: string | null;
}

describe('health checks of upstream deployments', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let key: string;
  let port: number;

  beforeAll(async () => {
    mock = await startMockUpstream();
    port = mock.port;
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_HEALTH_CHECK_INTERVAL_MS: '150', QUDAO_HEALTH_CHECK_TIMEOUT_MS: '500' } }));
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url, maxRetries: 2 });
    key = (await seedGatewayKey(running.url, running.services.store, {})).key;
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  const deployment = async (): Promise<DeploymentWire> => {
    const { json } = await adminCall<{ data: DeploymentWire[] }>(running.url, 'GET', '/api/deployments');
    return json.data.find((d) => d.name === 'm')!;
  };
  // `error`: a probe in flight when the mock closes sees its keep-alive socket reset (ECONNRESET);
  // the round after it is refused, which is the state these tests assert on.
  const until = async (state: string, error?: RegExp): Promise<DeploymentWire> => {
    for (let i = 0; i < 200; i++) {
      const d = await deployment();
      if (d.health === state && (!error || error.test(d.healthError ?? ''))) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`deployment m never became ${state}`);
  };
  const chat = () => fetch(`${running.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3 }),
  });
  const ledgerRows = async () => (await running.services.store.db.select().from(schema.usageEvents)).length;

  it('marks an upstream that goes down unhealthy, refuses it at once, and serves it again when it comes back', async () => {
    const healthy = await until('healthy');
    expect(healthy.healthError).toBeNull();
    expect(Date.parse(healthy.healthCheckedAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect((await chat()).status).toBe(200);

    await mock.close();
    const down = await until('unhealthy', /ECONNREFUSED/);
    expect(down.healthError).toMatch(/^cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);
    const rowsBefore = await running.services.gateway!.ledger.settled().then(ledgerRows);
    const refused = await chat();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('QD_UPSTREAM_UNHEALTHY');
    expect(body.error.message).toMatch(/"m" is unavailable.*ECONNREFUSED/);
    // QD_UPSTREAM_UNHEALTHY (not a 502 from a failed connect) shows the gateway refused it from the health
    // state, without trying the upstream or retrying; tests assert no wall time.
    await running.services.gateway!.ledger.settled();
    expect(await ledgerRows()).toBe(rowsBefore);

    mock = await startMockUpstream({ port });
    await until('healthy');
    expect((await chat()).status).toBe(200);
  });

  it('marks a deployment unreachable at once when a request cannot connect (before the next round)', async () => {
    const gateway = running.services.gateway!;
    await gateway.health.stop();
    await mock.close();
    const failed = await chat();
    expect(failed.status).toBe(502);
    const d = await deployment();
    expect(d.health).toBe('unhealthy');
    expect((await chat()).status).toBe(503);
  });
});
