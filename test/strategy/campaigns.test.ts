import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign, Touchpoint, TrackedLink } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import type { CampaignPerformance } from '../../src/strategy/index.js';
import { seedCustomer, seedPartner, seedUsage, strategyHarness, type StrategyHarness } from './support.js';

describe.each(storeKinds)('campaigns, tracked links and the /r/:code redirect (%s)', (kind) => {
  let h: StrategyHarness;
  let campaign: Campaign;
  let link: TrackedLink;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
    const partnerId = await seedPartner(h.store, 'Acme Cloud');
    campaign = (await h.api<Campaign>('POST', '/api/campaigns', { name: 'Launch', goal: 'signups from fintech', promotionChannels: ['search_ads'], budgetMicros: 5_000_000_000, startsAt: '2026-01-01T00:00:00Z' })).json;
    link = (await h.api<TrackedLink>('POST', '/api/links', { code: 'launch-1', campaignId: campaign.id, partnerId, targetUrl: 'https://example.com/signup?x=1' })).json;
  });
  afterAll(async () => h?.dispose());

  it('creates a link that inherits the campaign\'s single promotion channel', ({ skip }) => {
    if (!h) skip();
    expect(link).toMatchObject({ code: 'launch-1', campaignId: campaign.id, promotionChannel: 'search_ads', clicks: 0 });
  });

  it('redirects a new visitor with 302, sets qd_vid and records a click touchpoint', async ({ skip }) => {
    if (!h) skip();
    const res = await h.app.inject({ method: 'GET', url: '/r/launch-1' });
    expect(res.statusCode).toBe(302);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^qd_vid=v_[A-Za-z0-9_-]{22}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Lax$/);
    const visitorId = /^qd_vid=([^;]+)/.exec(cookie)![1]!;
    expect(res.headers.location).toBe(`https://example.com/signup?x=1&qd_vid=${visitorId}`);
    const rows = (await h.api<{ data: Touchpoint[] }>('GET', `/api/touchpoints?visitorId=${visitorId}`)).json.data;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ visitorId, kind: 'click', linkId: link.id, campaignId: campaign.id, promotionChannel: 'search_ads', customerId: null });
  });

  it('keeps a returning visitor\'s id, then links its clicks to the customer it signs up as', async ({ skip }) => {
    if (!h) skip();
    const visitorId = 'v_returning_visitor_1';
    const res = await h.app.inject({ method: 'GET', url: '/r/launch-1', headers: { cookie: `other=1; qd_vid=${visitorId}` } });
    expect(res.statusCode).toBe(302);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.headers.location).toBe(`https://example.com/signup?x=1&qd_vid=${visitorId}`);
    expect((await h.app.inject({ method: 'HEAD', url: '/r/launch-1' })).statusCode).toBe(404);
    const customerId = await seedCustomer(h.store, { name: 'signed up' });
    const signup = await h.api<Touchpoint>('POST', '/api/touchpoints', { visitorId, kind: 'signup', customerId, linkCode: 'launch-1' });
    expect(signup.status).toBe(201);
    expect(signup.json).toMatchObject({ kind: 'signup', customerId, linkId: link.id, campaignId: campaign.id, promotionChannel: 'search_ads' });
    const rows = (await h.api<{ data: Touchpoint[] }>('GET', `/api/touchpoints?customerId=${customerId}`)).json.data;
    expect(rows.map((r) => r.kind)).toEqual(['click', 'signup']);
    const counted = (await h.api<{ data: TrackedLink[] }>('GET', `/api/links?campaignId=${campaign.id}`)).json.data[0]!;
    expect(counted).toMatchObject({ clicks: 2, visitors: 2, customers: 1 });
  });

  it('reports the campaign\'s spend against budget, reach and the revenue each model credits it with', async ({ skip }) => {
    if (!h) skip();
    expect((await h.api('POST', '/api/spend', { promotionChannel: 'search_ads', amountMicros: 1_250_000_000, spentOn: new Date(Date.now() - 60_000).toISOString(), campaignId: campaign.id })).status).toBe(201);
    const [customer] = await h.store.query<{ customer_id: string }>('SELECT DISTINCT customer_id FROM touchpoints WHERE customer_id IS NOT NULL');
    await seedUsage(h.store, customer!.customer_id, new Date(Date.now() - 1_000), 7_000_000);
    const r = (await h.api<CampaignPerformance>('GET', `/api/campaigns/${campaign.id}/performance`)).json;
    expect(r).toMatchObject({ spendMicros: 1_250_000_000, budgetUsed: 0.25, clicks: 2, visitors: 2, customers: 1 });
    expect(Object.keys(r.attributedRevenueMicros)).toEqual(['firstTouch', 'lastTouch', 'linear', 'timeDecay', 'positionBased', 'markov']);
    expect(Object.values(r.attributedRevenueMicros)).toEqual(Array(6).fill(7_000_000));
  });

  it('answers an unknown code with 404 JSON and records nothing', async ({ skip }) => {
    if (!h) skip();
    const before = (await h.store.query<{ n: string }>('SELECT count(*)::text AS n FROM touchpoints'))[0]!.n;
    const res = await h.app.inject({ method: 'GET', url: '/r/no-such-code' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'QD_NOT_FOUND', type: expect.any(String) } });
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await h.store.query<{ n: string }>('SELECT count(*)::text AS n FROM touchpoints'))[0]!.n).toBe(before);
  });

  it.each([
    ['negative spend', 'POST', '/api/spend', { promotionChannel: 'social', amountMicros: -5, spentOn: '2026-01-02T00:00:00Z' }, 'amountMicros: spend must not be negative'],
    ['fractional spend', 'POST', '/api/spend', { promotionChannel: 'social', amountMicros: 1.5, spentOn: '2026-01-02T00:00:00Z' }, 'amountMicros: must be an integer number of micro-units'],
    ['a campaign ending before it starts', 'POST', '/api/campaigns', { name: 'x', goal: 'y', startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' }, 'endsAt: must not be before startsAt'],
    ['a non-http link target', 'POST', '/api/links', { targetUrl: 'javascript:alert(1)' }, 'targetUrl: must be an http(s) URL'],
    ['a taken link code', 'POST', '/api/links', { code: 'launch-1', targetUrl: 'https://example.com' }, 'link code "launch-1" already exists'],
    ['a signup for an unknown customer', 'POST', '/api/touchpoints', { visitorId: 'visitor_x1', kind: 'signup', customerId: 'cus_nope' }, 'customerId: no customer cus_nope'],
    ['a touchpoint for an unknown campaign', 'POST', '/api/touchpoints', { visitorId: 'visitor_x1', kind: 'view', campaignId: 'cmp_nope' }, 'campaignId: no campaign cmp_nope'],
    ['an unknown referral code', 'POST', '/api/touchpoints', { visitorId: 'visitor_x1', kind: 'signup', linkCode: 'nope-code' }, 'linkCode: no link with code nope-code'],
  ] as const)('refuses %s with a 4xx in the OpenAI error shape', async (_what, method, url, body, message) => {
    if (!h) return;
    const r = await h.api<{ error: { message: string; code: string; type: string } }>(method, url, body);
    expect(r.status === 400 || r.status === 409).toBe(true);
    expect(r.json.error.message).toBe(message);
  });

  it('answers 401 without the admin token', async ({ skip }) => {
    if (!h) skip();
    for (const url of ['/api/campaigns', '/api/links', '/api/attribution', '/api/touchpoints?visitorId=abcdefgh']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'QD_UNAUTHENTICATED' } });
    }
  });
});
