import { listFrom } from '../api/client.js';
import { num, text, type Row } from '../api/records.js';
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

/**
 * Revenue flow of the channel map (GET /api/channels/map): channel type → channel (revenue), then each
 * channel's revenue splits into the margin the channel keeps, our cost to serve and what is left. Money in
 * currency units; flows of zero (or a negative remainder) are left out, as a Sankey cannot draw them.
 */
export function channelFlows(map: unknown, labels: FlowLabels): Flow[] {
  const entries = listFrom<Row>((map as Row | null)?.entries ?? []);
  const flows: Flow[] = [];
  for (const e of entries) {
    const channel = (e.channel ?? null) as Row | null;
    const name = channel ? text(channel, 'name') : labels.noChannel;
    const type = labels.typeOf(channel ? text(channel, 'type') : '—');
    const revenue = num(e, 'revenueMicros') ?? 0;
    const margin = num(e, 'marginMicros') ?? 0;
    const cost = num(e, 'costMicros') ?? 0;
    flows.push({ source: type, target: name, value: fromMicros(revenue) });
    flows.push({ source: name, target: labels.channelMargin, value: fromMicros(margin) });
    flows.push({ source: name, target: labels.costToServe, value: fromMicros(Math.min(cost, revenue - margin)) });
    flows.push({ source: name, target: labels.net, value: fromMicros(revenue - margin - cost) });
  }
  return flows.filter((f) => f.value > 0);
}
