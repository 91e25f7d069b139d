/**
 * Conversion paths for attribution, built from touchpoint rows. Pure: the attribution service reads the
 * rows and hands them here.
 *
 * - A journey belongs to the window `[from, to)` in which it converts or ends, and then brings all its
 *   touches, however early: converting and non-converting journeys are judged by the same rule, so a
 *   window's conversion rate is conversions ÷ journeys that finished in it (a January conversion is not in
 *   a February–April window, and neither is a January visitor who never came back).
 * - A visitor's touches belong to the customer any of them names (identity stitching, as
 *   `TouchpointService.identify` does on write): the anonymous views and clicks before a signup are part
 *   of the converting journey.
 * - A customer with touchpoints is one converting path. Its conversion time is its earliest `signup`
 *   touchpoint, or its `acquired_at` when it has none; touches after the conversion did not lead to it
 *   and are left out. Its value is its ledger revenue (Σ price_micros) in the window.
 * - A visitor never linked to a customer is one non-converting path (needed by the Markov model, whose
 *   removal effects depend on the journeys that went nowhere); it ends at its last touch.
 * - The touches of a path are the marketing touches (`click`, `view`) that carry the chosen key (promotion
 *   channel or campaign), in time order. A `signup` touchpoint marks the conversion; it is credited only
 *   when the path has no marketing touch but the signup carries a key (a referral code typed at signup).
 * - A path left with no touch is not attributable and is counted, not credited.
 */
import type { ConversionPath } from '../../shared/methods/index.js';
import type { AttributionKey } from '../../shared/contract/strategy/campaigns.js';

/** The touchpoint fields path building needs. */
export interface PathTouchpoint {
  id: string;
  visitorId: string;
  customerId: string | null;
  occurredAt: Date;
  campaignId: string | null;
  promotionChannel: string | null;
  kind: string;
}

/** The customer fields path building needs. */
export interface PathCustomer {
  id: string;
  acquiredAt: Date;
}

/** Paths and what could not be attributed. */
export interface BuiltPaths {
  paths: ConversionPath[];
  /** Customer id of each converting path, in path order (for audits and tests). */
  customerIds: string[];
  /** Customers with touchpoints but no creditable touch before their conversion. */
  unattributedCustomers: number;
}

const MARKETING_KINDS = new Set(['click', 'view']);

function keyOf(t: PathTouchpoint, by: AttributionKey): string | null {
  return by === 'campaign' ? t.campaignId : t.promotionChannel;
}

const byTime = (a: PathTouchpoint, b: PathTouchpoint): number => a.occurredAt.getTime() - b.occurredAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function touchesOf(rows: readonly PathTouchpoint[], by: AttributionKey, until: number): { channelId: string; at: number }[] {
  const before = rows.filter((t) => t.occurredAt.getTime() <= until && keyOf(t, by) !== null).sort(byTime);
  const marketing = before.filter((t) => MARKETING_KINDS.has(t.kind));
  const chosen = marketing.length > 0 ? marketing : before.filter((t) => t.kind === 'signup');
  return chosen.map((t) => ({ channelId: keyOf(t, by)!, at: t.occurredAt.getTime() }));
}

function groupBy<T>(rows: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r); else out.set(k, [r]);
  }
  return out;
}

/** Each visitor's customer, from the touches that name one (the earliest such touch wins). */
function stitchVisitors(touchpoints: readonly PathTouchpoint[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of [...touchpoints].filter((x) => x.customerId !== null).sort(byTime)) if (!out.has(t.visitorId)) out.set(t.visitorId, t.customerId!);
  return out;
}

/**
 * Builds the conversion paths of the module comment.
 * @param touchpoints every touch of the journeys that may convert or end in the window, including touches
 *   before `from` and after `to` (a visitor with a touch at or after `to` has not ended in the window)
 * @param revenueMicros ledger revenue per customer id in the window (absent = 0)
 * @param window the half-open window `[from, to)` a journey's conversion or end must fall in
 */
export function buildConversionPaths(
  touchpoints: readonly PathTouchpoint[],
  customers: readonly PathCustomer[],
  revenueMicros: ReadonlyMap<string, number>,
  by: AttributionKey,
  window: { from: Date; to: Date },
): BuiltPaths {
  const acquired = new Map(customers.map((c) => [c.id, c.acquiredAt.getTime()]));
  const from = window.from.getTime();
  const to = window.to.getTime();
  const inWindow = (at: number): boolean => at >= from && at < to;
  const visitorCustomer = stitchVisitors(touchpoints);
  const customerOf = (t: PathTouchpoint): string | null => t.customerId ?? visitorCustomer.get(t.visitorId) ?? null;
  const paths: ConversionPath[] = [];
  const customerIds: string[] = [];
  let unattributedCustomers = 0;
  const identified = touchpoints.filter((t) => customerOf(t) !== null);
  for (const [customerId, rows] of groupBy(identified, (t) => customerOf(t)!)) {
    const signups = rows.filter((t) => t.kind === 'signup').map((t) => t.occurredAt.getTime());
    const convertedAt = signups.length > 0 ? Math.min(...signups) : acquired.get(customerId);
    if (convertedAt === undefined || !inWindow(convertedAt)) continue;
    const touches = touchesOf(rows, by, convertedAt);
    if (touches.length === 0) {
      unattributedCustomers += 1;
      continue;
    }
    paths.push({ touchpoints: touches, converted: true, revenueMicros: revenueMicros.get(customerId) ?? 0, convertedAt });
    customerIds.push(customerId);
  }
  const anonymous = touchpoints.filter((t) => customerOf(t) === null);
  for (const rows of groupBy(anonymous, (t) => t.visitorId).values()) {
    const endedAt = Math.max(...rows.map((t) => t.occurredAt.getTime()));
    if (!inWindow(endedAt)) continue;
    const touches = touchesOf(rows, by, endedAt);
    if (touches.length > 0) paths.push({ touchpoints: touches, converted: false, revenueMicros: 0 });
  }
  return { paths, customerIds, unattributedCustomers };
}
