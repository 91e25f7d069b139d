import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { monthEnd } from '../../src/shared/month.js';
import { PartnerUserService, StatementService } from '../../src/partners/index.js';
import { appendUsage, caller, PARTNER_TESTS_ADMIN, reconcileRandomLedger, seedCustomer, seedPlan, startPartnersApp, type ApiCaller } from '../support/partners.js';

const PASSWORD = 'portal password of some length';

describe('the partner portal', () => {
  let running: RunningApp;
  let admin: ApiCaller;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    running = await startPartnersApp('postgres');
    admin = caller(running, `Bearer ${PARTNER_TESTS_ADMIN}`);
    const planId = await seedPlan(running.services.store);
    id.partner = (await admin('POST', '/api/partners', { name: 'Portal Co', type: 'referral', region: 'cn' })).json().id;
    id.channel = (await admin('POST', '/api/channels', { name: 'Portal channel', type: 'referral', ownerPartnerId: id.partner, defaultPlanId: planId, marginBps: 1_000 })).json().id;
    id.customer = await seedCustomer(running.services.store, id.partner, id.channel);
    id.user = (await admin('POST', `/api/partners/${id.partner}/users`, { email: 'Ops@Portal.example', name: 'Ops', password: PASSWORD })).json().id;
  });
  afterAll(async () => running?.stop());

  const login = (email: string, password: string) => running.app.inject({ method: 'POST', url: '/api/portal/login', payload: { email, password } });

  it('signs in with a session cookie (HttpOnly, SameSite=Strict) and never shows the password hash', async () => {
    const res = await login('ops@portal.example', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toMatch(/^qd_partner_session=qd_ps_\w+; Path=\/api; HttpOnly; SameSite=Strict; Max-Age=\d+/);
    expect(res.body).not.toMatch(/scrypt|passwordHash/);
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const me = await running.app.inject({ url: '/api/portal/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ partner: { id: id.partner }, agreement: null });
    expect((await running.app.inject({ url: '/api/whoami', headers: { cookie } })).json().principal).toMatchObject({ kind: 'partner', partnerId: id.partner, userId: id.user });
    const users = (await admin('GET', `/api/partners/${id.partner}/users`)).json().data;
    expect(users[0]).not.toHaveProperty('passwordHash');
  });

  it('refuses a wrong password, an unknown e-mail and a disabled user alike', async () => {
    for (const [email, password] of [['ops@portal.example', 'wrong password!!'], ['nobody@portal.example', PASSWORD]] as const) {
      const res = await login(email, password);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('QD_UNAUTHENTICATED');
    }
    expect((await login('', '')).statusCode).toBe(400);
    const session = (await login('ops@portal.example', PASSWORD)).json().token as string;
    await admin('PATCH', `/api/partners/${id.partner}/users/${id.user}`, { status: 'disabled' });
    expect((await login('ops@portal.example', PASSWORD)).statusCode).toBe(401);
    expect((await caller(running, `Bearer ${session}`)('GET', '/api/portal/me')).statusCode).toBe(401);
    await admin('PATCH', `/api/partners/${id.partner}/users/${id.user}`, { status: 'active' });
  });

  it('makes an e-mail wait after five failed sign-ins, even with the right password', async () => {
    await admin('POST', `/api/partners/${id.partner}/users`, { email: 'guessed@portal.example', password: PASSWORD });
    for (let i = 0; i < 5; i++) expect((await login('guessed@portal.example', `wrong guess ${i} 123`)).statusCode).toBe(401);
    const throttled = await login('guessed@portal.example', PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().error.code).toBe('QD_RATE_LIMITED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('ops@portal.example', PASSWORD)).statusCode).toBe(200);
  });

  it('expires sessions after their time', async () => {
    const shortLived = new PartnerUserService(running.services.store, -1);
    const { token } = await shortLived.login('ops@portal.example', PASSWORD);
    expect(await shortLived.resolveSession(token)).toBeUndefined();
    expect((await caller(running, `Bearer ${token}`)('GET', '/api/portal/me')).statusCode).toBe(401);
  });

  it('creates keys for its own customers only while an agreement is in force and within its quota', async () => {
    const partner = caller(running, `Bearer ${(await login('ops@portal.example', PASSWORD)).json().token}`);
    const none = await partner('POST', '/api/portal/keys', { customerId: id.customer });
    expect(none.json().error.code).toBe('QD_FORBIDDEN');
    await admin('POST', '/api/agreements', { partnerId: id.partner, revenueShareBps: 1_000, startsAt: '2025-01-01T00:00:00Z', monthlyTokenQuota: 1_000 });
    const key = await partner('POST', '/api/portal/keys', { customerId: id.customer, name: 'prod' });
    expect(key.statusCode).toBe(201);
    expect(key.json().key).toMatch(/^qd_sk_/);
    // The gateway knows the key at once: the portal creates keys through the gateway's key service.
    expect((await running.app.inject({ url: '/v1/models', headers: { authorization: `Bearer ${key.json().key}` } })).statusCode).toBe(200);
    const listed = (await partner('GET', '/api/portal/keys')).json().data;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ customerId: id.customer, channelId: id.channel, partnerId: id.partner });
    expect(listed[0]).not.toHaveProperty('keyHash');
    expect((await partner('GET', '/api/portal/customers')).json().data.map((c: { id: string }) => c.id)).toEqual([id.customer]);

    const stranger = await seedCustomer(running.services.store, null, id.channel);
    expect((await partner('POST', '/api/portal/keys', { customerId: stranger })).statusCode).toBe(404);
    expect((await partner('POST', '/api/portal/keys', { customerId: id.customer, channelId: 'chn_other' })).statusCode).toBe(404);
    expect((await partner('POST', '/api/portal/keys', { customerId: id.customer, planId: 'x' })).statusCode).toBe(400);

    await appendUsage(running.services.store, [{ partnerId: id.partner, customerId: id.customer, channelId: id.channel, occurredAt: new Date(), priceMicros: 10, tokens: 1_000 }]);
    const over = await partner('POST', '/api/portal/keys', { customerId: id.customer });
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('QD_QUOTA_EXCEEDED');
    const usage = (await partner('GET', `/api/portal/usage?month=${new Date().toISOString().slice(0, 7)}`)).json();
    expect(usage.rows).toEqual([expect.objectContaining({ customerId: id.customer, customerName: `customer ${id.customer}`, requests: 1, promptTokens: 1_000, revenueMicros: 10 })]);
  });

  it('shows only final statements, and logs out', async () => {
    const token = (await login('ops@portal.example', PASSWORD)).json().token;
    const partner = caller(running, `Bearer ${token}`);
    const month = new Date().toISOString().slice(0, 7);
    const [draft] = (await admin('POST', '/api/statements', { month, partnerId: id.partner })).json().data;
    expect((await partner('GET', '/api/portal/statements')).json().data).toEqual([]);
    expect((await partner('GET', `/api/portal/statements/${draft.id}`)).statusCode).toBe(404);
    // The running month cannot be final yet; once the clock has passed its end it can.
    const early = await admin('POST', `/api/statements/${draft.id}/finalize`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'QD_MONTH_NOT_ENDED', type: 'invalid_request_error' });
    expect(early.json().error.message).toContain(monthEnd(month).toISOString());
    await new StatementService(running.services.store, () => monthEnd(month)).finalizeStatement(draft.id);
    const seen = (await partner('GET', `/api/portal/statements/${draft.id}`)).json();
    expect(seen).toMatchObject({ status: 'final', revenueMicros: 10, shareMicros: 1 });
    const csv = await partner('GET', `/api/portal/statements/${draft.id}/csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${draft.id}.csv"`);
    expect(csv.body).toMatch(/,total,/);
    // A month the contract refuses names the field.
    expect((await partner('GET', '/api/portal/usage?month=2026-13')).json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'month' });
    expect((await partner('GET', `/api/portal/scorecard?month=${month}`)).json()).toMatchObject({ partnerId: id.partner, metrics: { tokens: 1_000 } });
    expect((await partner('POST', '/api/portal/logout')).statusCode).toBe(204);
    expect((await partner('GET', '/api/portal/me')).statusCode).toBe(401);
  });

  it('settles every ledger row exactly once across final statements', async () => {
    const problems: string[] = [];
    for (let seed = 101; seed <= 106; seed++) problems.push(...(await reconcileRandomLedger(running, seed)));
    expect(problems).toEqual([]);
  });

  it('serialises concurrent finalisations of one partner so no row is settled twice', async () => {
    const { partners, agreements, statements } = running.services.partners!;
    const p = await partners.createPartner({ name: `Concurrent ${Date.now()}`, type: 'reseller', region: 'x', segments: [], certifiedStaff: 0 });
    await agreements.createAgreement({ partnerId: p.id, revenueShareBps: 1_000, discountBps: 0, minCommitMicros: 0, monthlyTokenQuota: null, sla: {}, startsAt: '2025-01-01T00:00:00Z' });
    await appendUsage(running.services.store, [
      { partnerId: p.id, occurredAt: '2025-03-10T00:00:00Z', priceMicros: 100 },
      { partnerId: p.id, occurredAt: '2025-04-10T00:00:00Z', priceMicros: 200 },
    ]);
    const [mar, apr] = [await statements.generateStatement(p.id, '2025-03'), await statements.generateStatement(p.id, '2025-04')];
    await Promise.all([statements.finalizeStatement(mar.id), statements.finalizeStatement(apr.id)]);
    const finals = await statements.listStatements({ partnerId: p.id, status: 'final' });
    expect(finals.reduce((s, f) => s + f.revenueMicros + f.adjustmentMicros, 0)).toBe(300);
  });
});
