import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { customerTables } from '../../src/customers/index.js';
import { newId, schema } from '../../src/store/index.js';
import { startTestApp, runCliAgainst } from '../support/cli.js';
import { dumpDatabase, tablesContaining } from '../support/database-dump.js';
import { adminCall } from '../support/gateway-workspace.js';
import { startMockUpstream, type MockUpstream } from '../support/mock-upstream.js';

type Json = Record<string, unknown>;

/** The value at a dotted path of the export (`rollups.usageDaily`). */
function section(exported: Json, path: string): unknown[] {
  return path.split('.').reduce<unknown>((v, k) => (v as Json)[k], exported) as unknown[];
}

/** Customer data export and erasure through /api and the CLI, on a customer that has a row in every table naming customers. */
describe('customer data export and erasure', () => {
  let running: RunningApp;
  let mock: MockUpstream;
  let customerId: string;
  let key: string;
  let keySecretHash: string;
  const personal = { name: 'Jane Q. Privacy', email: 'jane.privacy@example.org', meta: { note: 'prefers calls after 6pm', phone: '+44 20 7946 0958' }, visitorId: `vid_${newId('v')}`, keyName: "Jane's laptop key", trainingText: 'my PIN is 4417-JQP', jobNote: 'ticket for Jane Q. at home' };

  beforeAll(async () => {
    mock = await startMockUpstream();
    running = await startTestApp();
    const { store } = running.services;
    const ok = (r: { status: number; json: unknown }, status = 201) => {
      expect(r.status, JSON.stringify(r.json)).toBe(status);
      return r.json as Json;
    };
    await store.db.insert(schema.channels).values({ id: 'chn_priv', name: 'privacy-direct', type: 'direct' });
    const partner = ok(await adminCall(running.url, 'POST', '/api/partners', { name: 'Privacy Partner', type: 'reseller', region: 'eu' }));
    ok(await adminCall(running.url, 'POST', '/api/agreements', { partnerId: partner.id, revenueShareBps: 1500, startsAt: '2025-01-01T00:00:00Z' }));
    // An anonymous touch before signup; the signup links it and records a conversion touch.
    await store.db.insert(schema.touchpoints).values({ id: newId('tp'), visitorId: personal.visitorId, kind: 'click', occurredAt: new Date(Date.now() - 86_400_000) });
    const customer = ok(await adminCall(running.url, 'POST', '/api/customers', { name: personal.name, email: personal.email, meta: personal.meta, acquiredChannelId: 'chn_priv', acquiredPartnerId: partner.id, visitorId: personal.visitorId }));
    customerId = customer.id as string;
    const plan = ok(await adminCall(running.url, 'POST', '/api/plans', { name: 'privacy-plan', inputPer1mMicros: 1_000_000, outputPer1mMicros: 2_000_000 }));
    const k = ok(await adminCall(running.url, 'POST', '/api/keys', { customerId, channelId: 'chn_priv', planId: plan.id, name: personal.keyName }));
    key = k.key as string;
    keySecretHash = (await store.db.select().from(schema.apiKeys)).find((r) => r.id === k.id)!.keyHash;
    ok(await adminCall(running.url, 'POST', '/api/deployments', { name: 'priv-model', kind: 'upstream', upstreamUrl: mock.url, upstreamModel: 'm', requestLog: { enabled: true } }));
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 });
    // A fine-tuning file (its text is the customer's) through /v1, and a job on it whose metadata is free text.
    const line = JSON.stringify({ messages: [{ role: 'user', content: personal.trainingText }, { role: 'assistant', content: 'Noted.' }] });
    const upload = await fetch(`${running.url}/v1/files`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ purpose: 'fine-tune', file: { filename: 'jane.jsonl', text: `${line}\n` } }) });
    expect(upload.status, await upload.clone().text()).toBe(200);
    const fileId = ((await upload.json()) as Json).id as string;
    await store.db.insert(schema.fineTuningJobs).values({ id: newId('ftjob'), customerId, keyId: k.id as string, baseModel: 'priv-model', baseVersionId: 'mv_none', trainingFileId: fileId, hyperparameters: { n_epochs: 1, batch_size: 1, learning_rate_multiplier: 1 }, seed: 1, metadata: { note: personal.jobNote }, status: 'failed' });
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ model: 'priv-model', messages: [{ role: 'user', content: `hello ${i}` }], max_tokens: 2 });
    await running.services.gateway!.ledger.settled();
    await running.services.gateway!.requestLog.drain();
    await running.services.analytics!.refresh();
    const month = new Date().toISOString().slice(0, 7);
    ok(await adminCall(running.url, 'POST', '/api/statements', { month }));
    // Billing rows that name the customer: a credit entry, and a final invoice of last month's (late) usage.
    ok(await adminCall(running.url, 'POST', `/api/customers/${customerId}/credits`, { kind: 'grant', amountMicros: 1_000_000, note: 'welcome credit' }));
    const lastMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 15));
    await store.db.insert(schema.usageEvents).values({ requestId: newId('req'), occurredAt: lastMonth, keyId: k.id as string, customerId, channelId: 'chn_priv', model: 'm', endpoint: 'chat', promptTokens: 10, status: 'ok', httpStatus: 200, priceMicros: 10 });
    ok(await adminCall(running.url, 'POST', '/api/invoices/finalize', { month: lastMonth.toISOString().slice(0, 7) }), 200);
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    await mock?.close();
  });

  it('lists every table that has a customer_id column (a new one fails here until export and erasure cover it)', async () => {
    const rows = await running.services.store.query<{ table_name: string }>("SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'customer_id' ORDER BY table_name");
    expect(rows.map((r) => r.table_name)).toEqual(Object.keys(customerTables).sort());
  });

  it('exports every row of every table that names the customer, keys without secret or hash', async () => {
    const r = await adminCall<Json>(running.url, 'GET', `/api/customers/${customerId}/export`);
    expect(r.status).toBe(200);
    const exported = r.json;
    expect(exported.customer).toMatchObject({ id: customerId, name: personal.name, email: personal.email, meta: personal.meta, erasedAt: null });
    for (const [table, { section: path }] of Object.entries(customerTables)) {
      const [count] = await running.services.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE customer_id = $1`, [customerId]);
      expect(count!.n, table).toBeGreaterThan(0);
      expect(section(exported, path), table).toHaveLength(count!.n);
    }
    expect(exported.plans).toMatchObject([{ name: 'privacy-plan' }]);
    expect((exported.statementLines as Json[]).length).toBeGreaterThan(0);
    expect((exported.statementLines as Json[])[0]).toMatchObject({ line: { customerId } });
    expect((exported.touchpoints as Json[]).map((t) => t.kind).sort()).toEqual(['click', 'signup']);
    const text = JSON.stringify(exported);
    expect(text).not.toContain(key);
    expect(text).not.toContain(keySecretHash);
    expect(text).not.toContain('keyHash');
    expect((await adminCall(running.url, 'GET', '/api/customers/cus_nobody/export')).status).toBe(404);
  });

  it('erases only with confirm: true, naming the field', async () => {
    for (const body of [{}, { confirm: false }, { confirm: 'yes' }]) {
      const r = await adminCall<{ error: { param: string; code: string } }>(running.url, 'POST', `/api/customers/${customerId}/erase`, body);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ param: 'confirm', code: 'QD_INVALID_REQUEST' });
    }
    const cli = await runCliAgainst(running, 'customers', 'erase', customerId);
    expect(cli.code).toBe(2);
    expect(cli.err).toContain('--yes');
    expect((await adminCall<Json>(running.url, 'GET', `/api/customers/${customerId}`)).json.name).toBe(personal.name);
  });

  it('erases personal fields everywhere, revokes the key at once, and keeps every ledger amount', async () => {
    const { store } = running.services;
    const ledgerBefore = JSON.stringify(await store.query('SELECT * FROM usage_events ORDER BY seq'));
    const rollupsBefore = JSON.stringify([await store.query('SELECT * FROM usage_daily ORDER BY 1,2,3,4,5,6'), await store.query('SELECT * FROM customer_months ORDER BY 1,2')]);
    const statementsBefore = JSON.stringify(await store.query('SELECT id, revenue_micros, share_micros, lines FROM statements ORDER BY id'));
    const cli = await runCliAgainst(running, 'customers', 'erase', customerId, '--yes');
    expect(cli.code, cli.err).toBe(0);
    expect(cli.out).toContain(`erased as erased-${customerId}: 1 keys revoked, 2 touchpoints pseudonymised, 3 request logs deleted, 1 fine-tuning files deleted`);
    // The key stops working at once (this replica's cache reloaded before the answer).
    const refused = await new OpenAI({ baseURL: `${running.url}/v1`, apiKey: key, maxRetries: 0 }).chat.completions.create({ model: 'priv-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    const shown = (await adminCall<Json>(running.url, 'GET', `/api/customers/${customerId}`)).json;
    expect(shown).toMatchObject({ id: customerId, name: `erased-${customerId}`, email: null, meta: {}, status: 'archived' });
    expect(typeof shown.erasedAt).toBe('string');
    const dump = await dumpDatabase(store);
    for (const value of [personal.name, personal.email, personal.meta.note, personal.meta.phone, personal.visitorId, personal.keyName, personal.trainingText, personal.jobNote]) expect(tablesContaining(dump, value), value).toEqual([]);
    expect(JSON.stringify(await store.query('SELECT * FROM usage_events ORDER BY seq'))).toBe(ledgerBefore);
    expect(JSON.stringify([await store.query('SELECT * FROM usage_daily ORDER BY 1,2,3,4,5,6'), await store.query('SELECT * FROM customer_months ORDER BY 1,2')])).toBe(rollupsBefore);
    expect(JSON.stringify(await store.query('SELECT id, revenue_micros, share_micros, lines FROM statements ORDER BY id'))).toBe(statementsBefore);
    // Erasing again changes nothing and says so; an archived (erased) customer cannot be filled in again.
    const again = await adminCall<Json>(running.url, 'POST', `/api/customers/${customerId}/erase`, { confirm: true });
    expect(again.json).toMatchObject({ revokedKeys: 0, pseudonymisedTouchpoints: 0, deletedRequestLogs: 0, deletedFineTuningFiles: 0, customer: { erasedAt: shown.erasedAt } });
    expect((await adminCall(running.url, 'PATCH', `/api/customers/${customerId}`, { name: 'Jane again' })).status).toBe(409);
  });

  it('exports the erased customer under its pseudonym through the CLI', async () => {
    const cli = await runCliAgainst(running, 'customers', 'export', customerId);
    expect(cli.code, cli.err).toBe(0);
    const exported = JSON.parse(cli.out) as Json;
    expect(exported.customer).toMatchObject({ name: `erased-${customerId}`, email: null });
    expect(exported.requestLogs).toEqual([]);
    expect((exported.usage as unknown[]).length).toBe(4);
    expect(cli.out).not.toContain(personal.visitorId);
  });
});
