import type { Command, CommandGroup } from '../command.js';
import { resourceRoutes, type RESOURCE_KINDS, type SharedResourceAnswer } from '../../shared/contract/strategy/resources.js';
import { adminApiFlags, callApi, printRows, stringFlag } from './admin-api.js';
import { enumFlag } from './strategy-flags.js';

const columns = ['id', 'kind', 'name', 'ownerPartnerId', 'deploymentName', 'uri', 'grants'];
const withGrantCount = (r: SharedResourceAnswer) => ({ ...r, grants: r.grants.filter((g) => g.revokedAt === null).length });

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
    // A missing --kind is sent as absent; the server names the field and its values (QD_INVALID_REQUEST).
    const row = await callApi(ctx, resourceRoutes.createResource, {
      body: {
        name: ctx.positionals[0]!, kind: enumFlag<(typeof RESOURCE_KINDS)[number]>(ctx.flags, 'kind')!, uri: stringFlag(ctx.flags, 'uri'), ownerPartnerId: stringFlag(ctx.flags, 'owner'),
        deploymentName: stringFlag(ctx.flags, 'deployment'), description: stringFlag(ctx.flags, 'description'),
      },
    });
    printRows(ctx, row, [withGrantCount(row)], columns);
  },
};

const listResources: Command = {
  name: 'list',
  summary: 'List the catalogue (with the number of active grants).',
  flags: { ...adminApiFlags, partner: { type: 'string', doc: 'Only those this partner owns or was granted.', placeholder: 'ID' } },
  async run(ctx) {
    const res = await callApi(ctx, resourceRoutes.listResources, { query: { partnerId: stringFlag(ctx.flags, 'partner') } });
    printRows(ctx, res, res.data.map(withGrantCount), columns);
  },
};

const grant: Command = {
  name: 'grant',
  summary: 'Grant a partner a resource.',
  args: [{ name: 'resource', doc: 'Resource id.' }, { name: 'partner', doc: 'Partner id.' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callApi(ctx, resourceRoutes.grantResource, { params: { id: ctx.positionals[0]! }, body: { partnerId: ctx.positionals[1]! } });
    printRows(ctx, row, [row], ['id', 'resourceId', 'partnerId', 'grantedAt']);
  },
};

const revoke: Command = {
  name: 'revoke',
  summary: 'Revoke a grant.',
  args: [{ name: 'resource', doc: 'Resource id.' }, { name: 'grant', doc: 'Grant id.' }],
  flags: adminApiFlags,
  async run(ctx) {
    const row = await callApi(ctx, resourceRoutes.revokeGrant, { params: { id: ctx.positionals[0]!, grantId: ctx.positionals[1]! } });
    printRows(ctx, row, [row], ['id', 'resourceId', 'partnerId', 'revokedAt']);
  },
};

/** `qudao resources add|list|grant|revoke` (through the running server's /api). */
export const resourcesCommand: CommandGroup = { name: 'resources', summary: 'Resource sharing: shared models, fine-tunes, data sets, docs and grants (资源共享).', commands: [addResource, listResources, grant, revoke] };
