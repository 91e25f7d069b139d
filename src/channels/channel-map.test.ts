import { describe, expect, it } from 'vitest';
import { buildChannelMap, type ChannelFlowRow, type ChannelForMap } from './channel-map.js';
import { parseMonth } from '../errors/index.js';
import { addMonths, monthEnd, monthOf } from '../shared/month.js';

const channel = (id: string, marginKind: string, marginBps: number): ChannelForMap => ({ id, name: id, type: 'reseller', status: 'active', ownerPartnerId: null, defaultPlanId: null, marginKind, marginBps });
const flow = (channelId: string | null, revenueMicros: number, costMicros = 0): ChannelFlowRow => ({ channelId, customers: 1, customersAcquired: 1, activeKeys: 1, activeCustomers: 1, requests: 1, tokens: 10, revenueMicros, costMicros });

describe('buildChannelMap', () => {
  it('lists every channel, idle ones too, with the margin it keeps and its share of revenue', () => {
    const map = buildChannelMap(new Date('2026-03-01T00:00:00Z'), new Date('2026-04-01T00:00:00Z'), [channel('a', 'wholesale_discount', 2_500), channel('b', 'none', 0), channel('c', 'revenue_share', 1_000)], [flow('a', 3_000_003, 1_000), flow(null, 1_000_000)]);
    expect(map.entries.map((e) => [e.channel?.id ?? null, e.revenueMicros, e.marginMicros, e.netMicros, e.revenueShareOfTotalBps])).toEqual([
      ['a', 3_000_003, 750_000, 2_249_003, 7_500],
      ['b', 0, 0, 0, 0],
      ['c', 0, 0, 0, 0],
      [null, 1_000_000, 0, 1_000_000, 2_499],
    ]);
    expect(map.totals).toMatchObject({ revenueMicros: 4_000_003, marginMicros: 750_000, requests: 2 });
  });
});

describe('months', () => {
  it('parses, steps across years and bounds a month in UTC', () => {
    expect(parseMonth('2026-12')).toBe('2026-12');
    expect(() => parseMonth('2026-13')).toThrow(/YYYY-MM/);
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 2)).toBe('2026-02');
    expect(monthEnd('2026-02').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(monthOf(new Date('2026-02-28T23:59:59.999Z'))).toBe('2026-02');
  });
});
