import { channelRoutes as api, channelStatuses, marginKinds, type CreateChannelInput } from '../../shared/contract/channels.js';
import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, callApi, defined, enumFlag, integerFlag, printRows, stringFlag } from './admin-api.js';
import { jsonObjectFlag, monthFlag, printList, printRow } from './partner-api.js';
import { requiredFlag } from './pipeline-run.js';

const columns = ['id', 'name', 'type', 'ownerPartnerId', 'defaultPlanId', 'marginKind', 'marginBps', 'status'];

const channelFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  type: { type: 'string', doc: 'Channel type id (see npx qudao channels types).', placeholder: 'TYPE' },
  owner: { type: 'string', doc: 'Owner partner id (none = no owner).', placeholder: 'PARTNER' },
  plan: { type: 'string', doc: 'Default price plan id (none = no default).', placeholder: 'PLAN' },
  'margin-kind': { type: 'string', doc: 'none, wholesale_discount or revenue_share (default: the type\'s).', placeholder: 'KIND' },
  'margin-bps': { type: 'string', doc: 'Margin the channel keeps, basis points (2500 = 25 %).', placeholder: 'BPS' },
  meta: { type: 'string', doc: 'Free-form JSON object of notes.', placeholder: 'JSON' },
};

const nullable = (v: string | undefined) => (v === 'none' ? null : v);

/** The channel fields the flags set (those left out are not sent). */
function channelFields(flags: FlagValues): Omit<Partial<CreateChannelInput>, 'name'> {
  return defined({
    type: stringFlag(flags, 'type'),
    ownerPartnerId: nullable(stringFlag(flags, 'owner')),
    defaultPlanId: nullable(stringFlag(flags, 'plan')),
    marginKind: enumFlag(flags, 'margin-kind', marginKinds),
    marginBps: integerFlag(flags, 'margin-bps') ?? undefined,
    meta: jsonObjectFlag(flags, 'meta'),
  });
}

const id = (ctx: { positionals: readonly string[] }) => ({ id: ctx.positionals[0]! });

const commands: Command[] = [
  {
    name: 'types',
    summary: 'List channel types.',
    flags: adminApiFlags,
    async run(ctx) {
      printList(ctx, await callApi(ctx, api.listTypes), ['id', 'name', 'defaultMarginKind', 'description']);
    },
  },
  {
    name: 'type-add',
    summary: 'Add a channel type.',
    args: [{ name: 'id', doc: 'Type id, e.g. edu_program.' }],
    flags: { ...adminApiFlags, name: { type: 'string', doc: 'Display name (required).' }, description: { type: 'string', doc: 'What the type means.' }, 'margin-kind': channelFlags['margin-kind']! },
    async run(ctx) {
      const body = {
        id: ctx.positionals[0]!,
        name: requiredFlag(ctx.flags, 'name', 'the display name'),
        ...defined({ description: stringFlag(ctx.flags, 'description'), defaultMarginKind: enumFlag(ctx.flags, 'margin-kind', marginKinds) }),
      };
      printRow(ctx, await callApi(ctx, api.createType, { body }), ['id', 'name', 'defaultMarginKind']);
    },
  },
  {
    name: 'type-remove',
    summary: 'Remove a channel type no channel uses.',
    args: [{ name: 'id', doc: 'Type id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, api.removeType, { params: id(ctx) });
      ctx.out(`channel type ${ctx.positionals[0]} removed`);
    },
  },
  {
    name: 'list',
    summary: 'List channels.',
    flags: { ...adminApiFlags, status: { type: 'string', doc: 'active, paused or archived.' }, type: channelFlags.type!, owner: channelFlags.owner! },
    async run(ctx) {
      const query = { status: enumFlag(ctx.flags, 'status', channelStatuses), type: stringFlag(ctx.flags, 'type'), ownerPartnerId: stringFlag(ctx.flags, 'owner') };
      printList(ctx, await callApi(ctx, api.list, { query }), columns);
    },
  },
  {
    name: 'create',
    summary: 'Create a channel.',
    args: [{ name: 'name', doc: 'Channel name (unique).' }],
    flags: channelFlags,
    async run(ctx) {
      const body = { ...channelFields(ctx.flags), name: ctx.positionals[0]!, type: requiredFlag(ctx.flags, 'type', 'the channel type id (see npx qudao channels types)') };
      printRow(ctx, await callApi(ctx, api.create, { body }), columns);
    },
  },
  {
    name: 'show',
    summary: 'Show a channel.',
    args: [{ name: 'channel', doc: 'Channel id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, api.get, { params: id(ctx) }), columns);
    },
  },
  {
    name: 'update',
    summary: 'Change a channel.',
    args: [{ name: 'channel', doc: 'Channel id.' }],
    flags: { ...channelFlags, name: { type: 'string', doc: 'New name.' }, status: { type: 'string', doc: 'active or paused.' } },
    async run(ctx) {
      const body = { ...channelFields(ctx.flags), ...defined({ name: stringFlag(ctx.flags, 'name'), status: enumFlag(ctx.flags, 'status', ['active', 'paused']) }) };
      printRow(ctx, await callApi(ctx, api.update, { params: id(ctx), body }), columns);
    },
  },
  {
    name: 'archive',
    summary: 'Archive a channel (keeps its history; no new keys).',
    args: [{ name: 'channel', doc: 'Channel id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, api.archive, { params: id(ctx) }), columns);
    },
  },
  {
    name: 'delete',
    summary: 'Delete a channel nothing refers to (else archive it).',
    args: [{ name: 'channel', doc: 'Channel id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, api.remove, { params: id(ctx) });
      ctx.out(`channel ${ctx.positionals[0]} deleted`);
    },
  },
  {
    name: 'map',
    summary: 'The channel map: customers, keys, traffic, revenue and margin per channel.',
    flags: { ...adminApiFlags, month: { type: 'string', doc: 'Month YYYY-MM (default: this month).', placeholder: 'YYYY-MM' } },
    async run(ctx) {
      const map = await callApi(ctx, api.map, { query: { month: monthFlag(ctx.flags) } });
      const rows = map.entries.map((e) => ({ ...e, channel: e.channel?.name ?? '(no channel)', type: e.channel?.type ?? '-' }));
      printRows(ctx, map, rows, ['channel', 'type', 'customers', 'activeKeys', 'requests', 'tokens', 'revenueMicros', 'marginMicros', 'netMicros']);
    },
  },
];

/** `qudao channels ...`: channel design through the running server's /api. */
export const channelsCommand: CommandGroup = { name: 'channels', summary: 'Channel types, channels and the channel map.', commands };
