import { writeFileSync } from 'node:fs';
import type { Command, CommandGroup } from '../command.js';
import { UsageError } from '../command.js';
import { adminApiFlags, defined, stringFlag } from './admin-api.js';
import { callApi, monthFlag, pathArg, printList, printRow, printTable, query, type ApiRow } from './partner-api.js';

const columns = ['id', 'partnerId', 'month', 'status', 'revenueMicros', 'adjustmentMicros', 'shareMicros', 'coveredSeq', 'finalizedAt'];
const statementArg = [{ name: 'statement', doc: 'Statement id.' }];

const commands: Command[] = [
  {
    name: 'list',
    summary: 'List statements, newest month first.',
    flags: { ...adminApiFlags, partner: { type: 'string', doc: 'Only this partner\'s.', placeholder: 'ID' }, month: { type: 'string', doc: 'Only this month.', placeholder: 'YYYY-MM' }, status: { type: 'string', doc: 'draft or final.' } },
    async run(ctx) {
      const q = query({ partnerId: stringFlag(ctx.flags, 'partner'), month: monthFlag(ctx.flags), status: stringFlag(ctx.flags, 'status') });
      printList(ctx, await callApi(ctx, 'GET', `/api/statements${q}`), columns);
    },
  },
  {
    name: 'generate',
    summary: 'Compute (or recompute) the draft statements of a month, for one partner or all.',
    flags: { ...adminApiFlags, month: { type: 'string', doc: 'Month YYYY-MM (required).', placeholder: 'YYYY-MM' }, partner: { type: 'string', doc: 'Only this partner.', placeholder: 'ID' } },
    async run(ctx) {
      const month = monthFlag(ctx.flags);
      if (!month) throw new UsageError('--month is required; see npx qudao statements generate --help');
      printList(ctx, await callApi(ctx, 'POST', '/api/statements', defined({ month, partnerId: stringFlag(ctx.flags, 'partner') })), columns);
    },
  },
  {
    name: 'show',
    summary: 'Show a statement with its lines.',
    args: statementArg,
    flags: adminApiFlags,
    async run(ctx) {
      const s = await callApi<ApiRow & { lines: ApiRow[] }>(ctx, 'GET', `/api/statements/${pathArg(ctx)}`);
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
      printRow(ctx, await callApi<ApiRow>(ctx, 'POST', `/api/statements/${pathArg(ctx)}/finalize`), columns);
    },
  },
  {
    name: 'delete',
    summary: 'Delete a draft statement.',
    args: statementArg,
    flags: adminApiFlags,
    async run(ctx) {
      await callApi(ctx, 'DELETE', `/api/statements/${pathArg(ctx)}`);
      ctx.out(`statement ${ctx.positionals[0]} deleted`);
    },
  },
  {
    name: 'csv',
    summary: 'Export a statement as CSV (to standard output, or --out FILE).',
    args: statementArg,
    flags: { ...adminApiFlags, out: { type: 'string', doc: 'Write to this file.', placeholder: 'FILE' } },
    async run(ctx) {
      const csv = await callCsv(ctx, `/api/statements/${pathArg(ctx)}/csv`);
      const out = stringFlag(ctx.flags, 'out');
      if (out) {
        writeFileSync(out, csv);
        ctx.out(`wrote ${out}`);
      } else ctx.out(csv.trimEnd());
    },
  },
];

/** Fetches a CSV body; errors come back as JSON and fail like every other call. */
async function callCsv(ctx: Parameters<Command['run']>[0], path: string): Promise<string> {
  const config = ctx.loadConfig();
  if (!config.adminToken) throw new UsageError('no admin token: pass --admin-token or set QUDAO_ADMIN_TOKEN');
  const res = await fetch(`${config.serverUrl.replace(/\/+$/, '')}${path}`, { headers: { authorization: `Bearer ${config.adminToken}` } }).catch((err: Error) => {
    throw new UsageError(`cannot reach the server at ${config.serverUrl} (${err.message}); start it with npx qudao start, or pass --url`);
  });
  if (res.ok) return res.text();
  await callApi(ctx, 'GET', path.replace(/\/csv$/, ''));
  throw new Error(`HTTP ${res.status}`);
}

/** `qudao statements ...`: monthly revenue-share statements, through the running server's /api. */
export const statementsCommand: CommandGroup = { name: 'statements', summary: 'Revenue-share statements: generate, finalise, export CSV.', commands };
