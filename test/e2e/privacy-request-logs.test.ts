import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import type { RequestLogRecord } from '../../src/shared/contract/gateway.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

type Page = { data: RequestLogRecord[]; total: number };

/** Optional request logging per deployment: off by default, redacted, streamed ones at their end, never in the request's way. */
describe('request logging per deployment', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let client: OpenAI;
  let customerId: string;
  const personal = 'Mail jane.doe@example.com, call +44 20 7946 0958, card 4111 1111 1111 1111, order #123456789012.';
  const redacted = 'Mail [EMAIL], call [PHONE], card [CARD], order #123456789012.';

  beforeAll(async () => {
    mock = await startMockUpstream({ word: (i) => (i === 0 ? 'reach' : i === 1 ? 'ops@acme.io' : `w${i}`) });
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_HEALTH_CHECK_INTERVAL_MS: '0' } }));
    for (const [name, upstreamModel] of [['logged', 'm'], ['quiet', 'm'], ['logged-cut', 'cut-1']] as const) {
      expect((await adminCall(running.url, 'POST', '/api/deployments', { name, kind: 'upstream', upstreamUrl: mock.url, upstreamModel, maxRetries: 0 })).status).toBe(201);
    }
    const seeded = await seedGatewayKey(running.url, running.services.store, {});
    customerId = seeded.customerId;
    client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: seeded.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  const logsOf = async (name: string, query = '') => {
    await running.services.gateway!.requestLog.drain();
    const r = await adminCall<Page>(running.url, 'GET', `/api/deployments/${name}/request-logs${query}`);
    expect(r.status).toBe(200);
    return r.json;
  };

  it('is off by default: a new deployment says so and logs nothing', async () => {
    const d = await adminCall<{ requestLog: unknown }>(running.url, 'GET', '/api/deployments/quiet');
    expect(d.json.requestLog).toEqual({ enabled: false, retentionDays: 7 });
    await client.chat.completions.create({ model: 'quiet', messages: [{ role: 'user', content: personal }], max_tokens: 3 });
    expect(await logsOf('quiet')).toEqual({ data: [], total: 0 });
  });

  it('refuses settings it cannot keep, naming the field', async () => {
    for (const [requestLog, param] of [[{ retentionDays: 0 }, 'requestLog.retentionDays'], [{ enabled: 'yes' }, 'requestLog.enabled'], [{}, 'requestLog'], [{ enabled: true, keep: 1 }, 'requestLog.keep']] as const) {
      const r = await adminCall<{ error: { code: string; param: string } }>(running.url, 'PATCH', '/api/deployments/logged', { requestLog });
      expect(r.status).toBe(400);
      expect(r.json.error.param).toBe(param);
    }
  });

  it('logs whole and streamed requests, redacted before storage, with ids, status and endpoint', async () => {
    for (const name of ['logged', 'logged-cut']) {
      const on = await adminCall<{ requestLog: unknown }>(running.url, 'PATCH', `/api/deployments/${name}`, { requestLog: { enabled: true, retentionDays: 3 } });
      expect(on.json.requestLog).toEqual({ enabled: true, retentionDays: 3 });
    }
    const whole = await client.chat.completions.create({ model: 'logged', messages: [{ role: 'user', content: personal }], max_tokens: 3 });
    expect(whole.choices[0]!.message.content).toBe('reach ops@acme.io w2');
    let streamed = '';
    for await (const c of await client.completions.create({ model: 'logged', prompt: personal, max_tokens: 4, stream: true })) streamed += c.choices[0]?.text ?? '';
    expect(streamed).toBe('reach ops@acme.io w2 w3');
    const page = await logsOf('logged');
    expect(page.total).toBe(2);
    const [latest, first] = page.data;
    expect(first).toMatchObject({ requestId: whole.id.replace(/^chatcmpl-/, ''), endpoint: 'chat', model: 'logged', promptText: redacted, completionText: 'reach [EMAIL] w2', status: 'ok', httpStatus: 200, streamed: false, customerId });
    expect(latest).toMatchObject({ endpoint: 'completions', promptText: redacted, completionText: 'reach [EMAIL] w2 w3', status: 'ok', streamed: true });
    // Paged, newest first.
    expect((await logsOf('logged', '?limit=1&offset=1')).data.map((r) => r.requestId)).toEqual([first!.requestId]);
  });

  it('logs a stream the upstream cut, with what reached the client', async () => {
    const cut = await (async () => {
      for await (const c of await client.chat.completions.create({ model: 'logged-cut', messages: [{ role: 'user', content: personal }], max_tokens: 6, stream: true })) void c;
    })().then(() => 'ended', () => 'cut');
    expect(cut).toBe('cut');
    const [row] = (await logsOf('logged-cut')).data;
    expect(row).toMatchObject({ status: 'error', streamed: true, promptText: redacted, completionText: 'reach [EMAIL]' });
  });

  it('answers the request when the log write fails, and counts the failure in /metrics', async () => {
    const failures = async () => Number(/qudao_gateway_request_log_failures_total\{reason="write"\} (\d+)/.exec((await running.app.inject({ url: '/metrics' })).body)?.[1] ?? 0);
    const before = await failures();
    await running.services.store.query('ALTER TABLE request_logs RENAME TO request_logs_away');
    try {
      const r = await client.chat.completions.create({ model: 'logged', messages: [{ role: 'user', content: personal }], max_tokens: 2 });
      expect(r.choices[0]!.message.content).toBe('reach ops@acme.io');
      await running.services.gateway!.requestLog.drain();
      expect(await failures()).toBe(before + 1);
    } finally {
      await running.services.store.query('ALTER TABLE request_logs_away RENAME TO request_logs');
    }
    // The request was metered all the same.
    const usage = await adminCall<{ totals: { requests: number } }>(running.url, 'GET', `/api/usage?customerId=${customerId}`);
    expect(usage.json.totals.requests).toBeGreaterThanOrEqual(5);
  });

  it('deletes a deployment\'s logs on request, and 404s an unknown deployment', async () => {
    const del = await adminCall<{ deleted: number }>(running.url, 'DELETE', '/api/deployments/logged/request-logs');
    expect(del).toEqual({ status: 200, json: { deleted: 2 } });
    expect((await logsOf('logged')).total).toBe(0);
    expect((await logsOf('logged-cut')).total).toBe(1);
    expect((await adminCall(running.url, 'GET', '/api/deployments/nope/request-logs')).status).toBe(404);
  });
});
