import { describe, expect, it } from 'vitest';
import { buildConversionPaths, type PathTouchpoint } from './conversion-paths.js';

const DAY = 86_400_000;
const t0 = Date.parse('2026-02-01T00:00:00Z');
let seq = 0;
const tp = (visitorId: string, customerId: string | null, day: number, kind: string, promotionChannel: string | null, campaignId: string | null = null): PathTouchpoint => ({
  id: `tp_${String(++seq).padStart(3, '0')}`, visitorId, customerId, occurredAt: new Date(t0 + day * DAY), campaignId, promotionChannel, kind,
});
const window = { from: new Date(t0), to: new Date(t0 + 30 * DAY) };

describe('buildConversionPaths', () => {
  it('orders touches by time, ends them at the signup, and values the path at the customer revenue', () => {
    const rows = [tp('v1', 'c1', 3, 'click', 'social'), tp('v1', 'c1', 1, 'click', 'search_ads'), tp('v1', 'c1', 4, 'signup', null), tp('v1', 'c1', 9, 'click', 'events')];
    const built = buildConversionPaths(rows, [{ id: 'c1', acquiredAt: new Date(t0 + 20 * DAY) }], new Map([['c1', 70]]), 'promotionChannel', window);
    expect(built.paths).toEqual([{ touchpoints: [{ channelId: 'search_ads', at: t0 + DAY }, { channelId: 'social', at: t0 + 3 * DAY }], converted: true, revenueMicros: 70, convertedAt: t0 + 4 * DAY }]);
  });

  it('falls back to acquired_at without a signup touchpoint, and to a keyed signup without marketing touches', () => {
    const rows = [tp('v2', 'c2', 2, 'click', 'content'), tp('v2', 'c2', 8, 'click', 'social'), tp('v3', 'c3', 5, 'signup', 'co_marketing')];
    const built = buildConversionPaths(rows, [{ id: 'c2', acquiredAt: new Date(t0 + 5 * DAY) }, { id: 'c3', acquiredAt: new Date(t0 + 5 * DAY) }], new Map(), 'promotionChannel', window);
    expect(built.paths.map((p) => p.touchpoints.map((t) => t.channelId))).toEqual([['content'], ['co_marketing']]);
    expect(built.paths.every((p) => p.converted && p.revenueMicros === 0)).toBe(true);
  });

  it('keeps anonymous visitors inside the window as non-converting paths and counts unattributable customers', () => {
    const rows = [tp('v4', null, -3, 'click', 'social'), tp('v5', null, 2, 'view', 'social'), tp('v5', null, 3, 'click', 'events'), tp('v6', 'c6', 1, 'click', null, 'cmp_1')];
    const built = buildConversionPaths(rows, [{ id: 'c6', acquiredAt: new Date(t0 + 2 * DAY) }], new Map(), 'promotionChannel', window);
    expect(built.paths).toEqual([{ touchpoints: [{ channelId: 'social', at: t0 + 2 * DAY }, { channelId: 'events', at: t0 + 3 * DAY }], converted: false, revenueMicros: 0 }]);
    expect(built.unattributedCustomers).toBe(1);
    const byCampaign = buildConversionPaths(rows, [{ id: 'c6', acquiredAt: new Date(t0 + 2 * DAY) }], new Map(), 'campaign', window);
    expect(byCampaign.customerIds).toEqual(['c6']);
  });
});
