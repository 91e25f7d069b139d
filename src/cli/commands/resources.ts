import type { Command, CommandGroup } from '../command.js';
import { adminApiFlags, callAdminApi, defined, printRows, stringFlag } from './admin-api.js';

type Row = Record<string, unknown>;
const columns = ['id', 'kind', 'name', 'ownerPartnerId', 'deploymentName', 'uri', 'grants'];
const withGrantCount = (r: Row) => ({ ...r, grants: (r.grants as { revokedAt: string | null }[]).filter((g) => g.revokedAt === null).length });

const addResource: Command = {
  name: 'add',
  summary: 'Add a shared resource (model, fine_tune, dataset, prompt_pack, document).',
  args: [{ name: 'name', doc: 'Resource name.' }],
  flags: {
    ...adminApiFlags,
    kind: { type: 'string', doc: 'model, fine_tune, dataset, prompt_pack or document.', placeholder: 'KIND' },
    uri: { type: 'string', doc: 'Where it lives.', placeholder: 'URI' },
    owner: { type: 'string', doc: 'Owner partner (required for a fine_tune).', placeholder: 'ID' },
    deployment: { type: 'string', doc: 'Deployment serving it through the gateway (a fine_tune\'s must be owned by --owner).', placeholder: 'NAME' },
    description: { type: 'string', doc: 'What it is.', placeholder: 'TEXT' },
  },
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'POST', '/api/resources', defined({
      name: ctx.positionals[0], kind: stringFlag(ctx.flags, 'kind'), uri: stringFlag(ctx.flags, 'uri'), ownerPartnerId: stringFlag(ctx.flags, 'owner'),
      deploymentName: stringFlag(ctx.flags, 'deployment'), description: stringFlag(ctx.flags, 'description'),
    }));
    printRows(ctx, row, [withGrantCount(row)], columns);
  },
};

const listResources: Command = {
  name: 'list',
  summary: 'List the catalogue (with the number of active grants).',
  flags: { ...adminApiFlags, partner: { type: 'string', doc: 'Only those this partner owns or was granted.', placeholder: 'ID' } },
  async run(ctx) {
    const partner = stringFlag(ctx.flags, 'partner');
    const res = await callAdminApi<{ data: Row[] }>(ctx, 'GET', `/api/resources${partner ? `?partnerId=${encodeURIComponent(partner)}` : ''}`);
    printRows(ctx, res, res.data.map(withGrantCount), columns);
  },
};

const grant: Command = {
  name: 'grant',
  summary: 'Grant a partner a resource.',
  args: [{ name: 'resource', doc: 'Resource id.' }, { name: 'partner', doc: 'Partner id.' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'POST', `/api/resources/${encodeURIComponent(ctx.positionals[0]!)}/grants`, { partnerId: ctx.positionals[1] });
    printRows(ctx, row, [row], ['id', 'resourceId', 'partnerId', 'grantedAt']);
  },
};

const revoke: Command = {
  name: 'revoke',
  summary: 'Revoke a grant.',
  args: [{ name: 'resource', doc: 'Resource id.' }, { name: 'grant', doc: 'Grant id.' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'POST', `/api/resources/${encodeURIComponent(ctx.positionals[0]!)}/grants/${encodeURIComponent(ctx.positionals[1]!)}/revoke`);
    printRows(ctx, row, [row], ['id', 'resourceId', 'partnerId', 'revokedAt']);
  },
};

/** `qudao resources add|list|grant|revoke` (through the running server's /api). */
export const resourcesCommand: CommandGroup = { name: 'resources', summary: 'Resource sharing: shared models, fine-tunes, data sets, docs and grants (资源共享).', commands: [addResource, listResources, grant, revoke] };
