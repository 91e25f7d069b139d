import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { appendUsage, caller, PARTNER_TESTS_ADMIN, seedCustomer, seedPlan, startPartnersApp, type ApiCaller } from '../support/partners.js';

/** The callers of the matrix. */
const who = ['none', 'customerKey', 'admin', 'partnerB', 'partnerA'] as const;
type Who = (typeof who)[number];

/** One route of the matrix: a concrete request and the status each caller must get. */
interface Case {
  route: string;
  url: string;
  body?: unknown;
  expect: Partial<Record<Who, number>>;
}

const ADMIN_ONLY = (ok: number): Case['expect'] => ({ admin: ok, partnerA: 403, partnerB: 403 });
const PREFIXES = ['/api/channel-types', '/api/channels', '/api/partners', '/api/scorecards', '/api/tiers', '/api/agreements', '/api/statements', '/api/portal'];
const month = new Date().toISOString().slice(0, 7);

describe('authorisation matrix: every channels/partners route × admin / partner A / partner B / customer key / no credentials', () => {
  let running: RunningApp;
  let admin: ApiCaller;
  const id: Record<string, string> = {};
  const auth: Partial<Record<Who, string>> = {};

  async function post(url: string, body: unknown): Promise<{ id: string } & Record<string, unknown>> {
    const res = await admin('POST', url, body);
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.body}`);
    return res.json();
  }

  async function partnerWithPortal(name: string): Promise<void> {
    const p = (await post('/api/partners', { name, type: 'referral', region: 'cn' })).id;
    id[name] = p;
    id[`${name}Channel`] = (await post('/api/channels', { name: `${name} channel`, type: 'referral', ownerPartnerId: p, defaultPlanId: id.plan, marginBps: 1_000 })).id;
    await post('/api/agreements', { partnerId: p, revenueShareBps: 1_500, startsAt: '2025-01-01T00:00:00Z', monthlyTokenQuota: 10_000_000 });
    id[`${name}Customer`] = await seedCustomer(running.services.store, p, id[`${name}Channel`]!);
    await post(`/api/partners/${p}/users`, { email: `ops@${name.toLowerCase()}.example`, password: 'correct horse battery staple' });
    await appendUsage(running.services.store, [{ partnerId: p, channelId: id[`${name}Channel`], customerId: id[`${name}Customer`], occurredAt: '2026-01-15T00:00:00Z', priceMicros: 1_000_000 }]);
    const stm = (await post('/api/statements', { month: '2026-01', partnerId: p })).data as { id: string }[];
    id[`${name}Statement`] = stm[0]!.id;
    await admin('POST', `/api/statements/${stm[0]!.id}/finalize`);
    const login = await running.app.inject({ method: 'POST', url: '/api/portal/login', payload: { email: `ops@${name.toLowerCase()}.example`, password: 'correct horse battery staple' } });
    expect(login.statusCode).toBe(200);
    auth[name === 'Alpha' ? 'partnerA' : 'partnerB'] = `Bearer ${login.json().token}`;
  }

  beforeAll(async () => {
    running = await startPartnersApp('postgres');
    admin = caller(running, `Bearer ${PARTNER_TESTS_ADMIN}`);
    auth.admin = `Bearer ${PARTNER_TESTS_ADMIN}`;
    id.plan = await seedPlan(running.services.store);
    await partnerWithPortal('Alpha');
    await partnerWithPortal('Bravo');
    const key = await caller(running, auth.partnerA)('POST', '/api/portal/keys', { customerId: id.AlphaCustomer, name: 'matrix' });
    expect(key.statusCode).toBe(201);
    auth.customerKey = `Bearer ${key.json().key}`;
    // Throwaway resources for the admin's destructive calls.
    id.tmpPartner = (await post('/api/partners', { name: 'Tmp', type: 'referral', region: 'x' })).id;
    id.tmpPartner2 = (await post('/api/partners', { name: 'Tmp2', type: 'referral', region: 'x' })).id;
    id.tmpChannel = (await post('/api/channels', { name: 'tmp', type: 'direct' })).id;
    id.tmpChannel2 = (await post('/api/channels', { name: 'tmp2', type: 'direct' })).id;
    id.tmpTier = (await post('/api/tiers', { name: 'Tmp', rank: 9 })).id;
    id.tmpUser = (await post(`/api/partners/${id.tmpPartner}/users`, { email: 'tmp@tmp.example', password: 'another long password' })).id;
    id.bravoAgreement = (await post('/api/agreements', { partnerId: id.tmpPartner, revenueShareBps: 100 })).id;
    const drafts = (await post('/api/statements', { month: '2026-02', partnerId: id.tmpPartner })).data as { id: string }[];
    id.draft = drafts[0]!.id;
    id.draft2 = ((await post('/api/statements', { month: '2026-03', partnerId: id.tmpPartner })).data as { id: string }[])[0]!.id;
  }, 120_000);
  afterAll(async () => running?.stop());

  function cases(): Case[] {
    const A = id.Alpha!;
    return [
      { route: 'GET /api/channel-types', url: '/api/channel-types', expect: ADMIN_ONLY(200) },
      { route: 'POST /api/channel-types', url: '/api/channel-types', body: { id: 'matrix_type', name: 'Matrix' }, expect: ADMIN_ONLY(201) },
      { route: 'DELETE /api/channel-types/:id', url: '/api/channel-types/matrix_type', expect: ADMIN_ONLY(204) },
      { route: 'GET /api/channels', url: '/api/channels', expect: ADMIN_ONLY(200) },
      { route: 'POST /api/channels', url: '/api/channels', body: { name: 'matrix', type: 'direct' }, expect: ADMIN_ONLY(201) },
      { route: 'GET /api/channels/map', url: `/api/channels/map?month=${month}`, expect: ADMIN_ONLY(200) },
      { route: 'GET /api/channels/:id', url: `/api/channels/${id.AlphaChannel}`, expect: ADMIN_ONLY(200) },
      { route: 'PATCH /api/channels/:id', url: `/api/channels/${id.AlphaChannel}`, body: { meta: { note: 'matrix' } }, expect: ADMIN_ONLY(200) },
      { route: 'POST /api/channels/:id/archive', url: `/api/channels/${id.tmpChannel}/archive`, expect: ADMIN_ONLY(200) },
      { route: 'DELETE /api/channels/:id', url: `/api/channels/${id.tmpChannel2}`, expect: ADMIN_ONLY(204) },
      { route: 'GET /api/partners', url: '/api/partners', expect: ADMIN_ONLY(200) },
      { route: 'POST /api/partners', url: '/api/partners', body: { name: 'Matrix', type: 'oem', region: 'x' }, expect: ADMIN_ONLY(201) },
      { route: 'GET /api/partners/:id', url: `/api/partners/${A}`, expect: ADMIN_ONLY(200) },
      { route: 'PATCH /api/partners/:id', url: `/api/partners/${A}`, body: { region: 'cn-north' }, expect: ADMIN_ONLY(200) },
      { route: 'POST /api/partners/:id/archive', url: `/api/partners/${id.tmpPartner2}/archive`, expect: ADMIN_ONLY(200) },
      { route: 'DELETE /api/partners/:id', url: `/api/partners/${id.tmpPartner2}`, expect: ADMIN_ONLY(204) },
      { route: 'GET /api/partners/:id/onboarding', url: `/api/partners/${A}/onboarding`, expect: ADMIN_ONLY(200) },
      { route: 'POST /api/partners/:id/onboarding', url: `/api/partners/${A}/onboarding`, body: { id: 'matrix', title: 'Matrix' }, expect: ADMIN_ONLY(201) },
      { route: 'PUT /api/partners/:id/onboarding/:item', url: `/api/partners/${A}/onboarding/matrix`, body: { done: true }, expect: ADMIN_ONLY(200) },
      { route: 'GET /api/partners/:id/users', url: `/api/partners/${A}/users`, expect: ADMIN_ONLY(200) },
      { route: 'POST /api/partners/:id/users', url: `/api/partners/${A}/users`, body: { email: 'second@alpha.example', password: 'yet another password' }, expect: ADMIN_ONLY(201) },
      { route: 'PATCH /api/partners/:id/users/:userId', url: `/api/partners/${id.tmpPartner}/users/${id.tmpUser}`, body: { name: 'Tmp' }, expect: ADMIN_ONLY(200) },
      { route: 'DELETE /api/partners/:id/users/:userId', url: `/api/partners/${id.tmpPartner}/users/${id.tmpUser}`, expect: ADMIN_ONLY(204) },
      { route: 'GET /api/partners/:id/scorecard', url: `/api/partners/${A}/scorecard?month=2026-01`, expect: ADMIN_ONLY(200) },
      { route: 'GET /api/scorecards', url: '/api/scorecards?month=2026-01', expect: ADMIN_ONLY(200) },
      { route: 'GET /api/tiers', url: '/api/tiers', expect: ADMIN_ONLY(200) },
      { route: 'POST /api/tiers', url: '/api/tiers', body: { name: 'Matrix', rank: 3 }, expect: ADMIN_ONLY(201) },
      { route: 'GET /api/tiers/:id', url: `/api/tiers/${id.tmpTier}`, expect: ADMIN_ONLY(200) },
      { route: 'PATCH /api/tiers/:id', url: `/api/tiers/${id.tmpTier}`, body: { rank: 4 }, expect: ADMIN_ONLY(200) },
      { route: 'DELETE /api/tiers/:id', url: `/api/tiers/${id.tmpTier}`, expect: ADMIN_ONLY(204) },
      { route: 'GET /api/agreements', url: '/api/agreements', expect: ADMIN_ONLY(200) },
      { route: 'POST /api/agreements', url: '/api/agreements', body: { partnerId: id.tmpPartner, revenueShareBps: 200 }, expect: ADMIN_ONLY(201) },
      { route: 'GET /api/agreements/:id', url: `/api/agreements/${id.bravoAgreement}`, expect: ADMIN_ONLY(200) },
      { route: 'POST /api/agreements/:id/end', url: `/api/agreements/${id.bravoAgreement}/end`, body: {}, expect: ADMIN_ONLY(409) },
      { route: 'DELETE /api/agreements/:id', url: `/api/agreements/${id.bravoAgreement}`, expect: ADMIN_ONLY(409) },
      { route: 'GET /api/statements', url: '/api/statements', expect: ADMIN_ONLY(200) },
      { route: 'POST /api/statements', url: '/api/statements', body: { month: '2026-04', partnerId: id.tmpPartner }, expect: ADMIN_ONLY(201) },
      { route: 'GET /api/statements/:id', url: `/api/statements/${id.AlphaStatement}`, expect: ADMIN_ONLY(200) },
      { route: 'GET /api/statements/:id/csv', url: `/api/statements/${id.AlphaStatement}/csv`, expect: ADMIN_ONLY(200) },
      { route: 'POST /api/statements/:id/finalize', url: `/api/statements/${id.draft}/finalize`, expect: ADMIN_ONLY(200) },
      { route: 'DELETE /api/statements/:id', url: `/api/statements/${id.draft2}`, expect: ADMIN_ONLY(204) },
      // The portal: partner users only, each confined to its own partner; another partner's resource is 404.
      { route: 'POST /api/portal/login', url: '/api/portal/login', body: { email: 'ops@alpha.example', password: 'correct horse battery staple' }, expect: { none: 200, customerKey: 200, admin: 200, partnerA: 200, partnerB: 200 } },
      { route: 'GET /api/portal/me', url: '/api/portal/me', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      { route: 'GET /api/portal/customers', url: '/api/portal/customers', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      // Registered by src/customers (partner self-signup), checked here with the rest of the portal.
      { route: 'POST /api/portal/customers', url: '/api/portal/customers', body: { name: 'Signed up in the portal' }, expect: { admin: 403, partnerA: 201, partnerB: 201 } },
      { route: 'GET /api/portal/keys', url: '/api/portal/keys', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      { route: 'POST /api/portal/keys', url: '/api/portal/keys', body: { customerId: id.AlphaCustomer }, expect: { admin: 403, partnerA: 201, partnerB: 404 } },
      { route: 'GET /api/portal/usage', url: '/api/portal/usage?month=2026-01', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      { route: 'GET /api/portal/scorecard', url: '/api/portal/scorecard?month=2026-01', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      { route: 'GET /api/portal/statements', url: '/api/portal/statements', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      { route: 'GET /api/portal/statements/:id', url: `/api/portal/statements/${id.AlphaStatement}`, expect: { admin: 403, partnerA: 200, partnerB: 404 } },
      { route: 'GET /api/portal/statements/:id/csv', url: `/api/portal/statements/${id.AlphaStatement}/csv`, expect: { admin: 403, partnerA: 200, partnerB: 404 } },
      // Invoices addressed to the partner (a reseller's customers); a customer it does not resell to is 404.
      { route: 'GET /api/portal/invoices', url: '/api/portal/invoices?month=2026-01', expect: { admin: 403, partnerA: 200, partnerB: 200 } },
      { route: 'GET /api/portal/invoices/:id', url: `/api/portal/invoices/draft_2026-01_${id.AlphaCustomer}`, expect: { admin: 403, partnerA: 404, partnerB: 404 } },
      { route: 'POST /api/portal/logout', url: '/api/portal/logout', expect: { admin: 403, partnerA: 204, partnerB: 204 } },
    ];
  }

  it('covers every route the two modules register', () => {
    const registered = running.app.routeList.filter((r) => PREFIXES.some((p) => r.url === p || r.url.startsWith(`${p}/`))).map((r) => `${r.method} ${r.url}`);
    expect(cases().map((c) => c.route).sort()).toEqual([...new Set(registered)].sort());
  });

  it('refuses partner sessions on every other /api route, whoever registered it', async () => {
    // Routes outside the portal that deliberately serve partners; adding one here is a security decision.
    const partnerFacing = new Set(['GET /api/whoami', 'GET /api/resources/shared']);
    const failures: string[] = [];
    for (const r of running.app.routeList) {
      // Public routes (the API reference) answer anyone, partners included.
      if (!r.url.startsWith('/api/') || r.url.startsWith('/api/portal/') || r.access === 'public' || partnerFacing.has(`${r.method} ${r.url}`)) continue;
      const url = r.url.replace(/:[A-Za-z_]+/g, 'x_placeholder').replace(/\*$/, 'x_placeholder');
      const res = await caller(running, auth.partnerA)(r.method, url, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      if (res.statusCode !== 403) failures.push(`${r.method} ${r.url} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers each caller as the matrix says, and never leaks the other partner’s data', async () => {
    const failures: string[] = [];
    // Public exactly when the route's contract says `access: 'public'` (the partner login).
    const isPublic = (c: Case) => running.app.routeList.some((r) => `${r.method} ${r.url}` === c.route && r.access === 'public');
    for (const c of cases()) {
      for (const w of who) {
        const expected = c.expect[w] ?? (isPublic(c) ? 200 : 401);
        const [method] = c.route.split(' ');
        const res = await caller(running, auth[w === 'none' ? ('' as Who) : w])(method!, c.url, c.body);
        // A refusal may echo the id the caller sent; any success must hold nothing of the other partner.
        if (res.statusCode !== expected) failures.push(`${c.route} as ${w}: ${res.statusCode} (expected ${expected}) ${res.body.slice(0, 120)}`);
        if (res.statusCode < 300 && c.route.includes(' /api/portal/') && c.route !== 'POST /api/portal/login') {
          const other = w === 'partnerA' ? id.Bravo! : w === 'partnerB' ? id.Alpha! : undefined;
          const otherCustomer = w === 'partnerA' ? id.BravoCustomer! : w === 'partnerB' ? id.AlphaCustomer! : undefined;
          if (other && (res.body.includes(other) || res.body.includes(otherCustomer!))) failures.push(`${c.route} as ${w} leaks the other partner's data`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
