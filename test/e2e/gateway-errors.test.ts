import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

/** Sends raw bytes, so malformed requests reach the server exactly as written. */
function rawPost(url: string, path: string, headers: Record<string, string>, body: string | Buffer): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('gateway refuses bad requests with the right 4xx, never a 500', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let key: string;
  beforeAll(async () => {
    mock = await startMockUpstream();
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN, QUDAO_BODY_LIMIT_BYTES: '65536' } }));
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url });
    key = (await seedGatewayKey(running.url, running.services.store, {})).key;
  });
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  const json = { 'content-type': 'application/json' };
  const valid = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };
  const cases: [string, () => Record<string, string>, string | Buffer, number, string][] = [
    ['malformed JSON', () => ({ ...json, authorization: `Bearer ${key}` }), '{"model": "m", "messages": [', 400, 'QD_BAD_JSON'],
    ['an empty body', () => ({ ...json, authorization: `Bearer ${key}` }), '', 400, 'QD_BAD_JSON'],
    ['a JSON array', () => ({ ...json, authorization: `Bearer ${key}` }), '[1,2]', 400, 'QD_INVALID_REQUEST'],
    ['a string model', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, model: 42 }), 400, 'QD_INVALID_REQUEST'],
    ['messages as a string', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, messages: 'hi' }), 400, 'QD_INVALID_REQUEST'],
    ['no messages', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, messages: [] }), 400, 'QD_INVALID_REQUEST'],
    ['an unknown role', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, messages: [{ role: 'wizard', content: 'x' }] }), 400, 'QD_INVALID_REQUEST'],
    ['temperature 3', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, temperature: 3 }), 400, 'QD_INVALID_REQUEST'],
    ['max_tokens -1', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, max_tokens: -1 }), 400, 'QD_INVALID_REQUEST'],
    ['max_tokens 1.5', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, max_tokens: 1.5 }), 400, 'QD_INVALID_REQUEST'],
    ['stream "yes"', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, stream: 'yes' }), 400, 'QD_INVALID_REQUEST'],
    ['n 1000', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, n: 1000 }), 400, 'QD_INVALID_REQUEST'],
    ['five stop sequences', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, stop: ['a', 'b', 'c', 'd', 'e'] }), 400, 'QD_INVALID_REQUEST'],
    ['a huge body', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(200_000) }] }), 413, 'QD_BODY_TOO_LARGE'],
    ['text/plain', () => ({ 'content-type': 'text/plain', authorization: `Bearer ${key}` }), 'hello', 415, 'QD_UNSUPPORTED_MEDIA_TYPE'],
    ['an unknown model', () => ({ ...json, authorization: `Bearer ${key}` }), JSON.stringify({ ...valid, model: 'nope' }), 404, 'QD_MODEL_NOT_FOUND'],
    ['no key', () => json, JSON.stringify(valid), 401, 'QD_INVALID_API_KEY'],
    ['a wrong key', () => ({ ...json, authorization: 'Bearer qd_sk_0000000000000000000000000000000000000000' }), JSON.stringify(valid), 401, 'QD_INVALID_API_KEY'],
    ['an admin token as key', () => ({ ...json, authorization: `Bearer ${TEST_ADMIN_TOKEN}` }), JSON.stringify(valid), 401, 'QD_INVALID_API_KEY'],
    ['a malformed Authorization', () => ({ ...json, authorization: 'Basic abc' }), JSON.stringify(valid), 401, 'QD_INVALID_API_KEY'],
    // The key is checked before the body is read or validated: a caller without one learns nothing of the input rules.
    ['no key and an invalid body', () => json, JSON.stringify({ ...valid, max_tokens: -1, messages: [] }), 401, 'QD_INVALID_API_KEY'],
    ['no key and malformed JSON', () => json, '{"model": ', 401, 'QD_INVALID_API_KEY'],
    ['no key and text/plain', () => ({ 'content-type': 'text/plain' }), 'hello', 401, 'QD_INVALID_API_KEY'],
    ['a wrong key and a huge body', () => ({ ...json, authorization: 'Bearer qd_sk_0000000000000000000000000000000000000000' }), JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(200_000) }] }), 401, 'QD_INVALID_API_KEY'],
  ];

  it.each(cases)('%s', async (_what, headers, body, status, code) => {
    const res = await rawPost(running.url, '/v1/chat/completions', headers(), body);
    expect(res.status).toBe(status);
    const parsed = JSON.parse(res.body) as { error: { code: string; type: string; message: string } };
    expect(parsed.error.code).toBe(code);
    expect(parsed.error.message.length).toBeGreaterThan(0);
  });

  it('still answers after all of that', async () => {
    const res = await rawPost(running.url, '/v1/completions', { ...json, authorization: `Bearer ${key}` }, JSON.stringify({ model: 'm', prompt: 'x', max_tokens: 1 }));
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('answers an unreachable upstream with 502 QD_UPSTREAM_ERROR, then, marked unhealthy, with 503 QD_UPSTREAM_UNHEALTHY', async () => {
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'dead', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:9/v1', maxRetries: 1 });
    const call = () => rawPost(running.url, '/v1/chat/completions', { ...json, authorization: `Bearer ${key}` }, JSON.stringify({ ...valid, model: 'dead' }));
    // The first request races the health check a new deployment gets on first sight: either its own connect
    // fails (502) or the check has already found the upstream down (503); never anything else.
    const first = await call();
    expect([[502, 'QD_UPSTREAM_ERROR'], [503, 'QD_UPSTREAM_UNHEALTHY']]).toContainEqual([first.status, JSON.parse(first.body).error.code]);
    // From then on the deployment is unhealthy: refused at once, and the SDKs are told not to retry.
    const next = await call();
    expect(next.status).toBe(503);
    expect(JSON.parse(next.body).error.code).toBe('QD_UPSTREAM_UNHEALTHY');
    expect(next.headers['x-should-retry']).toBe('false');
  });

  it('answers an upstream slower than its timeout with 504 QD_UPSTREAM_TIMEOUT', async () => {
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'slowpoke', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'slow-1', timeoutMs: 100, maxRetries: 0 });
    const res = await rawPost(running.url, '/v1/chat/completions', { ...json, authorization: `Bearer ${key}` }, JSON.stringify({ ...valid, model: 'slowpoke' }));
    expect(res.status).toBe(504);
    expect(JSON.parse(res.body).error.code).toBe('QD_UPSTREAM_TIMEOUT');
  });

  it('validates admin input too', async () => {
    expect((await adminCall(running.url, 'POST', '/api/plans', { name: 'x', inputPer1mMicros: -1, outputPer1mMicros: 0 })).status).toBe(400);
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'y', kind: 'upstream' })).json).toMatchObject({ error: { code: 'QD_INVALID_REQUEST', param: 'upstreamUrl' } });
    expect((await adminCall(running.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: mock.url })).status).toBe(409);
    expect((await adminCall(running.url, 'POST', '/api/keys', { customerId: 'cus_missing', channelId: 'x' })).status).toBe(404);
    expect((await adminCall(running.url, 'POST', '/api/keys/key_missing/revoke')).status).toBe(404);
  });
});
