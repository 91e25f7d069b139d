import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, defined, integerFlag, stringFlag } from './admin-api.js';
import { callApi, jsonObjectFlag, pathArg, printList, printRow, type ApiRow } from './partner-api.js';

const columns = ['id', 'name', 'rank', 'requirements', 'benefits'];
const tierFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  rank: { type: 'string', doc: 'Rank; higher is a better tier.', placeholder: 'N' },
  requirements: { type: 'string', doc: 'JSON, e.g. {"minMonthlyRevenueMicros":10000000000,"minCertifiedStaff":2}.', placeholder: 'JSON' },
  benefits: { type: 'string', doc: 'JSON, e.g. {"revenueShareBps":2000,"coMarketingFundsMicros":5000000000}.', placeholder: 'JSON' },
};

function tierFields(flags: FlagValues): ApiRow {
  return defined({ rank: integerFlag(flags, 'rank') ?? undefined, requirements: jsonObjectFlag(flags, 'requirements'), benefits: jsonObjectFlag(flags, 'benefits') });
}

const tierArg = [{ name: 'tier', doc: 'Tier id.' }];

const commands: Command[] = [
  {
    name: 'list',
    summary: 'List tiers, lowest rank first.',
    flags: adminApiFlags,
    async run(ctx) {
      printList(ctx, await callApi(ctx, 'GET', '/api/tiers'), columns);
    },
  },
  {
    name: 'create',
    summary: 'Create a tier.',
    args: [{ name: 'name', doc: 'Tier name (unique).' }],
    flags: tierFlags,
    async run(ctx) {
      printRow(ctx, await callApi<ApiRow>(ctx, 'POST', '/api/tiers', { name: ctx.positionals[0], ...tierFields(ctx.flags) }), columns);
    },
  },
  {
    name: 'show',
    summary: 'Show a tier.',
    args: tierArg,
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi<ApiRow>(ctx, 'GET', `/api/tiers/${pathArg(ctx)}`), columns);
    },
  },
  {
    name: 'update',
    summary: 'Change a tier.',
    args: tierArg,
    flags: { ...tierFlags, name: { type: 'string', doc: 'New name.' } },
    async run(ctx) {
      const body = { ...tierFields(ctx.flags), ...defined({ name: stringFlag(ctx.flags, 'name') }) };
      printRow(ctx, await callApi<ApiRow>(ctx, 'PATCH', `/api/tiers/${pathArg(ctx)}`, body), columns);
    },
  },
  {
    name: 'delete',
    summary: 'Delete a tier no partner holds.',
    args: tierArg,
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, 'DELETE', `/api/tiers/${pathArg(ctx)}`);
      ctx.out(`tier ${ctx.positionals[0]} deleted`);
    },
  },
];

/** `qudao tiers ...`: partner tiers as data, through the running server's /api. */
export const tiersCommand: CommandGroup = { name: 'tiers', summary: 'Partner tiers: requirements and benefits.', commands };
