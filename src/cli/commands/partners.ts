import { partnerRoutes, type ScorecardAnswer } from '../../shared/contract/partners.js';
import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, callApi, defined, integerFlag, printRows, stringFlag } from './admin-api.js';
import { idArg, monthFlag, printList, printRow, printTable, type ApiRow, type BodyOf, type QueryOf } from './partner-api.js';

const columns = ['id', 'name', 'type', 'region', 'segments', 'tierId', 'certifiedStaff', 'status'];
const monthFlagSpec: FlagSpec = { type: 'string', doc: 'Month YYYY-MM (default: this month).', placeholder: 'YYYY-MM' };

const partnerFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  type: { type: 'string', doc: 'Partner type, e.g. reseller, referral, system_integrator.', placeholder: 'TYPE' },
  region: { type: 'string', doc: 'Region, e.g. cn-east.', placeholder: 'REGION' },
  segment: { type: 'string', multiple: true, doc: 'A target segment.', placeholder: 'SEGMENT' },
  tier: { type: 'string', doc: 'Tier id (none = no tier).', placeholder: 'TIER' },
  'certified-staff': { type: 'string', doc: 'Staff certified on our models.', placeholder: 'N' },
};

/** The profile flags given; the server checks each value against the contract. */
function partnerFields(flags: FlagValues): ApiRow {
  const tier = stringFlag(flags, 'tier');
  return defined({
    type: stringFlag(flags, 'type'),
    region: stringFlag(flags, 'region'),
    segments: flags.segment as string[] | undefined,
    tierId: tier === 'none' ? null : tier,
    certifiedStaff: integerFlag(flags, 'certified-staff') ?? undefined,
  });
}

const partnerArg = [{ name: 'partner', doc: 'Partner id.' }];

const simple = (name: string, summary: string, contract: typeof partnerRoutes.get | typeof partnerRoutes.archive): Command => ({
  name,
  summary,
  args: partnerArg,
  flags: adminApiFlags,
  async run(ctx) {
    printRow(ctx, await callApi(ctx, contract, { params: idArg(ctx) }), columns);
  },
});

const onboarding: Command = {
  name: 'onboarding',
  summary: 'Show the onboarding checklist; tick, untick or add items.',
  args: partnerArg,
  flags: {
    ...adminApiFlags,
    tick: { type: 'string', doc: 'Mark a manual item done.', placeholder: 'ITEM' },
    untick: { type: 'string', doc: 'Mark a manual item not done.', placeholder: 'ITEM' },
    add: { type: 'string', doc: 'Add an item with this id (with --title).', placeholder: 'ITEM' },
    title: { type: 'string', doc: 'Title of the added item.' },
  },
  async run(ctx) {
    const tick = stringFlag(ctx.flags, 'tick') ?? stringFlag(ctx.flags, 'untick');
    const add = stringFlag(ctx.flags, 'add');
    const progress = tick
      ? await callApi(ctx, partnerRoutes.tickOnboarding, { params: { ...idArg(ctx), item: tick }, body: { done: Boolean(ctx.flags.tick) } })
      : add
        ? await callApi(ctx, partnerRoutes.addOnboardingItem, { params: idArg(ctx), body: { id: add, title: stringFlag(ctx.flags, 'title') } as BodyOf<typeof partnerRoutes.addOnboardingItem> })
        : await callApi(ctx, partnerRoutes.onboarding, { params: idArg(ctx) });
    printRows(ctx, progress, progress.items, ['id', 'title', 'done', 'auto', 'doneAt']);
    if (!ctx.flags.json) ctx.out(`${progress.percent}% done`);
  },
};

const users: Command = {
  name: 'users',
  summary: 'List a partner\'s portal users, or add one (--email, --password).',
  args: partnerArg,
  flags: { ...adminApiFlags, email: { type: 'string', doc: 'Add a user with this e-mail.' }, name: { type: 'string', doc: 'The new user\'s name.' }, password: { type: 'string', doc: 'The new user\'s password (12+ characters).' } },
  async run(ctx) {
    const email = stringFlag(ctx.flags, 'email');
    if (email) {
      const body = defined({ email, name: stringFlag(ctx.flags, 'name'), password: stringFlag(ctx.flags, 'password') }) as BodyOf<typeof partnerRoutes.createUser>;
      printRow(ctx, await callApi(ctx, partnerRoutes.createUser, { params: idArg(ctx), body }), ['id', 'email', 'name', 'status']);
      return;
    }
    printList(ctx, await callApi(ctx, partnerRoutes.users, { params: idArg(ctx) }), ['id', 'email', 'name', 'status', 'lastLoginAt']);
  },
};

const userDisable: Command = {
  name: 'user-disable',
  summary: 'Disable a portal user (ends their sessions).',
  args: [...partnerArg, { name: 'user', doc: 'User id.' }],
  flags: adminApiFlags,
  async run(ctx) {
    printRow(ctx, await callApi(ctx, partnerRoutes.updateUser, { params: { ...idArg(ctx), userId: ctx.positionals[1]! }, body: { status: 'disabled' } }), ['id', 'email', 'status']);
  },
};

const userRemove: Command = {
  name: 'user-remove',
  summary: 'Delete a portal user and their sessions.',
  args: [...partnerArg, { name: 'user', doc: 'User id.' }],
  flags: adminApiFlags,
  async run(ctx) {
    await callApi(ctx, partnerRoutes.removeUser, { params: { ...idArg(ctx), userId: ctx.positionals[1]! } });
    ctx.out(`portal user ${ctx.positionals[1]} deleted`);
  },
};

const cardRow = (c: ScorecardAnswer): ApiRow => ({ partner: c.partnerName, month: c.month, ...c.metrics, slaMet: c.sla.result.met, tier: c.tier.name, compliant: c.tier.compliant, recommendation: c.recommendation.action, reason: c.recommendation.reason });
const cardColumns = ['partner', 'month', 'customersSourced', 'activeCustomers', 'tokens', 'revenueMicros', 'revenueGrowthBps', 'retentionBps', 'errorRateBps', 'latencyP95Ms', 'slaMet', 'tier', 'recommendation', 'reason'];

const scorecard: Command = {
  name: 'scorecard',
  summary: 'A partner\'s scorecard and tier recommendation; without a partner, every partner\'s.',
  args: [{ name: 'partner', doc: 'Partner id.', optional: true }],
  flags: { ...adminApiFlags, month: monthFlagSpec },
  async run(ctx) {
    const query = { month: monthFlag(ctx.flags) };
    if (ctx.positionals[0]) {
      const card = await callApi(ctx, partnerRoutes.scorecard, { params: idArg(ctx), query });
      printTable(ctx, card, [cardRow(card)], cardColumns);
    } else {
      const all = await callApi(ctx, partnerRoutes.scorecards, { query });
      printTable(ctx, all, all.data.map(cardRow), cardColumns);
    }
  },
};

const commands: Command[] = [
  {
    name: 'list',
    summary: 'List partners.',
    flags: { ...adminApiFlags, status: { type: 'string', doc: 'active, paused or archived.' }, tier: partnerFlags.tier!, type: partnerFlags.type!, region: partnerFlags.region! },
    async run(ctx) {
      const query = { status: stringFlag(ctx.flags, 'status'), tierId: stringFlag(ctx.flags, 'tier'), type: stringFlag(ctx.flags, 'type'), region: stringFlag(ctx.flags, 'region') } as QueryOf<typeof partnerRoutes.list>;
      printList(ctx, await callApi(ctx, partnerRoutes.list, { query }), columns);
    },
  },
  {
    name: 'create',
    summary: 'Create a partner (starts its onboarding checklist).',
    args: [{ name: 'name', doc: 'Partner name (unique).' }],
    flags: partnerFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, partnerRoutes.create, { body: { name: ctx.positionals[0], ...partnerFields(ctx.flags) } as BodyOf<typeof partnerRoutes.create> }), columns);
    },
  },
  simple('show', 'Show a partner.', partnerRoutes.get),
  {
    name: 'update',
    summary: 'Change a partner\'s profile, tier or status.',
    args: partnerArg,
    flags: { ...partnerFlags, name: { type: 'string', doc: 'New name.' }, status: { type: 'string', doc: 'active or paused.' } },
    async run(ctx) {
      const body = { ...partnerFields(ctx.flags), ...defined({ name: stringFlag(ctx.flags, 'name'), status: stringFlag(ctx.flags, 'status') }) } as BodyOf<typeof partnerRoutes.update>;
      printRow(ctx, await callApi(ctx, partnerRoutes.update, { params: idArg(ctx), body }), columns);
    },
  },
  simple('archive', 'Archive a partner (keeps history; ends portal sessions).', partnerRoutes.archive),
  {
    name: 'delete',
    summary: 'Delete a partner nothing refers to (else archive it).',
    args: partnerArg,
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, partnerRoutes.remove, { params: idArg(ctx) });
      ctx.out(`partner ${ctx.positionals[0]} deleted`);
    },
  },
  onboarding,
  users,
  userDisable,
  userRemove,
  scorecard,
];

/** `qudao partners ...`: the partnership framework through the running server's /api. */
export const partnersCommand: CommandGroup = { name: 'partners', summary: 'Partners, onboarding, portal users and scorecards.', commands };
