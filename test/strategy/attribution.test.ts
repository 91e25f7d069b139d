import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AttributionReport } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import { DAY, seedCustomer, seedUsage, strategyHarness, type StrategyHarness } from './support.js';

const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2026-04-01T00:00:00.000Z';
const t0 = Date.parse('2026-02-01T00:00:00Z');
const at = (days: number): string => new Date(t0 + days * DAY).toISOString();
const M = 1_000_000;

/**
 * Three customers with known paths (promotion channels) and ledger revenue, one visitor who never converts:
 *   C1: search_ads (d0) → social (d1) → signup d2;  revenue 60 + 40 in the window (+999 after it)
 *   C2: social (d5), identified later, acquired d6;  revenue 50
 *   C3: content (d1) → search_ads (d8) → social (d9) → signup d10 → search_ads (d20, after signup: ignored);  revenue 30
 *   V4: search_ads (d3), no signup
 */
async function seedJourneys(h: StrategyHarness): Promise<void> {
  const c1 = await seedCustomer(h.store, { name: 'c1', acquiredAt: new Date(t0 + 2 * DAY) });
  const c2 = await seedCustomer(h.store, { name: 'c2', acquiredAt: new Date(t0 + 6 * DAY) });
  const c3 = await seedCustomer(h.store, { name: 'c3', acquiredAt: new Date(t0 + 10 * DAY) });
  const touch = async (visitorId: string, kind: string, promotionChannel: string | undefined, days: number, customerId?: string) => {
    const r = await h.api('POST', '/api/touchpoints', { visitorId, kind, occurredAt: at(days), ...(promotionChannel ? { promotionChannel } : {}), ...(customerId ? { customerId } : {}) });
    expect(r.status).toBe(201);
  };
  await touch('visitor_c1', 'click', 'search_ads', 0);
  await touch('visitor_c1', 'click', 'social', 1);
  await touch('visitor_c1', 'signup', undefined, 2, c1);
  await touch('visitor_c2', 'click', 'social', 5);
  expect((await h.api('POST', '/api/touchpoints/identify', { visitorId: 'visitor_c2', customerId: c2 })).json).toEqual({ linked: 1 });
  await touch('visitor_c3', 'click', 'content', 1);
  await touch('visitor_c3', 'click', 'search_ads', 8);
  await touch('visitor_c3', 'view', 'social', 9);
  await touch('visitor_c3', 'signup', undefined, 10, c3);
  await touch('visitor_c3', 'click', 'search_ads', 20);
  await touch('visitor_v4', 'click', 'search_ads', 3);
  await seedUsage(h.store, c1, new Date(t0 + 3 * DAY), 60 * M);
  await seedUsage(h.store, c1, new Date(t0 + 10 * DAY), 40 * M);
  await seedUsage(h.store, c1, new Date('2026-05-01T00:00:00Z'), 999 * M);
  await seedUsage(h.store, c2, new Date(t0 + 7 * DAY), 50 * M);
  await seedUsage(h.store, c3, new Date(t0 + 12 * DAY), 30 * M);
}

/** Time-decay weights 2^(−Δt/7d), normalised: an independent computation of the expected split. */
function decay(daysBeforeConversion: number[]): number[] {
  const raw = daysBeforeConversion.map((d) => 2 ** (-d / 7));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}

/** P(conversion) of a first-order Markov chain by value iteration (not the linear solve the method uses). */
function markovShares(paths: { touches: string[]; converted: boolean }[], channels: string[]): Record<string, number> {
  const count = (from: string, to: string) => paths.reduce((n, p) => {
    const states = ['start', ...p.touches, p.converted ? 'conv' : 'null'];
    return n + states.slice(0, -1).filter((s, i) => s === from && states[i + 1] === to).length;
  }, 0);
  const out = (from: string) => [...channels, 'conv', 'null'].reduce((n, to) => n + count(from, to), 0);
  const probability = (removed: string | null): number => {
    const v: Record<string, number> = Object.fromEntries(channels.map((c) => [c, 0]));
    for (let it = 0; it < 500; it++) {
      for (const c of channels) {
        if (c === removed) { v[c] = 0; continue; }
        v[c] = (count(c, 'conv') + channels.reduce((s, d) => s + count(c, d) * (d === removed ? 0 : v[d]!), 0)) / out(c);
      }
    }
    return channels.reduce((s, c) => s + (count('start', c) / out('start')) * (c === removed ? 0 : v[c]!), 0);
  };
  const base = probability(null);
  const effects = channels.map((c) => 1 - probability(c) / base);
  const total = effects.reduce((a, b) => a + b, 0);
  return Object.fromEntries(channels.map((c, i) => [c, effects[i]! / total]));
}

const revenueBy = (report: AttributionReport, model: string): Record<string, number> =>
  Object.fromEntries(report.models.find((m) => m.model === model)!.credits.map((c) => [c.channelId, c.revenueMicros]));

describe.each(storeKinds)('attribution of customers and their ledger revenue (%s)', (kind) => {
  let h: StrategyHarness;
  let report: AttributionReport;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
    await seedJourneys(h);
    const r = await h.api<AttributionReport>('GET', `/api/attribution?from=${FROM}&to=${TO}&by=promotionChannel`);
    expect(r.status).toBe(200);
    report = r.json;
  });
  afterAll(async () => h?.dispose());

  it('builds three converting paths and one that went nowhere, with the window revenue', ({ skip }) => {
    if (!h) skip();
    expect(report).toMatchObject({ convertingPaths: 3, nonConvertingPaths: 1, totalConversions: 3, totalRevenueMicros: 180 * M, unattributedCustomers: 0 });
    expect(new Set(report.channels)).toEqual(new Set(['search_ads', 'social', 'content']));
  });

  it('credits first touch, last touch, linear and position-based (40/20/40) as computed by hand', ({ skip }) => {
    if (!h) skip();
    expect(revenueBy(report, 'firstTouch')).toEqual({ search_ads: 100 * M, social: 50 * M, content: 30 * M });
    expect(revenueBy(report, 'lastTouch')).toEqual({ search_ads: 0, social: 180 * M, content: 0 });
    expect(revenueBy(report, 'linear')).toEqual({ search_ads: 60 * M, social: 110 * M, content: 10 * M });
    expect(revenueBy(report, 'positionBased')).toEqual({ search_ads: 56 * M, social: 112 * M, content: 12 * M });
  });

  it('credits time decay (half-life 7 days) from the signup time', ({ skip }) => {
    if (!h) skip();
    const [c1Search, c1Social] = decay([2, 1]);
    const [c3Content, c3Search, c3Social] = decay([9, 2, 1]);
    const expected = { search_ads: 100 * M * c1Search! + 30 * M * c3Search!, social: 100 * M * c1Social! + 50 * M + 30 * M * c3Social!, content: 30 * M * c3Content! };
    const got = revenueBy(report, 'timeDecay');
    for (const [channel, micros] of Object.entries(expected)) expect(Math.abs(got[channel]! - micros)).toBeLessThanOrEqual(1);
  });

  it('credits the Markov removal effect as an independent value iteration does', ({ skip }) => {
    if (!h) skip();
    const shares = markovShares(
      [
        { touches: ['search_ads', 'social'], converted: true },
        { touches: ['social'], converted: true },
        { touches: ['content', 'search_ads', 'social'], converted: true },
        { touches: ['search_ads'], converted: false },
      ],
      ['search_ads', 'social', 'content'],
    );
    const got = revenueBy(report, 'markov');
    for (const [channel, share] of Object.entries(shares)) expect(Math.abs(got[channel]! - 180 * M * share)).toBeLessThanOrEqual(1);
    expect(report.markov!.conversionProbability).toBeCloseTo(3 / 4, 10);
  });

  it('takes a journey in the window in which it converts or ends, with its earlier touches', async ({ skip }) => {
    if (!h) skip();
    // From day 3: C1 converted on day 2 (out); C2 (day 6) and C3 (day 10) convert in it, C3 bringing its day-1
    // content click; V4's journey ends on day 3 (in). P(conversion) = 2 / 3, not 3 / 3.
    const fromDay3 = (await h.api<AttributionReport>('GET', `/api/attribution?from=${at(3)}&to=${TO}&by=promotionChannel`)).json;
    expect(fromDay3).toMatchObject({ convertingPaths: 2, nonConvertingPaths: 1, totalConversions: 2, totalRevenueMicros: 80 * M });
    expect(revenueBy(fromDay3, 'firstTouch')).toEqual({ social: 50 * M, content: 30 * M, search_ads: 0 });
    expect(fromDay3.markov!.conversionProbability).toBeCloseTo(2 / 3, 10);
    // From day 11 every journey had converted or ended before: none of them is in the window.
    const fromDay11 = (await h.api<AttributionReport>('GET', `/api/attribution?from=${at(11)}&to=${TO}&by=promotionChannel`)).json;
    expect(fromDay11).toMatchObject({ convertingPaths: 0, nonConvertingPaths: 0, totalConversions: 0 });
  });

  it('credits campaigns when asked by campaign, and refuses a bad window', async ({ skip }) => {
    if (!h) skip();
    const byCampaign = await h.api<AttributionReport>('GET', `/api/attribution?from=${FROM}&to=${TO}&by=campaign`);
    expect(byCampaign.json).toMatchObject({ convertingPaths: 0, unattributedCustomers: 3, models: [] });
    const bad = await h.api('GET', `/api/attribution?from=${TO}&to=${FROM}`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'QD_INVALID_REQUEST', param: 'from' } });
  });
});
