/**
 * Plain row types the KPI formulas read. They mirror the ledger and CRM tables (DESIGN.md:
 * usage_events, customers, spend, touchpoints/links, segments) but carry only the fields the
 * formulas need, so the formulas stay pure and the store can map its rows onto these.
 *
 * Days are 'YYYY-MM-DD' and months 'YYYY-MM' (UTC). Money is integer micro-units; tokens are
 * integers.
 */

/** One ledger row (or a per-day aggregate of rows for one customer, channel, partner, campaign). */
export interface UsageEventRow {
  customerId: string;
  /** Channel the call came through (the API key's channel). */
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
  /** UTC day of the call, 'YYYY-MM-DD'. */
  day: string;
  /** Input + output tokens. */
  tokens: number;
  /** What we charged, micro-units. */
  revenueMicros: number;
  /** What it cost us to serve, micro-units. */
  costMicros: number;
}

/** How a customer signed up: on its own, or referred (partner, referral code, tracked link). */
export type SignupSource = 'direct' | 'referred';

/** A customer with the attributes it was acquired with. */
export interface CustomerRow {
  customerId: string;
  /** UTC day of acquisition (first paid signup), 'YYYY-MM-DD'. */
  acquiredAt: string;
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
  segmentId: string;
  region: string;
  signupSource: SignupSource;
}

/** What acquisition spend is for: media/programme spend, partner payouts, or other cost. */
export type SpendKind = 'media' | 'partnerPayout' | 'other';

/** Acquisition spend in one month. */
export interface SpendRow {
  /** 'YYYY-MM' */
  month: string;
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
  kind: SpendKind;
  amountMicros: number;
}

/** Brand reach of a channel/campaign in one month (impressions, unique visitors). */
export interface ReachRow {
  month: string;
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
  impressions: number;
  uniqueVisitors: number;
}

/** Serviceable obtainable market of a segment, in accounts (from market sizing). */
export interface SegmentSomRow {
  segmentId: string;
  somAccounts: number;
}

/** What KPIs are grouped by. `all` puts every row in one group keyed 'all'. */
export type KpiDimension = 'channel' | 'partner' | 'segment' | 'campaign' | 'region' | 'all';
