/** Ledger and CRM totals of one channel over a period, as the repository aggregates them. */
export interface ChannelFlowRow {
  channelId: string | null;
  customers: number;
  customersAcquired: number;
  activeKeys: number;
  activeCustomers: number;
  requests: number;
  tokens: number;
  revenueMicros: number;
  costMicros: number;
}

/** The channel facts the map shows beside the flows. */
export interface ChannelForMap {
  id: string;
  name: string;
  type: string;
  status: string;
  ownerPartnerId: string | null;
  defaultPlanId: string | null;
  marginKind: string;
  marginBps: number;
}

/** One node of the channel map: who and what flows through the channel, and what it keeps. */
export interface ChannelMapEntry extends ChannelFlowRow {
  channel: ChannelForMap | null;
  /** The channel's margin on its revenue: ⌊revenue × margin bps / 10,000⌋. */
  marginMicros: number;
  /** Revenue after the channel's margin and our cost to serve. */
  netMicros: number;
  /** This channel's share of all revenue in the period, in basis points (rounded down). */
  revenueShareOfTotalBps: number | null;
}

/** The channel map of a period: one entry per channel, plus traffic that came through no channel. */
export interface ChannelMap {
  from: string;
  to: string;
  entries: ChannelMapEntry[];
  totals: { customers: number; activeKeys: number; requests: number; tokens: number; revenueMicros: number; marginMicros: number };
}

const empty = (channelId: string | null): ChannelFlowRow => ({ channelId, customers: 0, customersAcquired: 0, activeKeys: 0, activeCustomers: 0, requests: 0, tokens: 0, revenueMicros: 0, costMicros: 0 });

/**
 * Builds the channel map from channels and their aggregated flows: every channel appears (even idle ones),
 * flows with no channel form the last entry, and each entry carries the margin the channel keeps.
 */
export function buildChannelMap(from: Date, to: Date, channels: readonly ChannelForMap[], flows: readonly ChannelFlowRow[]): ChannelMap {
  const byId = new Map(flows.map((f) => [f.channelId, f]));
  const totalRevenue = flows.reduce((s, f) => s + f.revenueMicros, 0);
  const entry = (channel: ChannelForMap | null, flow: ChannelFlowRow): ChannelMapEntry => {
    const marginMicros = channel && channel.marginKind !== 'none' ? Number((BigInt(flow.revenueMicros) * BigInt(channel.marginBps)) / 10_000n) : 0;
    return {
      ...flow,
      channel,
      marginMicros,
      netMicros: flow.revenueMicros - marginMicros - flow.costMicros,
      revenueShareOfTotalBps: totalRevenue > 0 ? Number((BigInt(flow.revenueMicros) * 10_000n) / BigInt(totalRevenue)) : null,
    };
  };
  const entries = channels.map((c) => entry(c, byId.get(c.id) ?? empty(c.id)));
  const direct = byId.get(null);
  if (direct && (direct.requests > 0 || direct.customers > 0)) entries.push(entry(null, direct));
  const totals = { customers: 0, activeKeys: 0, requests: 0, tokens: 0, revenueMicros: 0, marginMicros: 0 };
  for (const e of entries) {
    totals.customers += e.customers;
    totals.activeKeys += e.activeKeys;
    totals.requests += e.requests;
    totals.tokens += e.tokens;
    totals.revenueMicros += e.revenueMicros;
    totals.marginMicros += e.marginMicros;
  }
  return { from: from.toISOString(), to: to.toISOString(), entries, totals };
}
