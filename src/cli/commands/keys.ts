import { gatewayAdminRoutes as api } from '../../shared/contract/gateway.js';
import type { Command, CommandGroup } from '../command.js';
import { adminApiFlags, callApi, integerFlag, printRows, stringFlag } from './admin-api.js';

const columns = ['id', 'prefix', 'name', 'customerId', 'customerName', 'channelId', 'planId', 'models', 'status', 'expiresAt', 'timeoutMs'];

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
    'timeout-ms': { type: 'string', doc: 'Upstream request timeout of this key\'s requests (a deployment\'s shorter one still applies).', placeholder: 'MS' },
  },
  async run(ctx) {
    const models = ctx.flags.model as string[] | undefined;
    const created = await callApi(ctx, api.createKey, {
      body: {
        // Required by the server (it names the missing field); sent as given.
        customerId: stringFlag(ctx.flags, 'customer') as string,
        channelId: stringFlag(ctx.flags, 'channel') as string,
        planId: stringFlag(ctx.flags, 'plan'),
        partnerId: stringFlag(ctx.flags, 'partner'),
        name: stringFlag(ctx.flags, 'name'),
        models,
        expiresAt: stringFlag(ctx.flags, 'expires'),
        timeoutMs: integerFlag(ctx.flags, 'timeout-ms') ?? undefined,
      },
    });
    if (ctx.flags.json) return ctx.out(JSON.stringify(created, null, 2));
    ctx.out(`key ${created.id} (${created.prefix}) for customer ${created.customerId}, plan ${created.planId}`);
    ctx.out(`API key (shown once, keep it safe): ${created.key}`);
  },
};

const listKeys: Command = {
  name: 'list',
  summary: 'List API keys (visible prefix only), newest first.',
  flags: { ...adminApiFlags, customer: { type: 'string', doc: 'Only this customer\'s keys.', placeholder: 'ID' } },
  async run(ctx) {
    const customer = stringFlag(ctx.flags, 'customer');
    const res = await callApi(ctx, api.listKeys, { query: { customerId: customer } });
    printRows(ctx, res, res.data, columns);
  },
};

const revokeKey: Command = {
  name: 'revoke',
  summary: 'Revoke an API key; every gateway replica refuses it from then on.',
  args: [{ name: 'key', doc: 'Key id (key_...) or visible prefix (qd_sk_...).' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callApi(ctx, api.revokeKey, { params: { id: ctx.positionals[0]! } });
    if (ctx.flags.json) return ctx.out(JSON.stringify(row, null, 2));
    ctx.out(`key ${row.id} (${row.prefix}) is ${row.status}`);
  },
};

/** `qudao keys create|list|revoke` (through the running server's /api). */
export const keysCommand: CommandGroup = { name: 'keys', summary: 'Create, list and revoke customer API keys.', commands: [createKey, listKeys, revokeKey] };
