import type { Command } from '../command.js';
import { campaignRoutes, type AttributionKey } from '../../shared/contract/strategy/campaigns.js';
import { callApi, printRows } from './admin-api.js';
import { enumFlag, numberFlag, windowFlags, windowQuery } from './strategy-flags.js';

/** `qudao attribution`: revenue credited to each promotion channel (or campaign) by the six models, side by side. */
export const attributionCommand: Command = {
  name: 'attribution',
  summary: 'Attribute customers and their ledger revenue: first, last, linear, time-decay, position-based, Markov.',
  flags: {
    ...windowFlags,
    by: { type: 'string', doc: 'promotionChannel (default) or campaign.', placeholder: 'KEY' },
    'half-life': { type: 'string', doc: 'Time-decay half-life in days (default 7).', placeholder: 'DAYS' },
  },
  async run(ctx) {
    const res = await callApi(ctx, campaignRoutes.attribution, { query: { ...windowQuery(ctx.flags), by: enumFlag<AttributionKey>(ctx.flags, 'by'), halfLifeDays: numberFlag(ctx.flags, 'half-life') } });
    const rows = res.channels.map((c) => ({
      channel: res.labels[c] ?? c,
      ...Object.fromEntries(res.models.map((m) => [m.model, m.credits.find((x) => x.channelId === c)?.revenueMicros ?? 0])),
    }));
    printRows(ctx, res, rows, ['channel', ...res.models.map((m) => m.model)]);
    if (!ctx.flags.json) ctx.out(`${res.totalConversions} conversions, ${res.totalRevenueMicros} micro-units of revenue`);
  },
};
