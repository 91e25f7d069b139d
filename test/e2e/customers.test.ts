import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { newId, schema } from '../../src/store/index.js';
import { caller, PARTNER_TESTS_ADMIN, seedPlan, startPartnersApp, type ApiCaller } from '../support/partners.js';
import { runQudao } from '../support/process.js';

const PASSWORD = 'customer tests password 123';

describe('customers', () => {
  let running: RunningApp;
  let admin: ApiCaller;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    running = await startPartnersApp('postgres');
    admin = caller(running, `Bearer ${PARTNER_TESTS_ADMIN}`);
    id.plan = await seedPlan(running.services.store);
    id.partnerA = (await admin('POST', '/api/partners', { name: 'Cust A', type: 'reseller', region: 'cn' })).json().id;
    id.partnerB = (await admin('POST', '/api/partners', { name: 'Cust B', type: 'reseller', region: 'eu' })).json().id;
    id.channelA = (await admin('POST', '/api/channels', { name: 'A resale', type: 'reseller', ownerPartnerId: id.partnerA, defaultPlanId: id.plan, marginBps: 2_000 })).json().id;
    id.channelB = (await admin('POST', '/api/channels', { name: 'B resale', type: 'reseller', ownerPartnerId: id.partnerB, defaultPlanId: id.plan, marginBps: 2_000 })).json().id;
    id.direct = (await admin('POST', '/api/channels', { name: 'Direct web', type: 'direct', defaultPlanId: id.plan })).json().id;
    await admin('POST', `/api/partners/${id.partnerA}/users`, { email: 'a@cust.example', password: PASSWORD });
  });
  afterAll(async () => running?.stop());

  it('creates, reads, lists, updates and validates customers', async () => {
    const created = await admin('POST', '/api/customers', { name: 'Acme', email: 'ops@acme.example', region: 'cn', acquiredChannelId: id.direct });
    expect(created.statusCode).toBe(201);
    const c = created.json();
    expect(c).toMatchObject({ name: 'Acme', acquiredChannelId: id.direct, status: 'active' });
    expect((await admin('GET', `/api/customers/${c.id}`)).json().email).toBe('ops@acme.example');
    const list = (await admin('GET', `/api/customers?channelId=${id.direct}&q=acm`)).json();
    expect(list.total).toBe(1);
    expect(list.data[0].id).toBe(c.id);
    expect((await admin('PATCH', `/api/customers/${c.id}`, { region: 'eu' })).json().region).toBe('eu');
    // The key form's customer picker searches the server: substring of name or email, or an exact id; LIKE wildcards are literal.
    await admin('POST', '/api/customers', { name: 'Acme 100% Cloud' });
    expect((await admin('GET', '/api/customers?q=ACME&limit=1')).json()).toMatchObject({ total: 2, data: [{ name: expect.stringMatching(/^Acme/) }] });
    expect((await admin('GET', `/api/customers?q=${c.id}`)).json().data.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await admin('GET', `/api/customers?q=${encodeURIComponent('100%')}`)).json().data.map((x: { name: string }) => x.name)).toEqual(['Acme 100% Cloud']);
    expect((await admin('GET', '/api/customers?q=%25')).json().total).toBe(1);
    for (const [query, param] of [['limit=0', 'limit'], ['limit=5000', 'limit'], ['limit=ten', 'limit'], [`q=${'x'.repeat(201)}`, 'q']] as const) {
      const refused = await admin('GET', `/api/customers?${query}`);
      expect(refused.statusCode, query).toBe(400);
      expect(refused.json().error, query).toMatchObject({ code: 'QD_INVALID_REQUEST', param });
    }

    const bad = await admin('POST', '/api/customers', { name: 'X', acquiredChannelId: 'chn_nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'acquiredChannelId' });
    expect((await admin('POST', '/api/customers', { name: '' })).json().error.param).toBe('name');
    expect((await admin('POST', '/api/customers', { name: 'Y', extra: 1 })).statusCode).toBe(400);
    expect((await admin('GET', '/api/customers/cus_missing')).statusCode).toBe(404);
  });

  it('links a visitor: earlier touchpoints, a signup touchpoint, and acquisition from the last campaign touch', async () => {
    const { store } = running.services;
    const campaignId = newId('cmp');
    await store.db.insert(schema.campaigns).values({ id: campaignId, name: `launch ${campaignId}`, goal: 'signups', startsAt: new Date('2026-01-01') });
    const linkId = newId('lnk');
    await store.db.insert(schema.links).values({ id: linkId, code: `c${linkId.slice(-8)}`, campaignId, partnerId: id.partnerB, targetUrl: 'https://example.com/' });
    const visitorId = 'vis_customer_test';
    await store.db.insert(schema.touchpoints).values([
      { id: newId('tp'), visitorId, occurredAt: new Date('2026-03-01'), kind: 'view', promotionChannel: 'content' },
      { id: newId('tp'), visitorId, occurredAt: new Date('2026-03-02'), kind: 'click', campaignId, linkId, promotionChannel: 'partner_co_marketing' },
    ]);
    const res = await admin('POST', '/api/customers', { name: 'Visitor Co', acquiredChannelId: id.channelB, visitorId, acquiredAt: '2026-03-03T00:00:00Z' });
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ acquiredCampaignId: campaignId, acquiredPartnerId: id.partnerB });
    const touches = await store.db.select().from(schema.touchpoints).where(eq(schema.touchpoints.visitorId, visitorId));
    expect(touches).toHaveLength(3);
    expect(touches.every((t) => t.customerId === c.id)).toBe(true);
    expect(touches.filter((t) => t.kind === 'signup')).toHaveLength(1);
  });

  it('refuses to delete a customer with keys, archives it and revokes its keys instead', async () => {
    const c = (await admin('POST', '/api/customers', { name: 'Keyed', acquiredChannelId: id.direct })).json();
    const key = await admin('POST', '/api/keys', { customerId: c.id, channelId: id.direct, planId: id.plan });
    expect(key.statusCode).toBe(201);
    const del = await admin('DELETE', `/api/customers/${c.id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('QD_REFERENCED');
    expect((await admin('POST', `/api/customers/${c.id}/archive`)).json().status).toBe('archived');
    const keys = await running.services.store.db.select().from(schema.apiKeys).where(eq(schema.apiKeys.customerId, c.id));
    expect(keys.map((k) => k.status)).toEqual(['revoked']);
    expect((await admin('PATCH', `/api/customers/${c.id}`, { name: 'Renamed' })).json().error.code).toBe('QD_IMMUTABLE');
    const bare = (await admin('POST', '/api/customers', { name: 'Bare' })).json();
    expect((await admin('DELETE', `/api/customers/${bare.id}`)).statusCode).toBe(204);
  });

  it('lets a partner sign up its own customers only on its own channels, and never use the admin routes', async () => {
    const token = (await running.app.inject({ method: 'POST', url: '/api/portal/login', payload: { email: 'a@cust.example', password: PASSWORD } })).json().token as string;
    const partner = caller(running, `Bearer ${token}`);
    const mine = await partner('POST', '/api/portal/customers', { name: 'Partner signup' });
    expect(mine.statusCode).toBe(201);
    expect(mine.json()).toMatchObject({ acquiredPartnerId: id.partnerA, acquiredChannelId: id.channelA });
    const theirs = await partner('POST', '/api/portal/customers', { name: 'Sneaky', channelId: id.channelB });
    expect(theirs.statusCode).toBe(403);
    expect((await partner('GET', '/api/customers')).statusCode).toBe(403);
    expect((await partner('POST', '/api/customers', { name: 'Nope' })).statusCode).toBe(403);
    expect((await admin('POST', '/api/portal/customers', { name: 'Admin is no partner' })).statusCode).toBe(403);
  });

  it('is scriptable: qudao customers create and list through the running server', async () => {
    const env = { QUDAO_URL: running.url, QUDAO_ADMIN_TOKEN: PARTNER_TESTS_ADMIN };
    const created = await runQudao(['customers', 'create', 'CLI Co', '--channel', id.direct, '--region', 'cn'], env);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('CLI Co');
    const listed = await runQudao(['customers', 'list', '--search', 'CLI', '--json'], env);
    expect(JSON.parse(listed.stdout).data.map((c: { name: string }) => c.name)).toEqual(['CLI Co']);
    const bad = await runQudao(['customers', 'create', 'Bad', '--channel', 'chn_nope'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('acquiredChannelId');
  });
});
