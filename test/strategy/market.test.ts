import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketSizeReport, Segment, SegmentRankingReport } from '../../src/strategy/index.js';
import { postgresReachable, storeKinds } from '../support/stores.js';
import { reference, seedCustomer, seedUsage, strategyHarness, type StrategyHarness } from './support.js';

const M = 1_000_000;
const WINDOW = 'from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z';
const inWindow = new Date('2026-06-01T00:00:00Z');

/** Three segments: facts chosen so every figure can be worked out by hand. */
const SEGMENTS = [
  { name: 'fintech-cn-mid', industry: 'fintech', region: 'cn', companySize: 'mid', accounts: 1000, annualPriceMicros: 12_000 * M, serviceableShare: 0.5, adoptionRate: 0.1, growthRate: 0.2, willingnessToPay: 8, competition: 6, fit: 9 },
  { name: 'retail-eu-small', industry: 'retail', region: 'eu', companySize: 'small', accounts: 4000, annualPriceMicros: 2_400 * M, serviceableShare: 0.25, adoptionRate: 0.05, growthRate: 0.1, willingnessToPay: 4, competition: 3, fit: 5 },
  { name: 'health-us-large', industry: 'health', region: 'us', companySize: 'large', accounts: 200, annualPriceMicros: 50_000 * M, serviceableShare: 0.2, adoptionRate: 0.25, growthRate: 0.3, willingnessToPay: 9, competition: 8, fit: 4 },
];
const WEIGHTS = { size: 3, growth: 1, willingnessToPay: 2, competition: 1, fit: 3 };

describe.each(storeKinds)('market positioning over segments and the ledger (%s)', (kind) => {
  let h: StrategyHarness;
  let segments: Segment[];
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresReachable())) return;
    h = await strategyHarness(kind);
  });
  afterAll(async () => h?.dispose());

  it('refuses to size or rank an empty market', async ({ skip }) => {
    if (!h) skip();
    for (const [method, url] of [['GET', `/api/market/size?${WINDOW}`], ['POST', '/api/market/rank']] as const) {
      const r = await h.api<{ error: { code: string; message: string } }>(method, url, method === 'POST' ? {} : undefined);
      expect(r.status).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'QD_INVALID_INPUT', message: expect.stringContaining('segments') });
    }
  });

  it('sizes TAM/SAM/SOM bottom-up with the share the ledger already reaches', async ({ skip }) => {
    if (!h) skip();
    segments = [];
    for (const s of SEGMENTS) segments.push((await h.api<Segment>('POST', '/api/segments', s)).json);
    const [fintech, retail] = segments;
    const a = await seedCustomer(h.store, { name: 'a', segmentId: fintech!.id });
    const b = await seedCustomer(h.store, { name: 'b', segmentId: fintech!.id });
    await seedCustomer(h.store, { name: 'c (no usage)', segmentId: fintech!.id });
    const d = await seedCustomer(h.store, { name: 'd (usage outside the window)', segmentId: fintech!.id });
    const e = await seedCustomer(h.store, { name: 'e', segmentId: retail!.id });
    await seedUsage(h.store, a, inWindow, 30 * M, 5 * M);
    await seedUsage(h.store, a, inWindow, 0);
    await seedUsage(h.store, b, inWindow, 20 * M);
    await seedUsage(h.store, d, new Date('2025-06-01T00:00:00Z'), 70 * M);
    await seedUsage(h.store, e, inWindow, 10 * M);
    const r = (await h.api<MarketSizeReport>('GET', `/api/market/size?${WINDOW}`)).json;
    const row = (name: string) => r.segments.find((s) => s.name === name)!;
    // fintech: TAM 1000 × 12,000 = 12,000,000; SAM × 0.5 → 500 serviceable accounts; SOM × 0.1 → 50 obtainable.
    // Both shares count accounts: 2 customers of 500 and of 50.
    expect(row('fintech-cn-mid')).toMatchObject({
      tamMicros: 12_000_000 * M, samMicros: 6_000_000 * M, somMicros: 600_000 * M, serviceableAccounts: 500, obtainableAccounts: 50,
      observedCustomers: 2, observedRevenueMicros: 50 * M,
      observedShareOfSam: { basis: 'accounts', observed: 2, sized: 500, share: 2 / 500, exceedsSizing: null },
      observedShareOfSom: { basis: 'accounts', observed: 2, sized: 50, share: 2 / 50, exceedsSizing: null },
    });
    expect(row('retail-eu-small')).toMatchObject({ tamMicros: 9_600_000 * M, samMicros: 2_400_000 * M, somMicros: 120_000 * M, observedCustomers: 1, observedRevenueMicros: 10 * M });
    expect(row('health-us-large')).toMatchObject({ tamMicros: 10_000_000 * M, samMicros: 2_000_000 * M, somMicros: 500_000 * M, observedCustomers: 0, observedShareOfSom: { share: 0, exceedsSizing: null } });
    expect(r).toMatchObject({ tamMicros: 31_600_000 * M, samMicros: 10_400_000 * M, somMicros: 1_220_000 * M, observedCustomers: 3, observedRevenueMicros: 60 * M });
  });

  it('ranks segments by weighted sum and TOPSIS as an independent computation does', async ({ skip }) => {
    if (!h) skip();
    const r = (await h.api<SegmentRankingReport>('POST', '/api/market/rank', { weights: WEIGHTS, from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' })).json;
    const rows = SEGMENTS.map((s) => [(s.accounts * s.serviceableShare * s.adoptionRate * s.annualPriceMicros) / M, s.growthRate, s.willingnessToPay, s.competition, s.fit]);
    const ref = reference(rows, [3, 1, 2, 1, 3], [false, false, false, true, false]);
    const order = r.segments.map((s) => SEGMENTS.findIndex((x) => x.name === s.name));
    order.forEach((i, k) => {
      expect(r.weightedSum.scores[k]).toBeCloseTo(ref.weightedSum[i]!, 12);
      expect(r.topsis.scores[k]).toBeCloseTo(ref.topsis[i]!, 12);
    });
    const topByReference = SEGMENTS[ref.topsis.indexOf(Math.max(...ref.topsis))]!.name;
    expect(r.segments.find((s) => s.id === r.topsis.ranking[0]!.id)!.name).toBe(topByReference);
  });

  it('takes the weights from an AHP matrix over the five attributes, and refuses inconsistent judgements', async ({ skip }) => {
    if (!h) skip();
    const w = [3, 1, 2, 1, 3];
    const pairwise = w.map((wi) => w.map((wj) => wi / wj));
    const r = await h.api<SegmentRankingReport>('POST', '/api/market/rank', { pairwise, from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
    expect(r.status).toBe(200);
    expect(r.json.ahp!.consistencyRatio).toBeCloseTo(0, 10);
    expect(r.json.weights.size).toBeCloseTo(0.3, 10);
    const ref = reference(SEGMENTS.map((s) => [(s.accounts * s.serviceableShare * s.adoptionRate * s.annualPriceMicros) / M, s.growthRate, s.willingnessToPay, s.competition, s.fit]), w, [false, false, false, true, false]);
    r.json.segments.forEach((s, k) => expect(r.json.topsis.scores[k]).toBeCloseTo(ref.topsis[SEGMENTS.findIndex((x) => x.name === s.name)]!, 10));
    expect(r.json.sensitivity.top).toBe(r.json.topsis.ranking[0]!.id);
    const cyclic = pairwise.map((row) => [...row]);
    cyclic[0]![1] = 1 / 9; cyclic[1]![0] = 9; cyclic[1]![4] = 9; cyclic[4]![1] = 1 / 9;
    const bad = await h.api<{ error: { code: string; message: string } }>('POST', '/api/market/rank', { pairwise: cyclic });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toMatchObject({ code: 'QD_AHP_INCONSISTENT', message: expect.stringContaining('(size,growth)') });
  });

  it('refuses zero weights, unknown segments and referenced deletes with clear errors', async ({ skip }) => {
    if (!h) skip();
    const zero = await h.api<{ error: { code: string; message: string } }>('POST', '/api/market/rank', { weights: { ...WEIGHTS, fit: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.json.error).toMatchObject({ code: 'QD_INVALID_INPUT', message: expect.stringContaining('fit') });
    const unknown = await h.api<{ error: { code: string } }>('POST', '/api/market/rank', { segmentIds: ['seg_nope'] });
    expect(unknown.json.error.code).toBe('QD_INVALID_INPUT');
    const bad = await h.api<{ error: { code: string; param: string } }>('POST', '/api/segments', { ...SEGMENTS[0], name: 'x', adoptionRate: 1.5 });
    expect(bad.json.error).toMatchObject({ code: 'QD_INVALID_REQUEST', param: 'adoptionRate' });
    const referenced = await h.api<{ error: { code: string } }>('DELETE', `/api/segments/${segments[0]!.id}`);
    expect(referenced.status).toBe(409);
    expect(referenced.json.error.code).toBe('QD_REFERENCED');
  });
});
