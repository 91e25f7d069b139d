import { writeFileSync } from 'node:fs';
import { statementRoutes } from '../../shared/contract/partners.js';
import type { Command, CommandGroup } from '../command.js';
import { UsageError } from '../command.js';
import { adminApiFlags, callApi, callFile, stringFlag } from './admin-api.js';
import { idArg, monthFlag, printList, printRow, printTable, type QueryOf } from './partner-api.js';

const columns = ['id', 'partnerId', 'month', 'status', 'revenueMicros', 'adjustmentMicros', 'shareMicros', 'coveredSeq', 'finalizedAt'];
const statementArg = [{ name: 'statement', doc: 'Statement id.' }];

const commands: Command[] = [
  {
    name: 'list',
    summary: 'List statements, newest month first.',
    flags: { ...adminApiFlags, partner: { type: 'string', doc: 'Only this partner\'s.', placeholder: 'ID' }, month: { type: 'string', doc: 'Only this month.', placeholder: 'YYYY-MM' }, status: { type: 'string', doc: 'draft or final.' } },
    async run(ctx) {
      const query = { partnerId: stringFlag(ctx.flags, 'partner'), month: monthFlag(ctx.flags), status: stringFlag(ctx.flags, 'status') } as QueryOf<typeof statementRoutes.list>;
      printList(ctx, await callApi(ctx, statementRoutes.list, { query }), columns);
    },
  },
  {
    name: 'generate',
    summary: 'Compute (or recompute) the draft statements of a month, for one partner or all.',
    flags: { ...adminApiFlags, month: { type: 'string', doc: 'Month YYYY-MM (required).', placeholder: 'YYYY-MM' }, partner: { type: 'string', doc: 'Only this partner.', placeholder: 'ID' } },
    async run(ctx) {
      const month = monthFlag(ctx.flags);
      if (!month) throw new UsageError('--month is required; see npx qudao statements generate --help');
      printList(ctx, await callApi(ctx, statementRoutes.generate, { body: { month, partnerId: stringFlag(ctx.flags, 'partner') } }), columns);
    },
  },
  {
    name: 'show',
    summary: 'Show a statement with its lines.',
    args: statementArg,
    flags: adminApiFlags,
    async run(ctx) {
      const s = await callApi(ctx, statementRoutes.get, { params: idArg(ctx) });
      printRow(ctx, s, columns);
      if (!ctx.flags.json) printTable(ctx, s, s.lines, ['kind', 'month', 'customerId', 'model', 'basis', 'bps', 'requests', 'revenueMicros', 'shareMicros']);
    },
  },
  {
    name: 'finalize',
    summary: 'Finalise a draft: recompute at the ledger\'s end and freeze it.',
    args: statementArg,
    flags: adminApiFlags,
    async run(ctx) {
      printRow(ctx, await callApi(ctx, statementRoutes.finalize, { params: idArg(ctx) }), columns);
    },
  },
  {
    name: 'delete',
    summary: 'Delete a draft statement.',
    args: statementArg,
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, statementRoutes.remove, { params: idArg(ctx) });
      ctx.out(`statement ${ctx.positionals[0]} deleted`);
    },
  },
  {
    name: 'csv',
    summary: 'Export a statement as CSV (to standard output, or --out FILE).',
    args: statementArg,
    flags: { ...adminApiFlags, out: { type: 'string', doc: 'Write to this file.', placeholder: 'FILE' } },
    async run(ctx) {
      const csv = (await callFile(ctx, statementRoutes.csv, { params: idArg(ctx) })).toString('utf8');
      const out = stringFlag(ctx.flags, 'out');
      if (out) {
        writeFileSync(out, csv);
        ctx.out(`wrote ${out}`);
      } else ctx.out(csv.trimEnd());
    },
  },
];

/** `qudao statements ...`: monthly revenue-share statements, through the running server's /api. */
export const statementsCommand: CommandGroup = { name: 'statements', summary: 'Revenue-share statements: generate, finalise, export CSV.', commands };
