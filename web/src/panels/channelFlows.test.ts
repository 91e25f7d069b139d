import { describe, expect, it } from 'vitest';
import { channelFlows, type FlowLabels } from './channelFlows.js';

const labels: FlowLabels = { noChannel: 'direct', channelMargin: 'margin', costToServe: 'cost', net: 'net', typeOf: (t) => `type ${t}` };

describe('channelFlows', () => {
  it('splits each channel’s revenue into margin, cost to serve and net, in currency units, without zero flows', () => {
    const entries = [
      { channel: { id: 'c1', name: 'Reseller East', type: 'reseller' }, revenueMicros: 10_000_000, marginMicros: 2_000_000, costMicros: 3_000_000 },
      { channel: { id: 'c2', name: 'Idle', type: 'referral' }, revenueMicros: 0, marginMicros: 0, costMicros: 0 },
      { channel: null, revenueMicros: 1_000_000, marginMicros: 0, costMicros: 1_500_000 },
    ];
    expect(channelFlows(entries, labels)).toEqual([
      { source: 'type reseller', target: 'Reseller East', value: 10 },
      { source: 'Reseller East', target: 'margin', value: 2 },
      { source: 'Reseller East', target: 'cost', value: 3 },
      { source: 'Reseller East', target: 'net', value: 5 },
      { source: 'type —', target: 'direct', value: 1 },
      // Cost above revenue: the drawn cost is capped at the revenue and no negative net is drawn.
      { source: 'direct', target: 'cost', value: 1 },
    ]);
  });

  it('draws nothing for an empty map', () => {
    expect(channelFlows([], labels)).toEqual([]);
  });
});
