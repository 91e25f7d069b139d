import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { appendUsage, caller, PARTNER_TESTS_ADMIN, reconcileRandomLedger, seedCustomer, seedPlan, startPartnersApp, type ApiCaller } from '../support/partners.js';

describe('channels and partners through /api', () => {
  let running: RunningApp;
  let admin: ApiCaller;
  let planId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    running = await startPartnersApp();
    admin = caller(running, `Bearer ${PARTNER_TESTS_ADMIN}`);
    planId = await seedPlan(running.services.store);
  });
  afterAll(async () => running?.stop());

  it('lists the default channel types and accepts new ones as data', async () => {
    const types = (await admin('GET', '/api/channel-types')).json().data.map((t: { id: string }) => t.id);
    expect(types).toEqual(['direct', 'marketplace', 'oem', 'referral', 'reseller', 'system_integrator']);
    expect((await admin('POST', '/api/channel-types', { id: 'edu_program', name: 'Education programme' })).statusCode).toBe(201);
    expect((await admin('POST', '/api/channel-types', { id: 'edu_program', name: 'again' })).json().error.code).toBe('QD_CONFLICT');
    expect((await admin('DELETE', '/api/channel-types/edu_program')).statusCode).toBe(204);
  });

  it('creates tiers, partners and their channels, validating input with clear 4xx', async () => {
    const silver = await admin('POST', '/api/tiers', { name: 'Silver', rank: 1, benefits: { revenueShareBps: 1_000 } });
    expect(silver.statusCode).toBe(201);
    ids.silver = silver.json().id;
    ids.gold = (await admin('POST', '/api/tiers', { name: 'Gold', rank: 2, requirements: { minMonthlyRevenueMicros: 5_000_000, minCertifiedStaff: 2 }, benefits: { revenueShareBps: 2_000, coMarketingFundsMicros: 1_000_000_000 } })).json().id;
    const badTier = await admin('POST', '/api/tiers', { name: 'Bad', rank: 3, requirements: { minRevenue: 1 } });
    expect(badTier.statusCode).toBe(400);
    expect(badTier.json().error.message).toMatch(/minRevenue|Unrecognized/);

    const acme = await admin('POST', '/api/partners', { name: 'Acme Cloud', type: 'reseller', region: 'cn-east', segments: ['fintech', 'retail'], tierId: ids.silver, certifiedStaff: 3 });
    expect(acme.statusCode).toBe(201);
    ids.acme = acme.json().id;
    expect(acme.json()).toMatchObject({ status: 'active', segments: ['fintech', 'retail'], certifiedStaff: 3 });
    ids.beta = (await admin('POST', '/api/partners', { name: 'Beta SI', type: 'system_integrator', region: 'eu' })).json().id;

    const bad = await admin('POST', '/api/partners', { name: 'X', type: 'Reseller!', region: 'eu' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'type' });
    expect((await admin('POST', '/api/partners', { name: 'Acme Cloud', type: 'reseller', region: 'eu' })).json().error.code).toBe('QD_CONFLICT');
    expect((await admin('POST', '/api/partners', { name: 'Y', type: 'reseller', region: 'eu', tierId: 'tier_nope' })).json().error.param).toBe('tierId');

    const channel = await admin('POST', '/api/channels', { name: 'Acme resale', type: 'reseller', ownerPartnerId: ids.acme, defaultPlanId: planId, marginBps: 2_500 });
    expect(channel.statusCode).toBe(201);
    expect(channel.json()).toMatchObject({ marginKind: 'wholesale_discount', marginBps: 2_500, ownerPartnerId: ids.acme });
    ids.acmeChannel = channel.json().id;
    ids.direct = (await admin('POST', '/api/channels', { name: 'Direct web', type: 'direct', defaultPlanId: planId })).json().id;
    const wrongType = await admin('POST', '/api/channels', { name: 'Z', type: 'telepathy' });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().error.message).toContain('known: direct');
    expect((await admin('POST', '/api/channels', { name: 'Z', type: 'direct', marginBps: 10 })).json().error.param).toBe('marginBps');
    expect((await admin('POST', '/api/channels', { name: 'Z', type: 'direct', marginBps: 10_001 })).statusCode).toBe(400);
    expect((await admin('PATCH', `/api/channels/${ids.direct}`, {})).statusCode).toBe(400);
    expect((await admin('GET', '/api/channels/chn_missing')).json().error.code).toBe('QD_NOT_FOUND');
  });

  it('keeps agreement history: a new agreement supersedes the old one, never edits it', async () => {
    const first = await admin('POST', '/api/agreements', { partnerId: ids.acme, revenueShareBps: 1_000, startsAt: '2025-12-01T00:00:00Z', monthlyTokenQuota: 1_000_000, sla: { maxErrorRateBps: 500, maxP95LatencyMs: 2_000 } });
    expect(first.statusCode).toBe(201);
    const second = await admin('POST', '/api/agreements', { partnerId: ids.acme, revenueShareBps: 2_000, startsAt: '2026-02-01T00:00:00Z', monthlyTokenQuota: 1_000_000, sla: { maxErrorRateBps: 500 } });
    expect(second.json()).toMatchObject({ status: 'active', supersedesId: first.json().id });
    const old = (await admin('GET', `/api/agreements/${first.json().id}`)).json();
    expect(old).toMatchObject({ status: 'superseded', revenueShareBps: 1_000, endsAt: '2026-02-01T00:00:00.000Z' });
    expect((await admin('GET', `/api/agreements?partnerId=${ids.acme}`)).json().data).toHaveLength(2);
    expect((await admin('DELETE', `/api/agreements/${first.json().id}`)).json().error.code).toBe('QD_IMMUTABLE');
    expect((await admin('PATCH', `/api/agreements/${first.json().id}`, { revenueShareBps: 9 })).statusCode).toBe(404);
    const both = await admin('POST', '/api/agreements', { partnerId: ids.beta, revenueShareBps: 100, discountBps: 100 });
    expect(both.json().error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'discountBps' });
    const backwards = await admin('POST', '/api/agreements', { partnerId: ids.acme, revenueShareBps: 5, startsAt: '2025-01-01T00:00:00Z' });
    expect(backwards.json().error.param).toBe('startsAt');
    ids.betaAgreement = (await admin('POST', '/api/agreements', { partnerId: ids.beta, discountBps: 3_000, startsAt: '2025-12-01T00:00:00Z' })).json().id;
  });

  it('maps which customers, keys and revenue flow through which channel', async () => {
    const { store } = running.services;
    ids.c1 = await seedCustomer(store, ids.acme, ids.acmeChannel, new Date('2026-01-05T00:00:00Z'));
    ids.c2 = await seedCustomer(store, ids.acme, ids.acmeChannel, new Date('2026-02-05T00:00:00Z'));
    ids.c3 = await seedCustomer(store, null, ids.direct, new Date('2026-02-06T00:00:00Z'));
    await appendUsage(store, [
      { partnerId: ids.acme, channelId: ids.acmeChannel, customerId: ids.c1, occurredAt: '2026-01-10T00:00:00Z', priceMicros: 3_000_000 },
      { partnerId: ids.acme, channelId: ids.acmeChannel, customerId: ids.c1, occurredAt: '2026-02-10T00:00:00Z', priceMicros: 4_000_000, latencyMs: 300 },
      { partnerId: ids.acme, channelId: ids.acmeChannel, customerId: ids.c2, occurredAt: '2026-02-11T00:00:00Z', priceMicros: 2_000_001, latencyMs: 500 },
      { partnerId: ids.acme, channelId: ids.acmeChannel, customerId: ids.c2, occurredAt: '2026-02-12T00:00:00Z', priceMicros: 0, status: 'error', httpStatus: 502 },
      { partnerId: null, channelId: ids.direct, customerId: ids.c3, occurredAt: '2026-02-13T00:00:00Z', priceMicros: 1_000_000 },
    ]);
    const map = (await admin('GET', '/api/channels/map?month=2026-02')).json();
    const acme = map.entries.find((e: { channelId: string }) => e.channelId === ids.acmeChannel);
    expect(acme).toMatchObject({ customers: 2, customersAcquired: 1, activeCustomers: 2, requests: 3, revenueMicros: 6_000_001, marginMicros: 1_500_000 });
    expect(acme.channel).toMatchObject({ name: 'Acme resale', ownerPartnerId: ids.acme });
    expect(map.totals).toMatchObject({ revenueMicros: 7_000_001, requests: 4 });
    expect((await admin('GET', '/api/channels/map?month=2026-13')).json().error.param).toBe('month');
  });

  it('scores a partner from the ledger and recommends a tier with the reason', async () => {
    const card = (await admin('GET', `/api/partners/${ids.acme}/scorecard?month=2026-02`)).json();
    expect(card.metrics).toMatchObject({ customersSourced: 1, activeCustomers: 2, requests: 3, revenueMicros: 6_000_001, previousRevenueMicros: 3_000_000, revenueGrowthBps: 10_000, retentionBps: 10_000, errorRateBps: 3_333, latencyP95Ms: 500 });
    expect(card.sla).toMatchObject({ terms: { maxErrorRateBps: 500 }, result: { met: false, errorRateOk: false } });
    expect(card.commitment).toEqual({ minCommitMicros: 0, shortfallMicros: 0, met: true });
    expect(card.recommendation).toMatchObject({ action: 'promote', recommendedTierId: ids.gold });
    expect(card.recommendation.reason).toBe('promote to Gold: monthly revenue 6.00 ≥ 5.00, certified staff 3 ≥ 2');
    expect(card).toMatchObject({ monthEnded: true, recommendation: { monthEnded: true, evidence: [{ key: 'minMonthlyRevenueMicros', actual: 6_000_001, required: 5_000_000, met: true }, { key: 'minCertifiedStaff', met: true }] } });
    const all = (await admin('GET', '/api/scorecards?month=2026-02')).json().data;
    expect(all.map((c: { partnerName: string }) => c.partnerName)).toEqual(['Acme Cloud', 'Beta SI']);
  });

  it('tracks onboarding: automatic items from facts, manual ones by hand', async () => {
    const before = (await admin('GET', `/api/partners/${ids.acme}/onboarding`)).json();
    const done = before.items.filter((i: { done: boolean }) => i.done).map((i: { id: string }) => i.id);
    expect(done).toEqual(['agreement_signed', 'channel_set_up', 'first_usage']);
    const ticked = (await admin('PUT', `/api/partners/${ids.acme}/onboarding/sales_training`, { done: true })).json();
    expect(ticked).toMatchObject({ done: 4, total: 7, percent: 57 });
    expect((await admin('PUT', `/api/partners/${ids.acme}/onboarding/first_usage`, { done: false })).statusCode).toBe(400);
    expect((await admin('POST', `/api/partners/${ids.acme}/onboarding`, { id: 'security_review', title: 'Security review' })).json().total).toBe(8);
  });

  it('settles statements: draft → final, immutable, late usage as the next month’s adjustment, CSV', async () => {
    const jan = (await admin('POST', '/api/statements', { month: '2026-01', partnerId: ids.acme })).json().data[0];
    expect(jan).toMatchObject({ status: 'draft', revenueMicros: 3_000_000, shareMicros: 300_000 });
    const finalJan = (await admin('POST', `/api/statements/${jan.id}/finalize`)).json();
    expect(finalJan).toMatchObject({ status: 'final', revenueMicros: 3_000_000 });
    expect((await admin('POST', `/api/statements/${jan.id}/finalize`)).json().error.code).toBe('QD_IMMUTABLE');
    expect((await admin('DELETE', `/api/statements/${jan.id}`)).json().error.code).toBe('QD_IMMUTABLE');
    expect((await admin('POST', '/api/statements', { month: '2026-01', partnerId: ids.acme })).json().error.code).toBe('QD_IMMUTABLE');

    // January usage that reaches the ledger after January was finalised.
    await appendUsage(running.services.store, [{ partnerId: ids.acme, channelId: ids.acmeChannel, customerId: ids.c1, occurredAt: '2026-01-31T23:00:00Z', priceMicros: 500_000 }]);
    expect((await admin('GET', `/api/statements/${jan.id}`)).json().revenueMicros).toBe(3_000_000);
    const feb = (await admin('POST', '/api/statements', { month: '2026-02' })).json().data;
    expect(feb).toHaveLength(2);
    const acmeFeb = feb.find((s: { partnerId: string }) => s.partnerId === ids.acme);
    expect(acmeFeb).toMatchObject({ revenueMicros: 6_000_001, adjustmentMicros: 500_000 });
    // February revenue at 20 % (second agreement) and the January adjustment at 10 % (first agreement).
    expect(acmeFeb.shareMicros).toBe(1_200_000 + 50_000);
    expect(acmeFeb.lines.reduce((s: number, l: { shareMicros: number }) => s + l.shareMicros, 0)).toBe(acmeFeb.shareMicros);
    const finalFeb = (await admin('POST', `/api/statements/${acmeFeb.id}/finalize`)).json();
    const csv = await admin('GET', `/api/statements/${finalFeb.id}/csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${finalFeb.id}.csv"`);
    const rows = csv.body.trimEnd().split('\r\n');
    expect(rows[0]).toContain('revenue,share');
    expect(rows.at(-1)).toMatch(/,total,.*,6.500001,1.25$/);
    expect((await admin('GET', '/api/statements?status=final')).json().data).toHaveLength(2);
    const betaFeb = feb.find((s: { partnerId: string }) => s.partnerId === ids.beta);
    expect((await admin('DELETE', `/api/statements/${betaFeb.id}`)).statusCode).toBe(204);
    expect((await admin('POST', '/api/statements', { month: 'Feb' })).json().error.param).toBe('month');
  });

  it('still settles late usage of a partner archived after its last statement', async () => {
    const gamma = (await admin('POST', '/api/partners', { name: 'Gamma', type: 'referral', region: 'eu' })).json().id;
    await admin('POST', '/api/agreements', { partnerId: gamma, revenueShareBps: 1_000, startsAt: '2025-01-01T00:00:00Z' });
    await appendUsage(running.services.store, [{ partnerId: gamma, occurredAt: '2026-04-02T00:00:00Z', priceMicros: 1_000 }]);
    const [apr] = (await admin('POST', '/api/statements', { month: '2026-04', partnerId: gamma })).json().data;
    await admin('POST', `/api/statements/${apr.id}/finalize`);
    await admin('POST', `/api/partners/${gamma}/archive`);
    const quiet = (await admin('POST', '/api/statements', { month: '2026-05' })).json().data;
    expect(quiet.map((s: { partnerId: string }) => s.partnerId)).not.toContain(gamma);
    await appendUsage(running.services.store, [{ partnerId: gamma, occurredAt: '2026-04-30T00:00:00Z', priceMicros: 500 }]);
    const late = (await admin('POST', '/api/statements', { month: '2026-05' })).json().data.find((s: { partnerId: string }) => s.partnerId === gamma);
    expect(late).toMatchObject({ revenueMicros: 0, adjustmentMicros: 500, shareMicros: 50 });
  });

  it('refuses deletes that would orphan ledger references and archives instead', async () => {
    const ch = await admin('DELETE', `/api/channels/${ids.acmeChannel}`);
    expect(ch.statusCode).toBe(409);
    expect(ch.json().error).toMatchObject({ code: 'QD_REFERENCED' });
    expect(ch.json().error.message).toMatch(/ledger rows.*archive/);
    expect((await admin('DELETE', `/api/partners/${ids.acme}`)).json().error.code).toBe('QD_REFERENCED');
    expect((await admin('DELETE', `/api/tiers/${ids.silver}`)).json().error.code).toBe('QD_REFERENCED');
    expect((await admin('DELETE', '/api/channel-types/reseller')).json().error.code).toBe('QD_REFERENCED');
    const archived = await admin('POST', `/api/channels/${ids.acmeChannel}/archive`);
    expect(archived.json()).toMatchObject({ status: 'archived' });
    expect((await admin('PATCH', `/api/channels/${ids.acmeChannel}`, { marginBps: 1 })).json().error.code).toBe('QD_IMMUTABLE');
    const unused = (await admin('POST', '/api/partners', { name: 'Gone Soon', type: 'referral', region: 'us' })).json().id;
    expect((await admin('DELETE', `/api/partners/${unused}`)).statusCode).toBe(204);
    expect((await admin('GET', `/api/partners/${unused}`)).statusCode).toBe(404);
    expect((await admin('PATCH', `/api/partners/${ids.beta}`, { tierId: ids.gold, certifiedStaff: 5 })).json()).toMatchObject({ tierId: ids.gold, certifiedStaff: 5 });
    expect((await admin('PATCH', `/api/tiers/${ids.gold}`, { rank: 5 })).json().rank).toBe(5);
  });

  it('settles every ledger row exactly once across final statements', async () => {
    const problems: string[] = [];
    for (let seed = 1; seed <= 6; seed++) problems.push(...(await reconcileRandomLedger(running, seed)));
    expect(problems).toEqual([]);
  });
});
