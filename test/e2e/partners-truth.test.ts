/**
 * The partner pillar tells the truth on the demo workspace a new user starts with: tiers state real
 * requirements (checked against one schema on every write), tier advice names its thresholds, onboarding has
 * one answer, a running month cannot be finalised, and statement CSV keeps exact decimals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, monthEnd, monthOf } from '../../src/shared/month.js';
import type { QudaoError } from '../../src/errors/index.js';
import { ScorecardService, StatementService, type PartnerServices } from '../../src/partners/index.js';
import { adminToken, startDemoTestServer, type TestServer } from './browser/browser.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers read field by field

describe('the partner pillar on the demo workspace', { timeout: 120_000 }, () => {
  let server: TestServer;
  let partners: PartnerServices;
  const running = monthOf(new Date());
  const lastEnded = addMonths(running, -1);
  const api = async (method: 'GET' | 'POST', path: string, body?: unknown, token?: string) => (await server.api(method, path, body, token)) as { status: number; json: Json };
  const patch = async (path: string, body: unknown) => {
    const r = await fetch(`${server.url}${path}`, { method: 'PATCH', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: r.status, json: (await r.json()) as Json };
  };

  beforeAll(async () => {
    server = await startDemoTestServer({ scale: 0.25 });
    partners = server.running.services.partners!;
  }, 600_000);
  afterAll(async () => server?.running.stop());

  it('refuses an unknown tier requirement or benefit with a 400 naming it, on create, on change and in the service the demo uses', async () => {
    const unknownRequirement = await api('POST', '/api/tiers', { name: 'Diamond', rank: 9, requirements: { monthlyRevenueMicros: 1 } });
    expect(unknownRequirement.status).toBe(400);
    expect(unknownRequirement.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', type: 'invalid_request_error', param: 'requirements.monthlyRevenueMicros' });
    expect(unknownRequirement.json.error.message).toContain('use minMonthlyRevenueMicros');
    const unknownBenefit = await api('POST', '/api/tiers', { name: 'Diamond', rank: 9, benefits: { marketingFundMicros: 1 } });
    expect(unknownBenefit.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'benefits.marketingFundMicros' });
    const change = await patch('/api/tiers/tier_demo_gold', { requirements: { certifiedStaff: 5 } });
    expect(change).toMatchObject({ status: 400, json: { error: { code: 'QD_INVALID_REQUEST', param: 'requirements.certifiedStaff' } } });
    await expect(partners.tiers.createTier({ name: 'Diamond', rank: 9, requirements: { certifiedStaff: 10 } as never })).rejects.toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'requirements.certifiedStaff' } satisfies Partial<QudaoError>);
    expect((await api('GET', '/api/tiers')).json.data.map((t: Json) => t.name)).not.toContain('Diamond');
  });

  it('lists the demo tiers with the requirements and benefits the demo wrote', async () => {
    const tiers = (await api('GET', '/api/tiers')).json.data as Json[];
    expect(tiers.map((t) => t.name)).toEqual(['Registered', 'Silver', 'Gold', 'Platinum']);
    expect(tiers[0]!.requirements).toEqual({});
    for (const t of tiers.slice(1)) expect(Object.keys(t.requirements).sort()).toEqual(['minActiveCustomers', 'minCertifiedStaff', 'minMonthlyRevenueMicros']);
    const revenue = tiers.slice(1).map((t) => t.requirements.minMonthlyRevenueMicros as number);
    expect([...revenue].sort((a, b) => a - b)).toEqual(revenue); // thresholds rise with the rank
    for (const t of tiers) expect(t.benefits).toMatchObject({ revenueShareBps: expect.any(Number), coMarketingFundsMicros: expect.any(Number) });
  });

  it('explains every tier advice of the last ended month with real thresholds', async () => {
    const cards = (await api('GET', `/api/scorecards?month=${lastEnded}`)).json.data as Json[];
    expect(cards).toHaveLength(20);
    for (const c of cards) {
      const r = c.recommendation;
      expect(c.monthEnded, c.partnerName).toBe(true);
      expect(r.reason, c.partnerName).not.toMatch(/every requirement|it has none/);
      // Each reason compares a measured value with a threshold, or names the entry tier and what the next one needs.
      expect(r.reason, c.partnerName).toMatch(/\d[\d,]*(\.\d+)?( %)? (≥|≤|<|>) \d|needs .+ (≥|≤) \d/);
      if (r.action !== 'demote' && r.evidence.length === 0) expect(r.reason).toMatch(/has no requirements; \w+ needs /);
    }
    const gold = cards.find((c) => c.tier.name === 'Gold' && c.recommendation.action === 'keep' && c.recommendation.evidence.every((e: Json) => e.met));
    expect(gold?.recommendation.reason).toMatch(/^keep Gold: monthly revenue [\d,]+\.\d\d ≥ [\d,]+\.\d\d, active customers \d+ ≥ \d+, certified staff \d+ ≥ \d+/);
    expect(new Set(cards.map((c) => c.recommendation.action)).size).toBeGreaterThan(1); // not one verdict for everybody
  });

  it('does not demote on a running month, nor a partner that joined this month', async () => {
    const cards = (await api('GET', `/api/scorecards?month=${running}`)).json.data as Json[];
    for (const c of cards) {
      expect(c.monthEnded).toBe(false);
      expect(c.recommendation.action, c.partnerName).not.toBe('demote');
    }
    const fresh = (await api('POST', '/api/partners', { name: 'Fresh Partner', type: 'reseller', region: 'EU', tierId: 'tier_demo_platinum' })).json;
    for (const month of [lastEnded, running]) {
      const card = (await api('GET', `/api/partners/${fresh.id}/scorecard?month=${month}`)).json;
      expect(card.recommendation.action).not.toBe('demote');
    }
    const scorecards = new ScorecardService(server.running.services.store, partners.partners, partners.tiers, partners.agreements, () => monthEnd(addMonths(running, 2)));
    // The month after it joined is its first whole one: missing Platinum there and in the next is two months running.
    expect((await scorecards.scorecard(fresh.id, addMonths(running, 1))).recommendation).toMatchObject({ action: 'keep', monthEnded: true });
    expect((await scorecards.scorecard(fresh.id, addMonths(running, 2))).recommendation).toMatchObject({ action: 'demote', monthEnded: true });
  });

  it('gives the portal and the admin API the same onboarding checklist', async () => {
    const partnerId = 'par_demo_05';
    await api('POST', `/api/partners/${partnerId}/users`, { email: 'truth@portal.example', password: 'portal-password-1' });
    const login = await fetch(`${server.url}/api/portal/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'truth@portal.example', password: 'portal-password-1' }) });
    const token = ((await login.json()) as Json).token as string;
    const me = (await api('GET', '/api/portal/me', undefined, token)).json;
    const admin = (await api('GET', `/api/partners/${partnerId}/onboarding`)).json;
    expect(me.onboarding).toEqual(admin);
    expect(admin).toMatchObject({ done: 7, total: 7 }); // the demo partners are fully onboarded once a portal user exists
    expect(me.partner).not.toHaveProperty('onboarding');
    expect((await api('GET', `/api/partners/${partnerId}`)).json).not.toHaveProperty('onboarding');
    const other = (await api('GET', '/api/partners/par_demo_06/onboarding')).json;
    expect(other.items.find((i: Json) => i.id === 'portal_access')).toMatchObject({ done: false });
    expect(other.done).toBe(6);
  });

  it('refuses to finalise the running month (409 QD_MONTH_NOT_ENDED, saying when), allows its drafts, and finalises once it has ended', async () => {
    const [draft] = (await api('POST', '/api/statements', { month: running, partnerId: 'par_demo_01' })).json.data as Json[];
    expect(draft).toMatchObject({ status: 'draft', month: running });
    const refused = await api('POST', `/api/statements/${draft!.id}/finalize`);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'QD_MONTH_NOT_ENDED', type: 'invalid_request_error' });
    expect(refused.json.error.message).toBe(`${running} has not ended; its statement can be finalised from ${monthEnd(running).toISOString()} (a draft can be recomputed meanwhile)`);
    const justBefore = new StatementService(server.running.services.store, () => new Date(monthEnd(running).getTime() - 1));
    await expect(justBefore.finalizeStatement(draft!.id)).rejects.toMatchObject({ code: 'QD_MONTH_NOT_ENDED' });
    const after = new StatementService(server.running.services.store, () => monthEnd(running));
    expect(await after.finalizeStatement(draft!.id)).toMatchObject({ status: 'final' });
  });

  it('exports a statement as CSV with exact decimal money that sums to the statement', async () => {
    const [draft] = (await api('POST', '/api/statements', { month: lastEnded, partnerId: 'par_demo_02' })).json.data as Json[];
    const final = (await api('POST', `/api/statements/${draft!.id}/finalize`)).json;
    expect(final.status).toBe('final');
    const csv = await fetch(`${server.url}/api/statements/${final.id}/csv`, { headers: { authorization: `Bearer ${adminToken}` } });
    const rows = (await csv.text()).trimEnd().split('\r\n').map((r) => r.split(','));
    const header = rows[0]!;
    const revenueAt = header.indexOf('revenue');
    const shareAt = header.indexOf('share');
    expect(revenueAt).toBeGreaterThan(0);
    const body = rows.slice(1);
    expect(body.length).toBeGreaterThan(1);
    const toMicros = (s: string) => {
      expect(s).toMatch(/^-?\d+\.\d{2,6}$/);
      const [whole, fraction] = s.replace('-', '').split('.');
      return (s.startsWith('-') ? -1n : 1n) * (BigInt(whole!) * 1_000_000n + BigInt(fraction!.padEnd(6, '0')));
    };
    const lines = body.slice(0, -1);
    const total = body.at(-1)!;
    expect(lines.reduce((s, r) => s + toMicros(r[revenueAt]!), 0n)).toBe(toMicros(total[revenueAt]!));
    expect(toMicros(total[revenueAt]!)).toBe(BigInt(final.revenueMicros + final.adjustmentMicros));
    expect(toMicros(total[shareAt]!)).toBe(BigInt(final.shareMicros));
    expect(lines.some((r) => /\.\d{3,6}$/.test(r[revenueAt]!))).toBe(true); // sub-cent digits are kept, not rounded away
  });
});
