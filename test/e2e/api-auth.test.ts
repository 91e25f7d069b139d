import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { isApiReferenceRoute } from '../../src/server/openapi.js';
import { PUBLIC_ROUTES } from '../../src/server/route-access.js';
import { rawRequest, requestHead } from '../support/raw-http.js';

/** Fills `:params` and wildcards of a route pattern with placeholder values. */
function concretePath(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'x_placeholder').replace(/\*$/, 'x_placeholder');
}

describe('every /api route requires credentials', () => {
  const adminToken = 'qd_admin_api_auth_tests_0123456789abcdef';
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: adminToken } }));
  });
  afterAll(async () => running?.stop());

  it('finds the /api routes', () => {
    expect(running.app.routeList.filter((r) => r.url.startsWith('/api/')).length).toBeGreaterThan(0);
  });

  it.each([
    ['no credentials', {}],
    ['a wrong bearer token', { authorization: 'Bearer qd_admin_not_a_real_token_000000000000' }],
    ['a customer API key', { authorization: 'Bearer sk-qd-0000000000000000000000000000' }],
  ])('answers 401 with %s on every route but the public ones', async (_what, headers) => {
    const failures: string[] = [];
    for (const route of running.app.routeList) {
      if (!route.url.startsWith('/api/') || route.access === 'public') continue;
      const res = await running.app.inject({ method: route.method as 'GET', url: concretePath(route.url), headers, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      if (res.statusCode !== 401 || res.json().error?.code !== 'QD_UNAUTHENTICATED') failures.push(`${route.method} ${route.url} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  /** The `/api` routes that need credentials, with a concrete path each. */
  function guardedRoutes(): { method: string; url: string; path: string }[] {
    return running.app.routeList.filter((r) => r.url.startsWith('/api/') && r.access !== 'public').map((r) => ({ ...r, path: concretePath(r.url) }));
  }

  /** Sends a request with the path spelled as given, exactly (no client normalisation). */
  function send(method: string, target: string, headers: Record<string, string> = {}) {
    const host = new URL(running.url).host;
    const body = method === 'GET' || method === 'DELETE' ? '' : '{}';
    const withBody = body ? { 'content-type': 'application/json', 'content-length': String(body.length), ...headers } : headers;
    return rawRequest(running.url, requestHead(method, target, host, withBody), body);
  }

  /** Spellings of a path that the router takes to the same route (percent-encoding, absolute-form). */
  const routedSpellings: [string, (path: string, host: string) => string][] = [
    ['percent-encoded first segment', (p) => p.replace(/^\/api\//, '/%61pi/')],
    ['percent-encoded last segment', (p) => p.replace(/\/([A-Za-z_])([^/]*)$/, (_m, c: string, rest: string) => `/%${c.charCodeAt(0).toString(16)}${rest}`)],
    ['absolute-form request line', (p, host) => `http://${host}${p}`],
    ['absolute-form and percent-encoded', (p, host) => `http://${host}${p.replace(/^\/api\//, '/%61pi/')}`],
  ];
  /** Spellings that may route nowhere (404 from the not-found handler) but must never reach a handler unauthenticated. */
  const otherSpellings: [string, (path: string) => string][] = [
    ['a leading double slash', (p) => `/${p}`],
    ['a double slash inside', (p) => p.replace(/^\/api\//, '/api//')],
    ['a trailing %2F', (p) => `${p}%2F`],
    ['a trailing slash', (p) => `${p}/`],
    ['upper case', (p) => p.replace(/^\/api\//, '/API/')],
    ['mixed case', (p) => p.replace(/^\/api\//, '/Api/')],
  ];

  it.each(routedSpellings)('answers 401 on every route with a %s', async (_what, spell) => {
    const host = new URL(running.url).host;
    const failures: string[] = [];
    for (const route of guardedRoutes()) {
      const target = spell(route.path, host);
      const res = await send(route.method, target);
      if (res.status !== 401 || JSON.parse(res.body).error?.code !== 'QD_UNAUTHENTICATED') failures.push(`${route.method} ${target} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it.each(routedSpellings)('a %s reaches the route itself (admin GETs are not refused or unrouted)', async (_what, spell) => {
    const host = new URL(running.url).host;
    const failures: string[] = [];
    for (const route of guardedRoutes().filter((r) => r.method === 'GET')) {
      const target = spell(route.path, host);
      const res = await send('GET', target, { authorization: `Bearer ${adminToken}` });
      const error = res.status >= 400 ? JSON.parse(res.body).error : undefined;
      if (res.status === 401 || error?.message?.startsWith('no route ')) failures.push(`GET ${target} -> ${res.status} ${error?.message ?? ''}`);
    }
    expect(failures).toEqual([]);
  });

  it.each(otherSpellings)('never runs a handler without credentials for %s (401, or 404 from no route)', async (_what, spell) => {
    const failures: string[] = [];
    for (const route of guardedRoutes()) {
      const target = spell(route.path);
      const res = await send(route.method, target);
      // The dashboard's catch-all `/*` refers such paths to the JSON 404 too (src/server/static-files.ts), so
      // an /api spelling never answers with the dashboard's page.
      const error = JSON.parse(res.body || '{}').error;
      const refused = res.status === 401 && error?.code === 'QD_UNAUTHENTICATED';
      const unrouted = res.status === 404 && error?.code === 'QD_NOT_FOUND' && String(error.message).startsWith('no route ');
      if (!refused && !unrouted) failures.push(`${route.method} ${target} -> ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('lists every route outside /api and /v1 as public, and inside /api only the two sign-in routes and the API reference', () => {
    const outside = [...new Set(running.app.routeList.map((r) => r.url).filter((u) => !u.startsWith('/api/') && !u.startsWith('/v1/')))];
    expect(outside.filter((u) => !PUBLIC_ROUTES.includes(u))).toEqual([]);
    for (const u of ['/healthz', '/metrics', '/r/:code']) expect(outside).toContain(u);
    const publicApi = [...new Set(running.app.routeList.filter((r) => r.url.startsWith('/api/') && r.access === 'public').map((r) => r.url))];
    expect(publicApi.filter((u) => !isApiReferenceRoute(u)).sort()).toEqual(['/api/auth/login', '/api/portal/login']);
    expect(publicApi).toContain('/api/openapi.json');
    expect(publicApi).toContain('/api/docs');
  });

  it('serves the public routes without credentials', async () => {
    for (const path of ['/healthz', '/metrics']) expect((await running.app.inject({ url: path })).statusCode).toBe(200);
    const unknownLink = await running.app.inject({ url: '/r/nolink' });
    expect(unknownLink.statusCode).toBe(404);
    expect(unknownLink.json().error.code).toBe('QD_NOT_FOUND');
  });
});
