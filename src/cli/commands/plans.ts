import type { Command, CommandGroup, FlagSpec, FlagValues } from '../command.js';
import { adminApiFlags, callAdminApi, defined, integerFlag, printRows } from './admin-api.js';

type Row = Record<string, unknown>;
const columns = ['id', 'name', 'input_per_1m_micros', 'output_per_1m_micros', 'rpm_limit', 'tpm_limit', 'monthly_token_quota', 'status'];

const planFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  'input-per-1m': { type: 'string', doc: 'Price per 1M prompt tokens, micro-units (1 unit = 1000000).', placeholder: 'MICROS' },
  'output-per-1m': { type: 'string', doc: 'Price per 1M completion tokens, micro-units.', placeholder: 'MICROS' },
  'monthly-fee': { type: 'string', doc: 'Monthly fee, micro-units.', placeholder: 'MICROS' },
  'included-tokens': { type: 'string', doc: 'Tokens included in the monthly fee.', placeholder: 'N' },
  rpm: { type: 'string', doc: 'Requests per minute per key (none = unlimited).', placeholder: 'N' },
  tpm: { type: 'string', doc: 'Tokens per minute per key (none = unlimited).', placeholder: 'N' },
  'monthly-quota': { type: 'string', doc: 'Tokens per month per customer (none = unlimited).', placeholder: 'N' },
};

function planFields(flags: FlagValues): Record<string, unknown> {
  return defined({
    input_per_1m_micros: integerFlag(flags, 'input-per-1m'),
    output_per_1m_micros: integerFlag(flags, 'output-per-1m'),
    monthly_fee_micros: integerFlag(flags, 'monthly-fee'),
    included_tokens: integerFlag(flags, 'included-tokens'),
    rpm_limit: integerFlag(flags, 'rpm'),
    tpm_limit: integerFlag(flags, 'tpm'),
    monthly_token_quota: integerFlag(flags, 'monthly-quota'),
  });
}

const createPlan: Command = {
  name: 'create',
  summary: 'Create a price plan.',
  args: [{ name: 'name', doc: 'Plan name (unique).' }],
  flags: planFlags,
  async run(ctx) {
    const row = await callAdminApi<Row>(ctx, 'POST', '/api/plans', { name: ctx.positionals[0], ...planFields(ctx.flags) });
    printRows(ctx, row, [row], columns);
  },
};

const listPlans: Command = {
  name: 'list',
  summary: 'List price plans.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callAdminApi<{ data: Row[] }>(ctx, 'GET', '/api/plans');
    printRows(ctx, res, res.data, columns);
  },
};

const updatePlan: Command = {
  name: 'update',
  summary: 'Change a plan\'s prices or limits (applies to its keys at once).',
  args: [{ name: 'plan', doc: 'Plan id or name.' }],
  flags: { ...planFlags, archive: { type: 'boolean', doc: 'Archive the plan.' } },
  async run(ctx) {
    const body = { ...planFields(ctx.flags), ...(ctx.flags.archive ? { status: 'archived' } : {}) };
    const row = await callAdminApi<Row>(ctx, 'PATCH', `/api/plans/${encodeURIComponent(ctx.positionals[0]!)}`, body);
    printRows(ctx, row, [row], columns);
  },
};

/** `qudao plans create|list|update` (through the running server's /api). */
export const plansCommand: CommandGroup = { name: 'plans', summary: 'Create, list and change price plans.', commands: [createPlan, listPlans, updatePlan] };

