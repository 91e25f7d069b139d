import type { Command, CommandGroup } from '../command.js';
import { ecosystemRoutes, type RELATION_KINDS } from '../../shared/contract/strategy/ecosystem.js';
import { adminApiFlags, callApi, printRows } from './admin-api.js';
import { enumFlag, windowFlags, windowQuery } from './strategy-flags.js';

const graph: Command = {
  name: 'graph',
  summary: 'Partners with sourced and influenced revenue, and the revenue along each relation.',
  flags: windowFlags,
  async run(ctx) {
    const res = await callApi(ctx, ecosystemRoutes.graph, { query: windowQuery(ctx.flags) });
    printRows(ctx, res, res.nodes, ['partnerId', 'name', 'sourcedCustomers', 'sourcedRevenueMicros', 'influencedCustomers', 'influencedRevenueMicros']);
    if (ctx.flags.json) return;
    ctx.out('');
    printRows(ctx, res, res.edges, ['fromPartnerId', 'kind', 'toPartnerId', 'customers', 'revenueMicros']);
    ctx.out(`revenue ${res.totalRevenueMicros}: partner-sourced ${res.partnerSourcedRevenueMicros}, partner-influenced ${res.partnerInfluencedRevenueMicros}`);
  },
};

const relate: Command = {
  name: 'relate',
  summary: 'Record a relation between two partners.',
  args: [{ name: 'from', doc: 'Partner id (A).' }, { name: 'to', doc: 'Partner id (B).' }],
  flags: { ...adminApiFlags, kind: { type: 'string', doc: 'referral (default), co_selling, integration or resells_for.', placeholder: 'KIND' } },
  async run(ctx) {
    const row = await callApi(ctx, ecosystemRoutes.createRelation, { body: { fromPartnerId: ctx.positionals[0]!, toPartnerId: ctx.positionals[1]!, kind: enumFlag<(typeof RELATION_KINDS)[number]>(ctx.flags, 'kind') ?? 'referral' } });
    printRows(ctx, row, [row], ['id', 'fromPartnerId', 'kind', 'toPartnerId']);
  },
};

const relations: Command = {
  name: 'relations',
  summary: 'List relations between partners.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, ecosystemRoutes.listRelations);
    printRows(ctx, res, res.data, ['id', 'fromPartnerId', 'kind', 'toPartnerId', 'createdAt']);
  },
};

/** `qudao ecosystem graph|relate|relations` (through the running server's /api). */
export const ecosystemCommand: CommandGroup = { name: 'ecosystem', summary: 'Ecosystem synergy: partner relations and the revenue along them (生态系统协同).', commands: [graph, relate, relations] };
