/**
 * Small hand-checkable data set shared by the KPI tests (not exported from the package).
 * Four customers over January–March 2026; money in micro-units, kept tiny so the expected values
 * in the tests can be checked by hand.
 *
 *   c1  acquired 2026-01-05 via direct   (campaign launch), fintech/CN, direct signup
 *   c2  acquired 2026-01-20 via reseller (partner p1),      edu/SEA,    referred
 *   c3  acquired 2026-02-03 via direct   (campaign launch), edu/CN,     direct signup
 *   c4  acquired 2026-02-10 via reseller (partner p1),      fintech/CN, referred
 *
 * Activity: Jan c1 (2 days), c2 · Feb c1, c3 (2 days), c4 · Mar c1, c2 (back), c4.
 */
import type { CustomerRow, ReachRow, SpendRow, UsageEventRow } from './rows.js';

export const customers: CustomerRow[] = [
  { customerId: 'c1', acquiredAt: '2026-01-05', channelId: 'direct', partnerId: null, campaignId: 'launch', segmentId: 'fintech', region: 'CN', signupSource: 'direct' },
  { customerId: 'c2', acquiredAt: '2026-01-20', channelId: 'reseller', partnerId: 'p1', campaignId: null, segmentId: 'edu', region: 'SEA', signupSource: 'referred' },
  { customerId: 'c3', acquiredAt: '2026-02-03', channelId: 'direct', partnerId: null, campaignId: 'launch', segmentId: 'edu', region: 'CN', signupSource: 'direct' },
  { customerId: 'c4', acquiredAt: '2026-02-10', channelId: 'reseller', partnerId: 'p1', campaignId: null, segmentId: 'fintech', region: 'CN', signupSource: 'referred' },
];

const u = (customerId: string, day: string, tokens: number, revenueMicros: number, costMicros: number): UsageEventRow => {
  const c = customers.find((x) => x.customerId === customerId)!;
  return { customerId, channelId: c.channelId, partnerId: c.partnerId, campaignId: c.campaignId, day, tokens, revenueMicros, costMicros };
};

export const usage: UsageEventRow[] = [
  u('c1', '2026-01-05', 1000, 100, 40),
  u('c1', '2026-01-06', 1000, 100, 40),
  u('c2', '2026-01-20', 2000, 300, 60),
  u('c1', '2026-02-01', 500, 50, 20),
  u('c3', '2026-02-03', 3000, 200, 100),
  u('c3', '2026-02-04', 1000, 100, 30),
  u('c4', '2026-02-10', 4000, 400, 100),
  u('c1', '2026-03-02', 1000, 150, 50),
  u('c2', '2026-03-15', 1000, 100, 20),
  u('c4', '2026-03-10', 2000, 500, 100),
];

export const spend: SpendRow[] = [
  { month: '2026-01', channelId: 'direct', partnerId: null, campaignId: 'launch', kind: 'media', amountMicros: 1000 },
  { month: '2026-01', channelId: 'reseller', partnerId: 'p1', campaignId: null, kind: 'partnerPayout', amountMicros: 600 },
  { month: '2026-02', channelId: 'direct', partnerId: null, campaignId: 'launch', kind: 'media', amountMicros: 500 },
  { month: '2026-02', channelId: 'direct', partnerId: null, campaignId: null, kind: 'other', amountMicros: 100 },
  { month: '2026-02', channelId: 'reseller', partnerId: 'p1', campaignId: null, kind: 'partnerPayout', amountMicros: 300 },
  { month: '2026-02', channelId: 'reseller', partnerId: 'p1', campaignId: null, kind: 'media', amountMicros: 100 },
];

export const reach: ReachRow[] = [
  { month: '2026-01', channelId: 'direct', partnerId: null, campaignId: 'launch', impressions: 10_000, uniqueVisitors: 2_000 },
  { month: '2026-01', channelId: 'reseller', partnerId: 'p1', campaignId: null, impressions: 5_000, uniqueVisitors: 1_000 },
  { month: '2026-02', channelId: 'direct', partnerId: null, campaignId: 'launch', impressions: 8_000, uniqueVisitors: 1_500 },
  { month: '2026-02', channelId: 'direct', partnerId: null, campaignId: null, impressions: 2_000, uniqueVisitors: 500 },
];
