import { billingRoutes, creditKinds } from '../../shared/contract/billing.js';
import { microsOfDigits } from '../../shared/micros.js';
import { UsageError, type Command, type CommandContext, type CommandGroup } from '../command.js';
import { adminApiFlags, callApi, enumFlag, printRows, stringFlag } from './admin-api.js';
import { idArg } from './partner-api.js';

const columns = ['customerId', 'billingMode', 'prepaidSince', 'creditedMicros', 'usedMicros', 'balanceMicros', 'lowBalanceMicros', 'low'];
const entryColumns = ['id', 'kind', 'amountMicros', 'note', 'createdAt'];
const customerArg = { name: 'customer', doc: 'Customer id.' };

/**
 * An amount in currency units (`25`, `12.5`, `-0.000001`) as integer micro-units, converted exactly from its
 * digits (never through a float): at most six decimals, within the safe-integer range.
 */
export function microsOfUnits(text: string, what = 'amount'): number {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) throw new UsageError(`${what} must be a number of currency units with at most 6 decimals (e.g. 25 or 12.50), got "${text}"`);
  const micros = microsOfDigits(m[1] === '-', m[2]!, m[3] ?? '');
  if (micros === null) throw new UsageError(`${what} ${text} is too large`);
  return micros;
}

/**
 * Prints a balance answer: the totals, then (unless --json) the credit ledger, money exact to the micro-unit
 * (a request can cost a few micro-units; cents would hide it).
 */
function printBalance(ctx: CommandContext, answer: Awaited<ReturnType<typeof callApi<typeof billingRoutes.credits>>>): void {
  printRows(ctx, answer, [answer], columns);
  if (ctx.flags.json) return;
  ctx.out('');
  printRows(ctx, answer, [...answer.entries], entryColumns);
}

const commands: Command[] = [
  {
    name: 'balance',
    summary: 'Show a customer\'s prepaid credit: credited, used since it turned prepaid, the balance, and the credit ledger.',
    args: [customerArg],
    flags: adminApiFlags,
    async run(ctx) {
      printBalance(ctx, await callApi(ctx, billingRoutes.credits, { params: idArg(ctx) }));
    },
  },
  {
    name: 'grant',
    summary: 'Add credit: a top-up (default), a grant, or a correction (which may be negative).',
    args: [customerArg, { name: 'amount', doc: 'Currency units, e.g. 25 or 12.50 (exactly converted to micro-units).' }],
    flags: { ...adminApiFlags, kind: { type: 'string', doc: 'topup (default), grant or correction.', placeholder: 'KIND' }, note: { type: 'string', doc: 'Why (kept with the entry).', placeholder: 'TEXT' } },
    async run(ctx) {
      const amount = ctx.positionals[1];
      if (amount === undefined) throw new UsageError('give the amount in currency units; see npx qudao credits grant --help');
      const kind = enumFlag(ctx.flags, 'kind', creditKinds) ?? 'topup';
      const body = { kind, amountMicros: microsOfUnits(amount), ...(stringFlag(ctx.flags, 'note') === undefined ? {} : { note: stringFlag(ctx.flags, 'note') }) };
      printBalance(ctx, await callApi(ctx, billingRoutes.addCredit, { params: idArg(ctx), body }));
    },
  },
  {
    name: 'mode',
    summary: 'Make a customer prepaid (admitted only while its credit covers a request) or postpaid (invoiced).',
    args: [customerArg, { name: 'mode', doc: 'prepaid or postpaid.' }],
    flags: { ...adminApiFlags, low: { type: 'string', doc: 'Low-balance threshold in currency units (none = no flag).', placeholder: 'AMOUNT' } },
    async run(ctx) {
      const mode = ctx.positionals[1];
      if (mode !== 'prepaid' && mode !== 'postpaid') throw new UsageError(`the mode is prepaid or postpaid, got "${mode ?? ''}"`);
      const low = stringFlag(ctx.flags, 'low');
      const body = { billingMode: mode, ...(low === undefined ? {} : { lowBalanceMicros: low === 'none' ? null : microsOfUnits(low, '--low') }) } as const;
      printBalance(ctx, await callApi(ctx, billingRoutes.setBillingMode, { params: idArg(ctx), body }));
    },
  },
];

/** `qudao credits ...`: prepaid credit of customers, through the running server's /api. */
export const creditsCommand: CommandGroup = { name: 'credits', summary: 'Prepaid credits: balance, top up or grant, prepaid mode.', commands };
