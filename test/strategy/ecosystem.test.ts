import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EcosystemGraph, PartnerRelation } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import { seedCustomer, seedPartner, seedUsage, strategyHarness, type StrategyHarness } from './support.js';

const M = 1_000_000;
const inWindow = new Date('2026-06-01T00:00:00Z');
const WINDOW = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';

/**
 * Partners A, B, C; A owns link a-ref, C owns c-ref. Customers (revenue in the window):
 *   X via B, clicked a-ref: 70    Y via B, no click: 30    Z via no partner, clicked a-ref: 20
 *   W via A, clicked a-ref: 40    V via C, clicked a-ref and c-ref: 15    Q via B, revenue only outside the window
 */
describe.each(storeKinds)('ecosystem graph and the revenue along each relation (%s)', (kind) => {
  let h: StrategyHarness;
  const p: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };
  const rel: Record<string, PartnerRelation> = {};
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
    for (const name of ['A', 'B', 'C'] as const) p[name] = await seedPartner(h.store, `partner ${name}`);
    await h.api('POST', '/api/links', { code: 'a-ref', partnerId: p.A, targetUrl: 'https://example.com/a' });
    await h.api('POST', '/api/links', { code: 'c-ref', partnerId: p.C, targetUrl: 'https://example.com/c' });
    for (const [key, from, to, relKind] of [['AB', 'A', 'B', 'referral'], ['CB', 'C', 'B', 'co_selling'], ['AC', 'A', 'C', 'integration']] as const) {
      rel[key] = (await h.api<PartnerRelation>('POST', '/api/partner-relations', { fromPartnerId: p[from], toPartnerId: p[to], kind: relKind })).json;
    }
    const customer = async (name: string, via: 'A' | 'B' | 'C' | null, codes: string[], revenue: number, at = inWindow) => {
      const id = await seedCustomer(h.store, { name, ...(via ? { acquiredPartnerId: p[via] } : {}) });
      for (const code of codes) await h.app.inject({ method: 'GET', url: `/r/${code}`, headers: { cookie: `qd_vid=visitor_${name}` } });
      await h.api('POST', '/api/touchpoints/identify', { visitorId: `visitor_${name}`, customerId: id });
      await seedUsage(h.store, id, at, revenue * M);
    };
    await customer('X', 'B', ['a-ref'], 70);
    await customer('Y', 'B', [], 30);
    await customer('Z', null, ['a-ref'], 20);
    await customer('W', 'A', ['a-ref'], 40);
    await customer('V', 'C', ['a-ref', 'c-ref'], 15);
    await customer('Q', 'B', ['a-ref'], 500, new Date('2025-01-01T00:00:00Z'));
  });
  afterAll(async () => h?.dispose());

  it('puts on each relation A → B the revenue of B\'s customers that A\'s links touched', async ({ skip }) => {
    if (!h) skip();
    const g = (await h.api<EcosystemGraph>('GET', `/api/ecosystem?${WINDOW}`)).json;
    const edge = (id: string) => g.edges.find((e) => e.id === id)!;
    expect(edge(rel.AB!.id)).toMatchObject({ kind: 'referral', customers: 1, revenueMicros: 70 * M });
    expect(edge(rel.CB!.id)).toMatchObject({ kind: 'co_selling', customers: 0, revenueMicros: 0 });
    expect(edge(rel.AC!.id)).toMatchObject({ kind: 'integration', customers: 1, revenueMicros: 15 * M });
  });

  it('splits each partner\'s revenue into sourced and influenced without double counting', async ({ skip }) => {
    if (!h) skip();
    const g = (await h.api<EcosystemGraph>('GET', `/api/ecosystem?${WINDOW}`)).json;
    const node = (name: 'A' | 'B' | 'C') => g.nodes.find((n) => n.partnerId === p[name])!;
    expect(node('A')).toMatchObject({ sourcedCustomers: 1, sourcedRevenueMicros: 40 * M, influencedCustomers: 3, influencedRevenueMicros: 105 * M });
    expect(node('B')).toMatchObject({ sourcedCustomers: 2, sourcedRevenueMicros: 100 * M, influencedCustomers: 0, influencedRevenueMicros: 0 });
    expect(node('C')).toMatchObject({ sourcedCustomers: 1, sourcedRevenueMicros: 15 * M, influencedCustomers: 0, influencedRevenueMicros: 0 });
    expect(g).toMatchObject({ totalRevenueMicros: 175 * M, partnerSourcedRevenueMicros: 155 * M, partnerInfluencedRevenueMicros: 20 * M });
  });

  it('refuses self-relations, duplicates and unknown partners', async ({ skip }) => {
    if (!h) skip();
    const self = await h.api<{ error: { code: string; param: string } }>('POST', '/api/partner-relations', { fromPartnerId: p.A, toPartnerId: p.A, kind: 'referral' });
    expect(self.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'toPartnerId' });
    const dup = await h.api<{ error: { code: string } }>('POST', '/api/partner-relations', { fromPartnerId: p.A, toPartnerId: p.B, kind: 'referral' });
    expect(dup.status).toBe(409);
    const unknown = await h.api<{ error: { code: string; message: string } }>('POST', '/api/partner-relations', { fromPartnerId: 'ptn_nope', toPartnerId: p.B, kind: 'referral' });
    expect(unknown.json.error.message).toBe('fromPartnerId: no partner ptn_nope');
    const badKind = await h.api<{ error: { param: string } }>('POST', '/api/partner-relations', { fromPartnerId: p.A, toPartnerId: p.C, kind: 'friendship' });
    expect(badKind.json.error.param).toBe('kind');
  });
});
