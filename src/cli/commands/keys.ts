import type { Command, CommandGroup } from '../command.js';
import { adminApiFlags, callAdminApi, defined, printRows, stringFlag } from './admin-api.js';

type Row = Record<string, unknown>;
const columns = ['id', 'prefix', 'name', 'customer_id', 'customer_name', 'channel_id', 'plan_id', 'models', 'status', 'expires_at'];

const createKey: Command = {
  name: 'create',
  summary: 'Create an API key for a customer through a channel; prints the key once.',
  flags: {
    ...adminApiFlags,
    customer: { type: 'string', doc: 'Customer id (required).', placeholder: 'ID' },
    channel: { type: 'string', doc: 'Channel id the key is issued through (required).', placeholder: 'ID' },
    plan: { type: 'string', doc: 'Price plan id (default: the channel\'s default plan).', placeholder: 'ID' },
    partner: { type: 'string', doc: 'Partner id (default: the channel\'s owner partner).', placeholder: 'ID' },
    name: { type: 'string', doc: 'A label for the key.' },
    model: { type: 'string', multiple: true, doc: 'A model the key may call (default: all public models).', placeholder: 'NAME' },
    expires: { type: 'string', doc: 'Expiry, ISO 8601 (e.g. 2027-01-01T00:00:00Z).', placeholder: 'TIME' },
  },
  async run(ctx) {
    const models = ctx.flags.model as string[] | undefined;
    const created = await callAdminApi<Row>(ctx, 'POST', '/api/keys', defined({
      customer_id: stringFlag(ctx.flags, 'customer'),
      channel_id: stringFlag(ctx.flags, 'channel'),
      plan_id: stringFlag(ctx.flags, 'plan'),
      partner_id: stringFlag(ctx.flags, 'partner'),
      name: stringFlag(ctx.flags, 'name'),
      models,
      expires_at: stringFlag(ctx.flags, 'expires'),
    }));
    if (ctx.flags.json) return ctx.out(JSON.stringify(created, null, 2));
    ctx.out(`key ${created.id} (${created.prefix}) for customer ${created.customer_id}, plan ${created.plan_id}`);
    ctx.out(`API key (shown once, keep it safe): ${created.key}`);
  },
};

const listKeys: Command = {
  name: 'list',
  summary: 'List API keys (visible prefix only), newest first.',
  flags: { ...adminApiFlags, customer: { type: 'string', doc: 'Only this customer\'s keys.', placeholder: 'ID' } },
  async run(ctx) {
    const customer = stringFlag(ctx.flags, 'customer');
    const res = await callAdminApi<{ data: Row[] }>(ctx, 'GET', `/api/keys${customer ? `?customer_id=${encodeURIComponent(customer)}` : ''}`);
    printRows(ctx, res, res.data, columns);
  },
};

const revokeKey: Command = {
  name: 'revoke',
  summary: 'Revoke an API key; every gateway replica refuses it from then on.',
  args: [{ name: 'key', doc: 'Key id (key_...) or visible prefix (qd_sk_...).' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'POST', `/api/keys/${encodeURIComponent(ctx.positionals[0]!)}/revoke`);
    if (ctx.flags.json) return ctx.out(JSON.stringify(row, null, 2));
    ctx.out(`key ${row.id} (${row.prefix}) is ${row.status}`);
  },
};

/** `qudao keys create|list|revoke` (through the running server's /api). */
export const keysCommand: CommandGroup = { name: 'keys', summary: 'Create, list and revoke customer API keys.', commands: [createKey, listKeys, revokeKey] };
