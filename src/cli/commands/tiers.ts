import { tierRoutes } from '../../shared/contract/partners.js';
import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, callApi, defined, integerFlag, stringFlag } from './admin-api.js';
import { idArg, jsonObjectFlag, printList, printRow, type ApiRow, type BodyOf } from './partner-api.js';

const columns = ['id', 'name', 'rank', 'requirements', 'benefits'];
const tierFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  rank: { type: 'string', doc: 'Rank; higher is a better tier.', placeholder: 'N' },
  requirements: { type: 'string', doc: 'JSON, e.g. {"minMonthlyRevenueMicros":10000000000,"minCertifiedStaff":2}.', placeholder: 'JSON' },
  benefits: { type: 'string', doc: 'JSON, e.g. {"revenueShareBps":2000,"coMarketingFundsMicros":5000000000}.', placeholder: 'JSON' },
};

/** The tier flags given; the server checks them against the tier schema (an unknown key is refused, naming it). */
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
      printList(ctx, await callApi(ctx, tierRoutes.list), columns);
    },
  },
  {
    name: 'create',
    summary: 'Create a tier.',
    args: [{ name: 'name', doc: 'Tier name (unique).' }],
    flags: tierFlags,
    async run(ctx) {
      const body = { name: ctx.positionals[0], ...tierFields(ctx.flags) } as BodyOf<typeof tierRoutes.create>;
      printRow(ctx, await callApi(ctx, tierRoutes.create, { body }), columns);
    },
  },
  {
    name: 'show',
    summary: 'Show a tier.',
    args: tierArg,
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, tierRoutes.get, { params: idArg(ctx) }), columns);
    },
  },
  {
    name: 'update',
    summary: 'Change a tier.',
    args: tierArg,
    flags: { ...tierFlags, name: { type: 'string', doc: 'New name.' } },
    async run(ctx) {
      const body = { ...tierFields(ctx.flags), ...defined({ name: stringFlag(ctx.flags, 'name') }) } as BodyOf<typeof tierRoutes.update>;
      printRow(ctx, await callApi(ctx, tierRoutes.update, { params: idArg(ctx), body }), columns);
    },
  },
  {
    name: 'delete',
    summary: 'Delete a tier no partner holds.',
    args: tierArg,
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, tierRoutes.remove, { params: idArg(ctx) });
      ctx.out(`tier ${ctx.positionals[0]} deleted`);
    },
  },
];

/** `qudao tiers ...`: partner tiers as data, through the running server's /api. */
export const tiersCommand: CommandGroup = { name: 'tiers', summary: 'Partner tiers: requirements and benefits.', commands };
