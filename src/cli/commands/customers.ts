import { UsageError, type Command, type CommandGroup, type FlagSpec, type FlagValues } from '../command.js';
import { customerRoutes, customerStatuses, type UpdateCustomerInput } from '../../shared/contract/customers.js';
import { adminApiFlags, callApi, defined, enumFlag, integerFlag, stringFlag } from './admin-api.js';
import { idArg, jsonObjectFlag, printList, printRow } from './partner-api.js';

const columns = ['id', 'name', 'email', 'region', 'acquiredChannelId', 'acquiredPartnerId', 'acquiredCampaignId', 'status', 'erasedAt'];

const fieldFlags: Record<string, FlagSpec> = {
  email: { type: 'string', doc: 'Contact e-mail.', placeholder: 'EMAIL' },
  segment: { type: 'string', doc: 'Segment id.', placeholder: 'SEGMENT' },
  region: { type: 'string', doc: 'Region, e.g. cn or eu.', placeholder: 'REGION' },
  size: { type: 'string', doc: 'Company size, e.g. smb or enterprise.', placeholder: 'SIZE' },
  channel: { type: 'string', doc: 'Channel the customer was acquired through.', placeholder: 'CHANNEL' },
  partner: { type: 'string', doc: 'Partner that sourced the customer.', placeholder: 'PARTNER' },
  campaign: { type: 'string', doc: 'Campaign that acquired the customer.', placeholder: 'CAMPAIGN' },
  budget: { type: 'string', doc: 'Monthly spend budget in micro-units (none = no budget).', placeholder: 'MICROS' },
  quota: { type: 'string', doc: 'Monthly token quota overriding the plan (none = the plan\'s).', placeholder: 'TOKENS' },
  meta: { type: 'string', doc: 'Free-form JSON object of notes.', placeholder: 'JSON' },
};

function customerFields(flags: FlagValues): Omit<UpdateCustomerInput, 'name' | 'status'> {
  return defined({
    email: stringFlag(flags, 'email'),
    segmentId: stringFlag(flags, 'segment'),
    region: stringFlag(flags, 'region'),
    companySize: stringFlag(flags, 'size'),
    acquiredChannelId: stringFlag(flags, 'channel'),
    acquiredPartnerId: stringFlag(flags, 'partner'),
    acquiredCampaignId: stringFlag(flags, 'campaign'),
    spendBudgetMicros: integerFlag(flags, 'budget'),
    monthlyTokenQuota: integerFlag(flags, 'quota'),
    meta: jsonObjectFlag(flags, 'meta'),
  });
}

const commands: Command[] = [
  {
    name: 'list',
    summary: 'List customers.',
    flags: { ...adminApiFlags, status: { type: 'string', doc: 'active, paused or archived.' }, channel: fieldFlags.channel!, partner: fieldFlags.partner!, campaign: fieldFlags.campaign!, search: { type: 'string', doc: 'Part of the name or e-mail.' }, limit: { type: 'string', doc: 'At most this many (default 100).' } },
    async run(ctx) {
      const f = ctx.flags;
      const limit = integerFlag(f, 'limit');
      const query = defined({ status: enumFlag(f, 'status', customerStatuses), channelId: stringFlag(f, 'channel'), partnerId: stringFlag(f, 'partner'), campaignId: stringFlag(f, 'campaign'), q: stringFlag(f, 'search'), limit: limit ?? undefined });
      printList(ctx, await callApi(ctx, customerRoutes.list, { query }), columns);
    },
  },
  {
    name: 'show',
    summary: 'Show one customer.',
    args: [{ name: 'customer', doc: 'Customer id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, customerRoutes.get, { params: idArg(ctx) }), columns);
    },
  },
  {
    name: 'create',
    summary: 'Create a customer (keys are then issued with npx qudao keys create).',
    args: [{ name: 'name', doc: 'Customer name.' }],
    flags: { ...adminApiFlags, ...fieldFlags, visitor: { type: 'string', doc: 'Visitor id (qd_vid cookie) whose touchpoints lead to this signup.', placeholder: 'VISITOR' } },
    async run(ctx) {
      const body = { name: ctx.positionals[0] ?? '', ...customerFields(ctx.flags), ...defined({ visitorId: stringFlag(ctx.flags, 'visitor') }) };
      printRow(ctx, await callApi(ctx, customerRoutes.create, { body }), columns);
    },
  },
  {
    name: 'update',
    summary: 'Change a customer\'s fields.',
    args: [{ name: 'customer', doc: 'Customer id.' }],
    flags: { ...adminApiFlags, ...fieldFlags, name: { type: 'string', doc: 'New name.' } },
    async run(ctx) {
      const body = { ...customerFields(ctx.flags), ...defined({ name: stringFlag(ctx.flags, 'name') }) };
      printRow(ctx, await callApi(ctx, customerRoutes.update, { params: idArg(ctx), body }), columns);
    },
  },
  {
    name: 'archive',
    summary: 'Archive a customer and revoke its keys (its history stays).',
    args: [{ name: 'customer', doc: 'Customer id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, customerRoutes.archive, { params: idArg(ctx) }), columns);
    },
  },
  {
    name: 'delete',
    summary: 'Delete a customer nothing refers to (else archive it).',
    args: [{ name: 'customer', doc: 'Customer id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, customerRoutes.remove, { params: idArg(ctx) });
      ctx.out(`customer ${ctx.positionals[0]} deleted`);
    },
  },
  {
    name: 'export',
    summary: 'Print everything about one customer as JSON (profile, keys without secrets, plans, ledger, rollups, touchpoints, statement lines, request logs).',
    args: [{ name: 'customer', doc: 'Customer id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      ctx.out(JSON.stringify(await callApi(ctx, customerRoutes.exportData, { params: idArg(ctx) }), null, 2));
    },
  },
  {
    name: 'erase',
    summary: 'Erase a customer\'s personal fields and revoke its keys; ledger amounts and counts stay (cannot be undone).',
    args: [{ name: 'customer', doc: 'Customer id.' }],
    flags: { ...adminApiFlags, yes: { type: 'boolean', doc: 'Confirm: erasure cannot be undone.' } },
    async run(ctx) {
      if (ctx.flags.yes !== true) throw new UsageError(`erasing ${ctx.positionals[0] ?? 'a customer'} cannot be undone: add --yes to confirm`);
      const r = await callApi(ctx, customerRoutes.erase, { params: idArg(ctx), body: { confirm: true } });
      if (ctx.flags.json === true) return void ctx.out(JSON.stringify(r, null, 2));
      ctx.out(`customer ${r.customer.id} erased as ${r.customer.name}: ${r.revokedKeys} keys revoked, ${r.pseudonymisedTouchpoints} touchpoints pseudonymised, ${r.deletedRequestLogs} request logs deleted, ${r.deletedFineTuningFiles} fine-tuning files deleted; its ledger rows are kept`);
    },
  },
];

/** `qudao customers …`: customers and where they were acquired, through the running server's /api. */
export const customersCommand: CommandGroup = { name: 'customers', summary: 'Customers and their acquisition channel, partner and campaign.', commands };
