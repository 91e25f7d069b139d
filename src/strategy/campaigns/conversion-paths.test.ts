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

  it('a journey belongs to the window in which it converts or ends: a January conversion is not in February–April', () => {
    // Window 1 Feb – 1 May (t0 = 1 Feb). Day −20 is 12 January, day 95 is 7 May.
    const spring = { from: new Date(t0), to: new Date(t0 + 89 * DAY) };
    const rows = [
      tp('jan', 'cJan', -25, 'click', 'search_ads'), tp('jan', 'cJan', -20, 'signup', null), // converted in January
      tp('late', 'cFeb', -10, 'view', 'social'), tp('late', 'cFeb', 5, 'click', 'events'), tp('late', 'cFeb', 6, 'signup', null), // converts in window
      tp('gone', null, -15, 'click', 'social'), // ended in January
      tp('back', null, -5, 'view', 'content'), tp('back', null, 10, 'click', 'search_ads'), // ends in window
      tp('open', null, 40, 'click', 'social'), tp('open', null, 95, 'click', 'events'), // still going after the window
    ];
    const built = buildConversionPaths(rows, [{ id: 'cJan', acquiredAt: new Date(t0 - 20 * DAY) }, { id: 'cFeb', acquiredAt: new Date(t0 + 6 * DAY) }], new Map([['cFeb', 900]]), 'promotionChannel', spring);
    expect(built.customerIds).toEqual(['cFeb']);
    // Both journeys bring their touches from before the window; 1 conversion of 2 journeys, not 2 of 2.
    expect(built.paths).toEqual([
      { touchpoints: [{ channelId: 'social', at: t0 - 10 * DAY }, { channelId: 'events', at: t0 + 5 * DAY }], converted: true, revenueMicros: 900, convertedAt: t0 + 6 * DAY },
      { touchpoints: [{ channelId: 'content', at: t0 - 5 * DAY }, { channelId: 'search_ads', at: t0 + 10 * DAY }], converted: false, revenueMicros: 0 },
    ]);
    // January's window holds January's conversion and the visitor who left in January.
    const january = buildConversionPaths(rows, [{ id: 'cJan', acquiredAt: new Date(t0 - 20 * DAY) }], new Map(), 'promotionChannel', { from: new Date(t0 - 31 * DAY), to: new Date(t0) });
    expect(january.customerIds).toEqual(['cJan']);
    expect(january.paths.filter((p) => !p.converted).map((p) => p.touchpoints.map((t) => t.channelId))).toEqual([['social']]);
  });

  it("a visitor's anonymous touches before its signup are the converting journey, not a second, non-converting one", () => {
    const rows = [tp('v7', null, 1, 'view', 'social'), tp('v7', null, 3, 'click', 'content'), tp('v7', 'c7', 4, 'signup', 'search_ads')];
    const built = buildConversionPaths(rows, [{ id: 'c7', acquiredAt: new Date(t0 + 4 * DAY) }], new Map(), 'promotionChannel', window);
    expect(built.paths).toEqual([{ touchpoints: [{ channelId: 'social', at: t0 + DAY }, { channelId: 'content', at: t0 + 3 * DAY }], converted: true, revenueMicros: 0, convertedAt: t0 + 4 * DAY }]);
  });
});
