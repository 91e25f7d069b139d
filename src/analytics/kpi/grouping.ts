/**
 * Grouping helpers shared by the KPI formulas: month keys, group keys per dimension, safe money
 * sums and row validation.
 *
 * Grouping rule: usage-based KPIs (coverage, DAU/MAU, revenue, tokens, cost, reach, spend) put a
 * row in the group of the channel/partner/campaign it came through, so a customer active through
 * two channels counts in both; acquisition-based KPIs (cohort retention, net revenue retention,
 * churn, CAC, signup share) put a customer in the group it was acquired through. Segment and
 * region always come from the customer. A missing partner or campaign is the key {@link NO_KEY}.
 */
import { KpiInputError } from './errors.js';
import type { CustomerRow, KpiDimension, UsageEventRow } from './rows.js';

/** Group key for rows with no partner or campaign. */
export const NO_KEY = '(none)';

const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' of a 'YYYY-MM-DD' day (or ISO timestamp), validated. */
export function monthOfDay(day: string, field: string): string {
  if (typeof day !== 'string' || !DAY_RE.test(day.slice(0, 10))) throw new KpiInputError(`${field} must be a 'YYYY-MM-DD' day, got ${String(day)}`);
  return day.slice(0, 7);
}

/** Throws unless `month` is 'YYYY-MM'. */
export function requireMonth(month: string, field: string): void {
  if (typeof month !== 'string' || !MONTH_RE.test(month)) throw new KpiInputError(`${field} must be a 'YYYY-MM' month, got ${String(month)}`);
}

/** The month `offset` months after `month` ('2026-11' + 2 = '2027-01'). */
export function addMonths(month: string, offset: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Whole months from `from` to `to` ('2026-01' → '2026-03' = 2). */
export function monthsBetween(from: string, to: string): number {
  const [y1, m1] = from.split('-').map(Number) as [number, number];
  const [y2, m2] = to.split('-').map(Number) as [number, number];
  return (y2 - y1) * 12 + (m2 - m1);
}

/** Days in a 'YYYY-MM' month (UTC calendar). */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Throws unless `value` is a non-negative safe integer (money, tokens, counts). */
export function requireCount(value: number, field: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new KpiInputError(`${field} must be a non-negative safe integer, got ${String(value)}`);
}

/** Adds integer micro-units, refusing a sum beyond the safe-integer range. */
export function addMicros(a: number, b: number): number {
  const s = a + b;
  if (!Number.isSafeInteger(s)) throw new KpiInputError('money total exceeds the safe-integer range of micro-units');
  return s;
}

/** Customers by id, refusing duplicates and malformed rows. */
export function indexCustomers(customers: readonly CustomerRow[]): Map<string, CustomerRow> {
  const byId = new Map<string, CustomerRow>();
  customers.forEach((c, i) => {
    if (byId.has(c.customerId)) throw new KpiInputError(`customers[${i}] duplicates customerId "${c.customerId}"`);
    monthOfDay(c.acquiredAt, `customers[${i}].acquiredAt`);
    if (c.signupSource !== 'direct' && c.signupSource !== 'referred') throw new KpiInputError(`customers[${i}].signupSource must be 'direct' or 'referred'`);
    byId.set(c.customerId, c);
  });
  return byId;
}

/** Throws unless every usage row is well-formed and belongs to a known customer (when given). */
export function validateUsage(usage: readonly UsageEventRow[], customers?: Map<string, CustomerRow>): void {
  usage.forEach((u, i) => {
    monthOfDay(u.day, `usage[${i}].day`);
    requireCount(u.tokens, `usage[${i}].tokens`);
    requireCount(u.revenueMicros, `usage[${i}].revenueMicros`);
    requireCount(u.costMicros, `usage[${i}].costMicros`);
    if (customers !== undefined && !customers.has(u.customerId)) throw new KpiInputError(`usage[${i}] refers to unknown customer "${u.customerId}"`);
  });
}

/** Group key of a customer (acquisition attributes). */
export function customerKey(c: CustomerRow, by: KpiDimension): string {
  const keys: Record<KpiDimension, string> = {
    channel: c.channelId, partner: c.partnerId ?? NO_KEY, campaign: c.campaignId ?? NO_KEY,
    segment: c.segmentId, region: c.region, all: 'all',
  };
  return requireKey(keys[by], by);
}

function requireKey(key: string | undefined, by: KpiDimension): string {
  if (key === undefined) throw new KpiInputError(`unknown KPI dimension "${String(by)}"`);
  return key;
}

/** Group key of a usage row (its own channel/partner/campaign; segment and region from its customer). */
export function usageKey(u: UsageEventRow, by: KpiDimension, customers: Map<string, CustomerRow>): string {
  if (by === 'segment' || by === 'region') {
    const c = customers.get(u.customerId);
    if (c === undefined) throw new KpiInputError(`usage refers to unknown customer "${u.customerId}"`);
    return customerKey(c, by);
  }
  const keys: Record<Exclude<KpiDimension, 'segment' | 'region'>, string> = {
    channel: u.channelId, partner: u.partnerId ?? NO_KEY, campaign: u.campaignId ?? NO_KEY, all: 'all',
  };
  return requireKey(keys[by], by);
}

/** The channel/partner/campaign fields that spend and reach rows carry. */
export interface ChannelAttributes {
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
}

/**
 * Group key of a spend or reach row. These rows know their channel, partner and campaign but no
 * customer, so they cannot be grouped by segment or region.
 */
export function channelAttributesKey(row: ChannelAttributes, by: KpiDimension, what: string): string {
  if (by === 'segment' || by === 'region') {
    throw new KpiInputError(`${what} cannot be grouped by ${by}: its rows carry channel, partner and campaign only`);
  }
  const keys: Record<Exclude<KpiDimension, 'segment' | 'region'>, string> = {
    channel: row.channelId, partner: row.partnerId ?? NO_KEY, campaign: row.campaignId ?? NO_KEY, all: 'all',
  };
  return requireKey(keys[by], by);
}

/** Key of a (group, month) cell; the separator cannot occur in a month. */
export const cellKey = (key: string, month: string): string => `${month}\u0000${key}`;

/** Splits a cell key back, for output rows. */
export function splitCell(cell: string): { month: string; key: string } {
  const at = cell.indexOf('\u0000');
  return { month: cell.slice(0, at), key: cell.slice(at + 1) };
}

/** Sorts KPI rows by month, then group key, for stable output. */
export function byMonthThenKey<T extends { month: string; key: string }>(a: T, b: T): number {
  return a.month < b.month ? -1 : a.month > b.month ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
