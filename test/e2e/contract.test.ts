import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { isApiReferenceRoute } from '../../src/server/openapi.js';
import { contractSteps } from '../contract/steps.js';
import { DocumentChecker, openApiPath, runStep, type ContractState, type Credentials } from '../contract/runner.js';
import { createTempDatabase, postgresReachable, storeKinds } from '../support/stores.js';

const adminToken = 'qd_admin_contract_tests_0123456789abcdef';

/** The `/api` and `/v1` routes of the app (the API reference's own routes aside). */
function apiRoutes(running: RunningApp) {
  return running.app.routeList.filter((r) => (r.url.startsWith('/api/') || r.url.startsWith('/v1/')) && !isApiReferenceRoute(r.url));
}

describe.each(storeKinds)('the HTTP contract on %s, with the demo workspace', (kind) => {
  let running: RunningApp | undefined;
  let drop: (() => Promise<void>) | undefined;
  let doc: Record<string, unknown> & { paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> };

  beforeAll(async () => {
    const env: Record<string, string> = { QUDAO_DATA_DIR: 'memory://', QUDAO_PORT: '0', QUDAO_LOG_LEVEL: 'silent', QUDAO_ADMIN_TOKEN: adminToken };
    if (kind === 'postgres') {
      if (!(await postgresReachable())) return;
      const temp = await createTempDatabase();
      env.DATABASE_URL = temp.url;
      drop = temp.drop;
    }
    running = await startApp(loadConfig({ env }), { demo: { scale: 0.05 } });
    const deadline = Date.now() + 600_000;
    while (running.services.demo?.state === 'generating' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(running.services.demo?.state).toBe('ready');
    doc = (await running.app.inject({ url: '/api/openapi.json' })).json();
  }, 900_000);
  afterAll(async () => {
    await running?.stop();
    await drop?.();
  });

  it('serves an OpenAPI 3.1 document that validates', async (ctx) => {
    if (!running) return ctx.skip();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('registers every /api and /v1 route from a contract, and the document lists each with a summary and a tag', (ctx) => {
    if (!running) return ctx.skip();
    const routes = apiRoutes(running);
    expect(routes.length).toBeGreaterThan(100);
    expect(routes.filter((r) => !r.contract).map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const missing = routes.filter((r) => {
      const op = doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()];
      return !op || !op.summary || !op.tags?.length;
    });
    expect(missing.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    const operations = Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    expect(operations).toBe(routes.length);
  });

  it('has a step for every route, and every answer matches its declared schema and the document', async (ctx) => {
    if (!running) return ctx.skip();
    const checker = new DocumentChecker(doc as never);
    const credentials: Credentials = { admin: adminToken };
    const state: ContractState = {};
    const failures: string[] = [];
    const succeeded = new Set<string>();
    for (const s of contractSteps) {
      const r = await runStep(running.app, checker, credentials, state, s);
      if (!r.problem && r.status >= 200 && r.status < 300) succeeded.add(`${s.route.method} ${s.route.url}`);
      if (state.partnerSession) credentials.partner = state.partnerSession;
      if (state.customerKey) credentials.customer = state.customerKey;
      if (r.problem) failures.push(`${s.route.method} ${s.route.url}: ${r.problem}`);
    }
    expect(failures).toEqual([]);
    const stepped = new Set(contractSteps.map((s) => `${s.route.method} ${s.route.url}`));
    expect(apiRoutes(running).map((r) => `${r.method} ${r.url}`).filter((k) => !stepped.has(k))).toEqual([]);

    // The audit trail: every mutating /api route that answered 2xx above left at least one audit row
    // naming its route, and the chain of all of them verifies.
    const mutations = apiRoutes(running).filter((r) => r.method !== 'GET' && r.url.startsWith('/api/')).map((r) => `${r.method} ${r.url}`);
    expect(mutations.length).toBeGreaterThan(60);
    const audited = new Set((await running.services.store.query<{ route: string }>('SELECT DISTINCT route FROM audit_log')).map((r) => r.route));
    expect(mutations.filter((k) => succeeded.has(k) && !audited.has(k))).toEqual([]);
    // A route whose step is an expected refusal (a 4xx by design) has no success to audit; every other one must have run.
    const refusedByDesign = new Set(contractSteps.filter((s) => s.refused).map((s) => `${s.route.method} ${s.route.url}`));
    expect(mutations.filter((k) => !succeeded.has(k) && !refusedByDesign.has(k))).toEqual([]);
    expect((await running.app.inject({ url: '/api/audit/verify', headers: { authorization: `Bearer ${adminToken}` } })).json()).toMatchObject({ ok: true, firstBadSeq: null });
  }, 300_000);
});
