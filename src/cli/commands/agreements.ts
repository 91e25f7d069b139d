import { agreementRoutes } from '../../shared/contract/partners.js';
import type { Command, CommandGroup } from '../command.js';
import { UsageError } from '../command.js';
import { adminApiFlags, callApi, defined, integerFlag, stringFlag } from './admin-api.js';
import { idArg, printList, printRow, type BodyOf, type QueryOf } from './partner-api.js';

const columns = ['id', 'partnerId', 'status', 'revenueShareBps', 'discountBps', 'minCommitMicros', 'monthlyTokenQuota', 'sla', 'startsAt', 'endsAt', 'supersedesId'];

const create: Command = {
  name: 'create',
  summary: 'Sign a new agreement; it supersedes the partner\'s current one (which is kept, never edited).',
  flags: {
    ...adminApiFlags,
    partner: { type: 'string', doc: 'Partner id (required).', placeholder: 'ID' },
    'revenue-share-bps': { type: 'string', doc: 'Revenue share paid to the partner, basis points.', placeholder: 'BPS' },
    'discount-bps': { type: 'string', doc: 'Wholesale discount the partner buys at, basis points.', placeholder: 'BPS' },
    'min-commit': { type: 'string', doc: 'Minimum monthly commitment, micro-units.', placeholder: 'MICROS' },
    'monthly-quota': { type: 'string', doc: 'Tokens per month across the partner\'s customers (none = unlimited).', placeholder: 'N' },
    'sla-max-error-bps': { type: 'string', doc: 'SLA: highest upstream error rate, basis points.', placeholder: 'BPS' },
    'sla-p95-ms': { type: 'string', doc: 'SLA: highest p95 latency, milliseconds.', placeholder: 'MS' },
    starts: { type: 'string', doc: 'Start, ISO 8601 (default: now).', placeholder: 'TIME' },
    ends: { type: 'string', doc: 'End, ISO 8601 (default: open-ended).', placeholder: 'TIME' },
  },
  async run(ctx) {
    const partnerId = stringFlag(ctx.flags, 'partner');
    if (!partnerId) throw new UsageError('--partner is required; see npx qudao agreements create --help');
    const sla = defined({ maxErrorRateBps: integerFlag(ctx.flags, 'sla-max-error-bps') ?? undefined, maxP95LatencyMs: integerFlag(ctx.flags, 'sla-p95-ms') ?? undefined });
    const body = {
      partnerId,
      revenueShareBps: integerFlag(ctx.flags, 'revenue-share-bps') ?? undefined,
      discountBps: integerFlag(ctx.flags, 'discount-bps') ?? undefined,
      minCommitMicros: integerFlag(ctx.flags, 'min-commit') ?? undefined,
      monthlyTokenQuota: integerFlag(ctx.flags, 'monthly-quota'),
      sla,
      startsAt: stringFlag(ctx.flags, 'starts'),
      endsAt: stringFlag(ctx.flags, 'ends'),
    } as BodyOf<typeof agreementRoutes.create>;
    printRow(ctx, await callApi(ctx, agreementRoutes.create, { body }), columns);
  },
};

const commands: Command[] = [
  {
    name: 'list',
    summary: 'List agreements (history included), newest first.',
    flags: { ...adminApiFlags, partner: { type: 'string', doc: 'Only this partner\'s.', placeholder: 'ID' }, status: { type: 'string', doc: 'active, superseded or ended.' } },
    async run(ctx) {
      const query = { partnerId: stringFlag(ctx.flags, 'partner'), status: stringFlag(ctx.flags, 'status') } as QueryOf<typeof agreementRoutes.list>;
      printList(ctx, await callApi(ctx, agreementRoutes.list, { query }), columns);
    },
  },
  create,
  {
    name: 'show',
    summary: 'Show an agreement.',
    args: [{ name: 'agreement', doc: 'Agreement id.' }],
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, agreementRoutes.get, { params: idArg(ctx) }), columns);
    },
  },
  {
    name: 'end',
    summary: 'End the partner\'s current agreement.',
    args: [{ name: 'agreement', doc: 'Agreement id.' }],
    flags: { ...adminApiFlags, at: { type: 'string', doc: 'End time, ISO 8601 (default: now).', placeholder: 'TIME' } },
    async run(ctx) {
      printRow(ctx, await callApi(ctx, agreementRoutes.end, { params: idArg(ctx), body: { endsAt: stringFlag(ctx.flags, 'at') } }), columns);
    },
  },
];

/** `qudao agreements ...`: partner agreements (history, never edited), through the running server's /api. */
export const agreementsCommand: CommandGroup = { name: 'agreements', summary: 'Partner agreements: revenue share or discount, commitment, quota, SLA, term.', commands };
