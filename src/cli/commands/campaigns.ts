import { UsageError, type Command, type CommandGroup } from '../command.js';
import { campaignRoutes } from '../../shared/contract/strategy/campaigns.js';
import { adminApiFlags, callApi, integerFlag, printRows, stringFlag } from './admin-api.js';
import { listFlag, windowFlags, windowQuery } from './strategy-flags.js';
const columns = ['id', 'name', 'goal', 'promotionChannels', 'budgetMicros', 'startsAt', 'endsAt', 'status'];

const createCampaign: Command = {
  name: 'create',
  summary: 'Plan a campaign: goal, target segment, promotion channels, budget, dates.',
  args: [{ name: 'name', doc: 'Campaign name (unique).' }],
  flags: {
    ...adminApiFlags,
    goal: { type: 'string', doc: 'What the campaign is for.', placeholder: 'TEXT' },
    segment: { type: 'string', doc: 'Target segment id.', placeholder: 'ID' },
    channel: { type: 'string', multiple: true, doc: 'Promotion channel (search_ads, social, content, events, community, marketplace, co_marketing).', placeholder: 'ID' },
    budget: { type: 'string', doc: 'Budget, micro-units.', placeholder: 'MICROS' },
    starts: { type: 'string', doc: 'Start, ISO-8601 (default now).', placeholder: 'TIME' },
    ends: { type: 'string', doc: 'End, ISO-8601.', placeholder: 'TIME' },
  },
  async run(ctx) {
    const goal = stringFlag(ctx.flags, 'goal');
    if (!goal) throw new UsageError('missing --goal TEXT');
    const body = {
      name: ctx.positionals[0]!, goal, segmentId: stringFlag(ctx.flags, 'segment'), promotionChannels: listFlag(ctx.flags, 'channel'),
      budgetMicros: integerFlag(ctx.flags, 'budget') ?? undefined, startsAt: stringFlag(ctx.flags, 'starts') ?? new Date().toISOString(), endsAt: stringFlag(ctx.flags, 'ends'),
    };
    const row = await callApi(ctx, campaignRoutes.createCampaign, { body });
    printRows(ctx, row, [row], columns);
  },
};

const listCampaigns: Command = {
  name: 'list',
  summary: 'List campaigns.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, campaignRoutes.listCampaigns);
    printRows(ctx, res, res.data, columns);
  },
};

const recordSpend: Command = {
  name: 'spend',
  summary: 'Record money spent on a promotion channel (optionally for a campaign).',
  flags: {
    ...adminApiFlags,
    channel: { type: 'string', doc: 'Promotion channel.', placeholder: 'ID' },
    amount: { type: 'string', doc: 'Amount, micro-units (≥ 0).', placeholder: 'MICROS' },
    on: { type: 'string', doc: 'When, ISO-8601 (default now).', placeholder: 'TIME' },
    campaign: { type: 'string', doc: 'Campaign id.', placeholder: 'ID' },
  },
  async run(ctx) {
    // Missing --channel or --amount is sent as absent; the server names the field (QD_INVALID_REQUEST).
    const row = await callApi(ctx, campaignRoutes.recordSpend, {
      body: {
        promotionChannel: stringFlag(ctx.flags, 'channel')!, amountMicros: (integerFlag(ctx.flags, 'amount') ?? undefined)!,
        spentOn: stringFlag(ctx.flags, 'on') ?? new Date().toISOString(), campaignId: stringFlag(ctx.flags, 'campaign'),
      },
    });
    printRows(ctx, row, [row], ['id', 'promotionChannel', 'amountMicros', 'spentOn', 'campaignId']);
  },
};

const listSpend: Command = {
  name: 'spending',
  summary: 'List spend rows in a window.',
  flags: windowFlags,
  async run(ctx) {
    const res = await callApi(ctx, campaignRoutes.listSpend, { query: windowQuery(ctx.flags) });
    printRows(ctx, res, res.data, ['spentOn', 'promotionChannel', 'amountMicros', 'campaignId', 'note']);
  },
};

/** `qudao campaigns create|list|spend|spending` (through the running server's /api). */
export const campaignsCommand: CommandGroup = { name: 'campaigns', summary: 'Campaign planning and spend (营销活动策划).', commands: [createCampaign, listCampaigns, recordSpend, listSpend] };
