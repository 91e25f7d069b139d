import type { ChannelMapEntryView } from '../../../src/shared/contract/channels.js';
import type { Flow } from '../charts/SankeyChart.js';
import { fromMicros } from '../money.js';

/** Names of the Sankey's fixed sinks and of traffic that came through no channel, in the current language. */
export interface FlowLabels {
  noChannel: string;
  channelMargin: string;
  costToServe: string;
  net: string;
  typeOf: (type: string) => string;
}

/** What the flows read of a channel-map entry (GET /api/channels/map). */
export type FlowEntry = Pick<ChannelMapEntryView, 'revenueMicros' | 'marginMicros' | 'costMicros'> & { channel: { name: string; type: string } | null };

/**
 * Revenue flow of the channel map (GET /api/channels/map): channel type → channel (revenue), then each
 * channel's revenue splits into the margin the channel keeps, our cost to serve and what is left. Money in
 * currency units; flows of zero (or a negative remainder) are left out, as a Sankey cannot draw them.
 */
export function channelFlows(entries: readonly FlowEntry[], labels: FlowLabels): Flow[] {
  const flows: Flow[] = [];
  for (const e of entries) {
    const name = e.channel ? e.channel.name : labels.noChannel;
    const type = labels.typeOf(e.channel ? e.channel.type : '—');
    const revenue = e.revenueMicros;
    const margin = e.marginMicros;
    const cost = e.costMicros;
    flows.push({ source: type, target: name, value: fromMicros(revenue) });
    flows.push({ source: name, target: labels.channelMargin, value: fromMicros(margin) });
    flows.push({ source: name, target: labels.costToServe, value: fromMicros(Math.min(cost, revenue - margin)) });
    flows.push({ source: name, target: labels.net, value: fromMicros(revenue - margin - cost) });
  }
  return flows.filter((f) => f.value > 0);
}
