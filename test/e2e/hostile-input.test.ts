import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { isErrorCode } from '../../src/errors/index.js';
import { adminCall, seedGatewayKey, TEST_ADMIN_TOKEN } from '../support/gateway-workspace.js';

/** Writes raw bytes to the server and reads the answer until the server closes the connection. */
function rawExchange(url: string, bytes: string | Buffer): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' && text ? undefined : reject(err)));
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.end(bytes);
  });
}

/** The error body's code, after checking it has OpenAI's shape with a catalogued code. */
function shapedCode(body: string): string {
  const parsed = JSON.parse(body) as { error: { message: unknown; type: unknown; param: unknown; code: unknown } };
  expect(typeof parsed.error.message).toBe('string');
  expect(typeof parsed.error.type).toBe('string');
  expect(parsed.error.param === null || typeof parsed.error.param === 'string').toBe(true);
  expect(isErrorCode(parsed.error.code)).toBe(true);
  return parsed.error.code as string;
}

/** Channels at the allocator's bound, with S-shaped Hill curves: its slowest input. */
function heaviestAllocation(): { totalBudgetMicros: number; spendAll: boolean; channels: unknown[] } {
  const channels = Array.from({ length: 200 }, (_, i) => ({
    channelId: `c${i}`,
    curve: { model: 'hill', params: { a: 1000 + i, k: 1e6 * (1 + (i % 5)), s: 0.5 + (i % 4) * 0.5 } },
    marginPerOutcomeMicros: 5_000_000,
    maxSpendMicros: 1e9,
  }));
  return { totalBudgetMicros: 1e10, spendAll: true, channels };
}

describe('hostile input is answered with a shaped 4xx, never a 500', () => {
  let running: RunningApp;
  let key: string;
  const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
  beforeAll(async () => {
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: TEST_ADMIN_TOKEN } }));
    await adminCall(running.url, 'POST', '/api/deployments', { name: 'm', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:9/v1' });
    key = (await seedGatewayKey(running.url, running.services.store, {})).key;
  });
  afterAll(async () => running?.stop());

  describe('cookies with malformed percent-encoding', () => {
    it('a partner session cookie %E0%A4%A reads as no session: 401 on guarded /api routes', async () => {
      const res = await running.app.inject({ method: 'GET', url: '/api/whoami', headers: { cookie: 'qd_partner_session=%E0%A4%A' } });
      expect(res.statusCode).toBe(401);
      expect(shapedCode(res.body)).toBe('QD_UNAUTHENTICATED');
    });

    it('does not get in the way of an admin token or of the public login', async () => {
      const asAdmin = await running.app.inject({ method: 'GET', url: '/api/whoami', headers: { ...admin, cookie: 'qd_partner_session=%E0%A4%A' } });
      expect(asAdmin.statusCode).toBe(200);
      const login = await running.app.inject({ method: 'POST', url: '/api/portal/login', headers: { cookie: 'qd_partner_session=%E0%A4%A' }, payload: { email: 'nobody@example.com', password: 'wrong-password' } });
      expect(login.statusCode).toBeGreaterThanOrEqual(400);
      expect(login.statusCode).toBeLessThan(500);
      shapedCode(login.body);
    });

    it('a visitor cookie qd_vid=%ZZ on /r/:code is replaced by a fresh visitor id, and the redirect happens', async () => {
      const link = await running.app.inject({ method: 'POST', url: '/api/links', headers: admin, payload: { targetUrl: 'https://example.com/signup' } });
      expect(link.statusCode).toBe(201);
      const res = await running.app.inject({ method: 'GET', url: `/r/${link.json().code}`, headers: { cookie: 'qd_vid=%ZZ' } });
      expect(res.statusCode).toBe(302);
      expect(String(res.headers['set-cookie'])).toMatch(/^qd_vid=v_[A-Za-z0-9_-]{22};/);
      expect(res.headers.location).toMatch(/^https:\/\/example\.com\/signup\?qd_vid=v_/);
    });
  });

  describe('route parameters', () => {
    it.each([
      ['/v1/models/%25ZZ', 'QD_MODEL_NOT_FOUND'],
      ['/api/deploy/%25', 'QD_NOT_FOUND'],
      ['/api/model-versions/%25', 'QD_NOT_FOUND'],
      ['/api/deployments/%25', 'QD_NOT_FOUND'],
    ])('GET %s is a 404 naming the decoded value', async (url, code) => {
      const res = await running.app.inject({ method: 'GET', url, headers: url.startsWith('/v1') ? { authorization: `Bearer ${key}` } : admin });
      expect(res.statusCode).toBe(404);
      expect(shapedCode(res.body)).toBe(code);
    });

    it('a model name holding / reaches /v1/models/:model encoded or not', async () => {
      await adminCall(running.url, 'POST', '/api/deployments', { name: 'org/model-1', kind: 'upstream', upstreamUrl: 'http://127.0.0.1:9/v1' });
      for (const url of ['/v1/models/org/model-1', '/v1/models/org%2Fmodel-1']) {
        const res = await running.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
        expect(res.statusCode, url).toBe(200);
        expect(res.json().id).toBe('org/model-1');
      }
    });

    it('every route with a parameter answers %, %ZZ, a truncated UTF-8 escape and an over-long value with a shaped 4xx', async () => {
      const failures: string[] = [];
      const values = ['%25', '%25ZZ', '%E0%A4%A', '%', 'x'.repeat(300)];
      for (const route of running.app.routeList) {
        if (!/[:*]/.test(route.url) || route.method === 'HEAD') continue;
        for (const value of values) {
          const url = route.url.replace(/:[A-Za-z_]+/g, value).replace(/\*$/, value);
          const withBody = route.method !== 'GET' && route.method !== 'DELETE';
          const res = await running.app.inject({ method: route.method as 'GET', url, headers: url.startsWith('/v1') ? { authorization: `Bearer ${key}` } : admin, ...(withBody ? { payload: {} } : {}) });
          let shaped = false;
          try {
            shaped = isErrorCode(JSON.parse(res.body).error?.code);
          } catch {
            shaped = false;
          }
          if (res.statusCode >= 500 || (res.statusCode >= 400 && !shaped)) failures.push(`${route.method} ${url.slice(0, 60)} -> ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });

  describe('bodies', () => {
    it('PATCH /api/plans/:id with {} is a 400 asking for a field', async () => {
      const plan = await adminCall<{ id: string }>(running.url, 'POST', '/api/plans', { name: 'patch-me', inputPer1mMicros: 1, outputPer1mMicros: 1 });
      const res = await running.app.inject({ method: 'PATCH', url: `/api/plans/${plan.json.id}`, headers: admin, payload: {} });
      expect(res.statusCode).toBe(400);
      expect(shapedCode(res.body)).toBe('QD_INVALID_REQUEST');
      expect(res.json().error.message).toMatch(/at least one field/);
    });

    it.each([
      ['/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 40_000 }, 'max_tokens', /^max_tokens: must be at most 32768 \(got 40000\)$/],
      ['/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }], stop: ['a', 'b', 'c', 'd', 'e'] }, 'stop', /^stop: must have at most 4 items$/],
      ['/v1/chat/completions', { model: 'm', messages: [{ role: 'wizard', content: 'x' }] }, 'messages.0.role', /^messages\.0\.role: must be one of "system"/],
      ['/v1/completions', { model: 'm', prompt: 5 }, 'prompt', /^prompt: must be a string or an array$/],
      ['/v1/completions', { model: 'm', prompt: 'x', max_tokens: 1.5 }, 'max_tokens', /^max_tokens: must be a whole number \(got 1\.5\)$/],
    ])('%s %j: the message names the field in plain words', async (url, payload, param, message) => {
      const res = await running.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param });
      expect(res.json().error.message).toMatch(message);
      expect(res.json().error.message).not.toMatch(/Too big|Too small|Invalid input|expected \w+ to be/);
    });

    it('a NUL character in a stored text field is a 400 (PostgreSQL stores none), not a 500', async () => {
      const res = await running.app.inject({ method: 'POST', url: '/api/channels', headers: admin, payload: { name: 'a\u0000b', type: 'direct' } });
      expect(res.statusCode).toBe(400);
      expect(shapedCode(res.body)).toBe('QD_INVALID_REQUEST');
    });

    it('an unknown field is named as the param', async () => {
      const res = await running.app.inject({ method: 'POST', url: '/api/plans', headers: admin, payload: { name: 'x', inputPer1mMicros: 1, outputPer1mMicros: 1, colour: 'red' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'colour', message: 'colour: is not a field of this request' });
    });

    it('a __proto__ key, a Content-Length that does not match, and 1e400 are 400s', async () => {
      const proto = await running.app.inject({ method: 'POST', url: '/api/plans', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}}' });
      expect(proto.statusCode).toBe(400);
      expect(shapedCode(proto.body)).toBe('QD_BAD_JSON');
      const length = await running.app.inject({ method: 'POST', url: '/api/plans', headers: { ...admin, 'content-type': 'application/json', 'content-length': '3' }, payload: '{"name": "x"}' });
      expect(length.statusCode).toBe(400);
      expect(shapedCode(length.body)).toBe('QD_INVALID_REQUEST');
      const huge = await running.app.inject({ method: 'POST', url: '/api/plans', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"name": "x", "inputPer1mMicros": 1e400, "outputPer1mMicros": 0}' });
      expect(huge.statusCode).toBe(400);
      expect(huge.json().error.param).toBe('inputPer1mMicros');
    });
  });

  describe('HTTP framing and router errors', () => {
    it.each([
      ['a malformed request line', 'GARBAGE\r\n\r\n', 400, 'QD_MALFORMED_HTTP'],
      ['a header without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n', 400, 'QD_MALFORMED_HTTP'],
      ['bad chunked encoding', 'POST /api/plans HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n', 400, 'QD_MALFORMED_HTTP'],
      ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'QD_HEADERS_TOO_LARGE'],
      ['a URL over 16 KiB', `GET /v1/models?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414, 'QD_URI_TOO_LONG'],
      ['a path segment over 100 characters', `GET /api/keys/${'a'.repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 414, 'QD_URI_TOO_LONG'],
      ['a path that is not valid percent-encoding', 'GET /api/keys/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 400, 'QD_INVALID_REQUEST'],
    ])('%s', async (_what, bytes, status, code) => {
      const res = await rawExchange(running.url, bytes);
      // With the dashboard built, a segment too long for /api/keys/:id falls through to its catch-all `/*`,
      // which answers /api paths with the shaped 404: either way a catalogued 4xx, never a 5xx.
      const expected = status === 414 ? [[414, code], [404, 'QD_NOT_FOUND']] : [[status, code]];
      expect(expected).toContainEqual([res.status, shapedCode(res.body)]);
    });

    it('still serves after all of that', async () => {
      expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    });
  });

  describe('strategy tools: bounded input, computed off the event loop', () => {
    it.each([
      ['allocate: 201 channels', '/api/strategy/allocate', { ...heaviestAllocation(), channels: [...heaviestAllocation().channels, ...heaviestAllocation().channels.slice(0, 1)] }, 'channels', /^channels: must have at most 200 items$/],
      ['topsis: 101 alternatives', '/api/strategy/topsis', { criteria: [{ id: 'a', weight: 1, kind: 'benefit' }], alternatives: Array.from({ length: 101 }, (_, i) => ({ id: `x${i}`, scores: [i] })) }, 'alternatives', /at most 100 items/],
      ['ahp: a 16 × 16 matrix', '/api/strategy/ahp', { matrix: Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => 1)) }, 'matrix', /^matrix: must have at most 15 items$/],
      ['ahp: a row of 16', '/api/strategy/ahp', { matrix: [[1, 1], Array.from({ length: 16 }, () => 1)] }, 'matrix.1', /^matrix\.1: must have at most 15 items$/],
      ['allocate: a curve of 9 parameters', '/api/strategy/allocate', { totalBudgetMicros: 1, channels: [{ channelId: 'c', curve: { model: 'hill', params: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, 1])) }, marginPerOutcomeMicros: 1 }] }, 'channels.0.curve.params', /at most 8 parameters/],
    ])('%s is a 400 naming the field', async (_what, url, payload, param, message) => {
      const res = await running.app.inject({ method: 'POST', url, headers: admin, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param });
      expect(res.json().error.message).toMatch(message);
    });

    it('answers /healthz and /v1/models while allocations at the bound are computing', async () => {
      const order: string[] = [];
      const post = (body: unknown) => fetch(`${running.url}/api/strategy/allocate`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const heavy = [1, 2, 3].map(() => post(heaviestAllocation()).then(async (r) => {
        order.push('allocate');
        return { status: r.status, body: (await r.json()) as { spentMicros: number; channels: unknown[] } };
      }));
      // Give the server time to read the three bodies and hand them to the method pool.
      await new Promise((r) => setTimeout(r, 50));
      const health = fetch(`${running.url}/healthz`).then((r) => (order.push('healthz'), r.status));
      const models = fetch(`${running.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } }).then((r) => (order.push('models'), r.status));
      expect(await health).toBe(200);
      expect(await models).toBe(200);
      for (const h of await Promise.all(heavy)) {
        expect(h.status).toBe(200);
        expect(h.body.channels).toHaveLength(200);
        expect(h.body.spentMicros).toBeGreaterThan(0);
      }
      // The light requests were answered before the first of the heavy ones finished.
      expect(order.slice(0, 2).sort()).toEqual(['healthz', 'models']);
    });
  });
});
