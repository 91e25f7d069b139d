import type { Command, CommandGroup } from '../command.js';
import { campaignRoutes } from '../../shared/contract/strategy/campaigns.js';
import { adminApiFlags, callApi, printRows, stringFlag } from './admin-api.js';
const columns = ['id', 'code', 'targetUrl', 'campaignId', 'partnerId', 'promotionChannel', 'clicks', 'visitors', 'customers'];

const createLink: Command = {
  name: 'create',
  summary: 'Create a tracked link or referral code; /r/CODE records a click and redirects to the target.',
  args: [{ name: 'target', doc: 'Target URL (http or https).' }],
  flags: {
    ...adminApiFlags,
    code: { type: 'string', doc: 'The code (default: generated).', placeholder: 'CODE' },
    campaign: { type: 'string', doc: 'Campaign id.', placeholder: 'ID' },
    partner: { type: 'string', doc: 'Partner that owns the link (referrals).', placeholder: 'ID' },
    channel: { type: 'string', doc: 'Promotion channel (default: the campaign\'s, when it has one).', placeholder: 'ID' },
  },
  async run(ctx) {
    const row = await callApi(ctx, campaignRoutes.createLink, {
      body: {
        targetUrl: ctx.positionals[0]!, code: stringFlag(ctx.flags, 'code'), campaignId: stringFlag(ctx.flags, 'campaign'),
        partnerId: stringFlag(ctx.flags, 'partner'), promotionChannel: stringFlag(ctx.flags, 'channel'),
      },
    });
    printRows(ctx, row, [row], columns);
  },
};

const listLinks: Command = {
  name: 'list',
  summary: 'List tracked links with clicks, visitors and customers.',
  flags: { ...adminApiFlags, campaign: { type: 'string', doc: 'Only this campaign\'s.', placeholder: 'ID' }, partner: { type: 'string', doc: 'Only this partner\'s.', placeholder: 'ID' } },
  async run(ctx) {
    const res = await callApi(ctx, campaignRoutes.listLinks, { query: { campaignId: stringFlag(ctx.flags, 'campaign'), partnerId: stringFlag(ctx.flags, 'partner') } });
    printRows(ctx, res, res.data, columns);
  },
};

/** `qudao links create|list` (through the running server's /api). */
export const linksCommand: CommandGroup = { name: 'links', summary: 'Tracked links and referral codes.', commands: [createLink, listLinks] };
