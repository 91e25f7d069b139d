/**
 * A small deterministic workspace for the analytics tests (not exported): three channels, one partner with a
 * 20 % revenue share, two segments, one campaign with spend and tracked links, five customers and their
 * ledger rows over January–March 2026. The same facts are kept as plain KPI rows so the tests can compute
 * the expected figures independently with the pure formulas of ./kpi, without the database.
 */
import { schema, type Store } from '../store/index.js';
import type { CustomerRow, SpendRow, UsageEventRow } from './kpi/index.js';

/** One ledger row of the fixture. */
export interface FixtureEvent {
  customer: string;
  at: string;
  model?: string;
  tokens: [number, number];
  status?: 'ok' | 'error';
  cost: number;
  price: number;
}

export const fixtureCustomers: CustomerRow[] = [
  { customerId: 'c1', acquiredAt: '2026-01-05', channelId: 'ch_direct', partnerId: null, campaignId: null, segmentId: 's1', region: 'EU', signupSource: 'direct' },
  { customerId: 'c2', acquiredAt: '2026-01-10', channelId: 'ch_ref', partnerId: 'p1', campaignId: null, segmentId: 's1', region: 'US', signupSource: 'referred' },
  { customerId: 'c3', acquiredAt: '2026-02-03', channelId: 'ch_direct', partnerId: null, campaignId: 'cmp1', segmentId: 's2', region: 'EU', signupSource: 'direct' },
  { customerId: 'c4', acquiredAt: '2026-02-20', channelId: 'ch_mkt', partnerId: null, campaignId: null, segmentId: 's2', region: 'APAC', signupSource: 'direct' },
  { customerId: 'c5', acquiredAt: '2026-03-01', channelId: 'ch_direct', partnerId: null, campaignId: null, segmentId: 's1', region: 'US', signupSource: 'direct' },
];

/** Ledger rows: c2 pauses in February, c4 churns after February, c1 uses two models on one day. */
export const fixtureEvents: FixtureEvent[] = [
  { customer: 'c1', at: '2026-01-05T10:00:00Z', tokens: [1000, 500], cost: 300, price: 1_500 },
  { customer: 'c1', at: '2026-01-06T23:59:59Z', tokens: [2000, 100], cost: 420, price: 2_100 },
  { customer: 'c2', at: '2026-01-12T08:00:00Z', tokens: [4000, 4000], cost: 1_600, price: 9_000 },
  { customer: 'c2', at: '2026-01-12T09:00:00Z', tokens: [300, 0], status: 'error', cost: 60, price: 0 },
  { customer: 'c1', at: '2026-02-10T00:00:00Z', tokens: [1000, 1000], cost: 400, price: 2_000 },
  { customer: 'c1', at: '2026-02-10T12:00:00Z', model: 'qudao-small', tokens: [500, 500], cost: 100, price: 700 },
  { customer: 'c3', at: '2026-02-04T10:00:00Z', tokens: [3000, 1000], cost: 800, price: 5_000 },
  { customer: 'c3', at: '2026-02-05T10:00:00Z', tokens: [1000, 1000], cost: 400, price: 2_500 },
  { customer: 'c4', at: '2026-02-21T10:00:00Z', tokens: [10_000, 2_000], cost: 2_400, price: 12_000 },
  { customer: 'c1', at: '2026-03-15T10:00:00Z', tokens: [1000, 1000], cost: 400, price: 2_600 },
  { customer: 'c2', at: '2026-03-02T10:00:00Z', tokens: [2000, 2000], cost: 800, price: 6_000 },
  { customer: 'c3', at: '2026-03-07T10:00:00Z', tokens: [1000, 3000], cost: 800, price: 4_000 },
  { customer: 'c5', at: '2026-03-01T00:00:00Z', tokens: [500, 500], cost: 200, price: 1_000 },
  { customer: 'c5', at: '2026-03-02T00:00:00Z', tokens: [500, 500], cost: 200, price: 1_000 },
];

const customerOf = (id: string): CustomerRow => fixtureCustomers.find((c) => c.customerId === id)!;

/** A fixture event as its ledger row (attribution copied from the customer, as the gateway does). */
export function ledgerRow(e: FixtureEvent, requestId: string): typeof schema.usageEvents.$inferInsert {
  const c = customerOf(e.customer);
  return {
    requestId, occurredAt: new Date(e.at), customerId: c.customerId, channelId: c.channelId, partnerId: c.partnerId, campaignId: c.campaignId,
    model: e.model ?? 'qudao-base', endpoint: 'chat.completions', promptTokens: e.tokens[0], completionTokens: e.tokens[1],
    status: e.status ?? 'ok', httpStatus: e.status === 'error' ? 502 : 200, costMicros: e.cost, priceMicros: e.price,
  };
}

/** A fixture event as the KPI formulas' usage row. */
export function usageRow(e: FixtureEvent): UsageEventRow {
  const c = customerOf(e.customer);
  return { customerId: c.customerId, channelId: c.channelId, partnerId: c.partnerId, campaignId: c.campaignId, day: e.at.slice(0, 10), tokens: e.tokens[0] + e.tokens[1], revenueMicros: e.price, costMicros: e.cost };
}

/**
 * The spend the fixture records, as the KPI formulas see it, computed by hand: campaign spend belongs to
 * the channel its customer came through (ch_direct), co-marketing to the partner's channel (ch_ref), and
 * the partner earns 20 % of its customer's revenue (c2: January 9,000, March 6,000).
 */
export const fixtureSpend: SpendRow[] = [
  { month: '2026-01', channelId: 'ch_ref', partnerId: 'p1', campaignId: null, kind: 'media', amountMicros: 100_000 },
  { month: '2026-02', channelId: 'ch_direct', partnerId: null, campaignId: 'cmp1', kind: 'media', amountMicros: 500_000 },
  { month: '2026-01', channelId: 'ch_ref', partnerId: 'p1', campaignId: null, kind: 'partnerPayout', amountMicros: 1_800 },
  { month: '2026-03', channelId: 'ch_ref', partnerId: 'p1', campaignId: null, kind: 'partnerPayout', amountMicros: 1_200 },
];

/** Inserts the fixture's CRM rows (everything but the ledger). */
export async function seedFixtureCrm(store: Store): Promise<void> {
  const { db } = store;
  await db.insert(schema.partners).values({ id: 'p1', name: 'Partner One', type: 'referral', region: 'US' });
  await db.insert(schema.agreements).values({ id: 'ag1', partnerId: 'p1', revenueShareBps: 2_000, startsAt: new Date('2025-12-01T00:00:00Z') });
  await db.insert(schema.channels).values([
    { id: 'ch_direct', name: 'Direct', type: 'direct' },
    { id: 'ch_ref', name: 'Partner One referrals', type: 'referral', ownerPartnerId: 'p1' },
    { id: 'ch_mkt', name: 'Marketplace', type: 'marketplace' },
  ]);
  await db.insert(schema.segments).values([
    { id: 's1', name: 'Fintech EU', industry: 'fintech', region: 'EU', companySize: 'mid', accounts: 1_000, serviceableShare: 0.5, adoptionRate: 0.1 },
    { id: 's2', name: 'Education', industry: 'education', region: 'APAC', companySize: 'small', accounts: 200, serviceableShare: 1, adoptionRate: 0.25 },
  ]);
  await db.insert(schema.campaigns).values({ id: 'cmp1', name: 'Launch', goal: 'signups', segmentId: 's2', startsAt: new Date('2026-02-01T00:00:00Z') });
  await db.insert(schema.spend).values([
    { id: 'sp1', campaignId: 'cmp1', promotionChannel: 'search_ads', spentOn: new Date('2026-02-01T00:00:00Z'), amountMicros: 300_000 },
    { id: 'sp2', campaignId: 'cmp1', promotionChannel: 'search_ads', spentOn: new Date('2026-02-15T00:00:00Z'), amountMicros: 200_000 },
    { id: 'sp3', partnerId: 'p1', promotionChannel: 'co_marketing', spentOn: new Date('2026-01-20T00:00:00Z'), amountMicros: 100_000 },
  ]);
  await db.insert(schema.links).values([
    { id: 'l1', code: 'launch', campaignId: 'cmp1', promotionChannel: 'search_ads', targetUrl: 'https://example.com' },
    { id: 'l2', code: 'p1', partnerId: 'p1', promotionChannel: 'co_marketing', targetUrl: 'https://example.com' },
  ]);
  await db.insert(schema.touchpoints).values([
    { id: 't1', visitorId: 'v1', occurredAt: new Date('2026-02-01T10:00:00Z'), campaignId: 'cmp1', linkId: 'l1', kind: 'click' },
    { id: 't2', visitorId: 'v1', occurredAt: new Date('2026-02-02T10:00:00Z'), campaignId: 'cmp1', linkId: 'l1', kind: 'view' },
    { id: 't3', visitorId: 'v2', occurredAt: new Date('2026-02-02T11:00:00Z'), campaignId: 'cmp1', linkId: 'l1', kind: 'click' },
    { id: 't4', visitorId: 'v3', occurredAt: new Date('2026-01-08T11:00:00Z'), linkId: 'l2', kind: 'click' },
  ]);
  await db.insert(schema.customers).values(fixtureCustomers.map((c) => ({
    id: c.customerId, name: c.customerId, segmentId: c.segmentId, region: c.region, acquiredChannelId: c.channelId,
    acquiredPartnerId: c.partnerId, acquiredCampaignId: c.campaignId, acquiredAt: new Date(`${c.acquiredAt}T12:00:00Z`),
  })));
}
