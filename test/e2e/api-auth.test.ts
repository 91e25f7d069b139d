import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';

/** Fills `:params` and wildcards of a route pattern with placeholder values. */
function concretePath(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, 'x_placeholder').replace(/\*$/, 'x_placeholder');
}

describe('every /api route requires credentials', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(loadConfig({ env: { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_DEMO: 'false', QUDAO_LOG_LEVEL: 'silent' } }));
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
    const publicPaths = new Set(running.publicApiPaths);
    const failures: string[] = [];
    for (const route of running.app.routeList) {
      if (!route.url.startsWith('/api/') || publicPaths.has(route.url)) continue;
      const res = await running.app.inject({ method: route.method as 'GET', url: concretePath(route.url), headers, ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }) });
      if (res.statusCode !== 401 || res.json().error?.code !== 'QD_UNAUTHENTICATED') failures.push(`${route.method} ${route.url} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });
});
