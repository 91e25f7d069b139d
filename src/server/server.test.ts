import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { AdminTokens } from '../auth/index.js';
import { loadConfig } from '../config/index.js';
import { migrate, openPglite, type Store } from '../store/index.js';
import { z } from 'zod';
import { defineRoute } from '../shared/contract/route.js';
import { route } from './http/index.js';
import { buildServer, createMetrics, type Services } from './index.js';

const ADMIN = 'qd_admin_test_token_0123456789abcdef';

async function makeServices(): Promise<Services> {
  const store: Store = await openPglite('memory://');
  await migrate(store);
  const config = loadConfig({ env: { QUDAO_LOG_LEVEL: 'silent' } });
  const adminTokens = new AdminTokens(store);
  await adminTokens.ensure(ADMIN);
  return { config, store, adminTokens, metrics: createMetrics(), version: 'test', startedAt: new Date() };
}

describe('server', () => {
  let services: Services;
  let app: FastifyInstance;
  beforeAll(async () => {
    services = await makeServices();
    app = await buildServer(services);
    const echo = defineRoute({ method: 'POST', url: '/api/echo', tag: 'test', access: 'admin', summary: 'Echoes the body', body: z.unknown(), response: { 200: z.object({ got: z.unknown() }) } });
    route(app, echo, async (req) => ({ got: req.body }));
  });
  afterAll(async () => {
    await app.close();
    await services.store.close();
  });

  it('answers /healthz with the store kind', async () => {
    const res = await app.inject({ url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', store: 'pglite' });
  });

  it('exposes Prometheus metrics including request counts', async () => {
    await app.inject({ url: '/healthz' });
    const res = await app.inject({ url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('qudao_http_requests_total{method="GET",route="/healthz",status="200"}');
    expect(res.body).toContain('qudao_process_cpu_user_seconds_total');
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong token', 'Bearer qd_admin_wrong'],
    ['a customer API key', 'Bearer sk-qd-live-abc'],
    ['a malformed header', 'Token abc'],
  ])('rejects /api with %s as 401 in the OpenAI error shape', async (_what, authorization) => {
    const res = await app.inject({ url: '/api/system', headers: authorization ? { authorization } : {} });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'QD_UNAUTHENTICATED', type: 'authentication_error' } });
  });

  it('admits the admin token', async () => {
    const res = await app.inject({ url: '/api/system', headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ store: 'pglite', startedAt: expect.stringMatching(/Z$/) });
    expect(res.json()).not.toHaveProperty('started_at');
  });

  it('maps malformed JSON, wrong media type and huge bodies to catalogued 4xx', async () => {
    const auth = { authorization: `Bearer ${ADMIN}` };
    const bad = await app.inject({ method: 'POST', url: '/api/echo', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"a":' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('QD_BAD_JSON');
    const media = await app.inject({ method: 'POST', url: '/api/echo', headers: { ...auth, 'content-type': 'application/x-nope' }, payload: 'x' });
    expect(media.statusCode).toBe(415);
    expect(media.json().error.code).toBe('QD_UNSUPPORTED_MEDIA_TYPE');
    const huge = await app.inject({ method: 'POST', url: '/api/echo', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ s: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('QD_BODY_TOO_LARGE');
  });

  it('answers unknown routes with QD_NOT_FOUND', async () => {
    const res = await app.inject({ url: '/v1/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('QD_NOT_FOUND');
  });
});

describe('graceful shutdown', () => {
  it('sends only the fields an answer declares, and answers a handler whose value breaks its schema with a 500', async () => {
    const services = await makeServices();
    const app = await buildServer(services);
    const answer = z.object({ id: z.string(), at: z.iso.datetime() });
    const leaky = defineRoute({ method: 'GET', url: '/api/leaky', tag: 'test', access: 'admin', summary: 'Returns a row with a column its contract does not declare', response: { 200: answer } });
    const broken = defineRoute({ method: 'GET', url: '/api/broken', tag: 'test', access: 'admin', summary: 'Returns a value of the wrong shape', response: { 200: answer } });
    route(app, leaky, async () => ({ id: 'k1', at: new Date('2026-01-02T03:04:05Z'), keyHash: 'sha256:secret' }));
    route(app, broken, async () => JSON.parse('{"id": 7}'));
    const auth = { authorization: `Bearer ${ADMIN}` };
    const ok = await app.inject({ url: '/api/leaky', headers: auth });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ id: 'k1', at: '2026-01-02T03:04:05.000Z' });
    const bad = await app.inject({ url: '/api/broken', headers: auth });
    expect(bad.statusCode).toBe(500);
    expect(bad.json().error.code).toBe('QD_INTERNAL');
    const extra = await app.inject({ url: '/api/leaky?debug=1', headers: auth });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'debug' });
    await app.close();
    await services.store.close();
  });

  it('refuses an /api or /v1 route registered without a contract', async () => {
    const services = await makeServices();
    const app = await buildServer(services);
    expect(() => app.get('/api/uncontracted', async () => ({}))).toThrow(/has no contract/);
    expect(() => app.post('/v1/uncontracted', async () => ({}))).toThrow(/has no contract/);
    await app.close();
    await services.store.close();
  });

  it('finishes in-flight requests and refuses new ones while closing', async () => {
    const services = await makeServices();
    const app = await buildServer(services);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = defineRoute({ method: 'GET', url: '/v1/slow', tag: 'test', access: 'customer-key', summary: 'Answers when released', response: { 200: z.object({ done: z.boolean() }) } });
    route(app, slow, async () => {
      await gate;
      return { done: true };
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as { port: number }).port;
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/v1/slow' }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
    await new Promise((r) => setTimeout(r, 100));
    const closing = app.close();
    await new Promise((r) => setTimeout(r, 50));
    release();
    const res = await inFlight;
    await closing;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ done: true });
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    await services.store.close();
  });
});
