import { gatewayAdminRoutes as api, type UpdatePlanInput } from '../../shared/contract/gateway.js';
import { UsageError, type Command, type CommandGroup, type FlagSpec, type FlagValues } from '../command.js';
import { adminApiFlags, callApi, integerFlag, printRows } from './admin-api.js';

const columns = ['id', 'name', 'inputPer1mMicros', 'outputPer1mMicros', 'rpmLimit', 'tpmLimit', 'monthlyTokenQuota', 'trainingPer1mMicros', 'status'];

const planFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  'input-per-1m': { type: 'string', doc: 'Price per 1M prompt tokens, micro-units (1 unit = 1000000).', placeholder: 'MICROS' },
  'output-per-1m': { type: 'string', doc: 'Price per 1M completion tokens, micro-units.', placeholder: 'MICROS' },
  'training-per-1m': { type: 'string', doc: 'Price per 1M tokens a fine-tuning job trains, micro-units (default 0).', placeholder: 'MICROS' },
  'monthly-fee': { type: 'string', doc: 'Monthly fee, micro-units.', placeholder: 'MICROS' },
  'included-tokens': { type: 'string', doc: 'Tokens included in the monthly fee.', placeholder: 'N' },
  rpm: { type: 'string', doc: 'Requests per minute per key (none = unlimited).', placeholder: 'N' },
  tpm: { type: 'string', doc: 'Tokens per minute per key (none = unlimited).', placeholder: 'N' },
  'monthly-quota': { type: 'string', doc: 'Tokens per month per customer (none = unlimited).', placeholder: 'N' },
};

/** An amount flag: a whole number (`none` is not an amount). */
function amountFlag(flags: FlagValues, name: string): number | undefined {
  const v = integerFlag(flags, name);
  if (v === null) throw new UsageError(`--${name} must be a whole number, not none`);
  return v;
}

/** The plan fields the flags set (absent flags are left out, so an update names only what changes). */
function planFields(flags: FlagValues): Omit<UpdatePlanInput, 'name' | 'status'> {
  const fields = {
    inputPer1mMicros: amountFlag(flags, 'input-per-1m'),
    outputPer1mMicros: amountFlag(flags, 'output-per-1m'),
    trainingPer1mMicros: amountFlag(flags, 'training-per-1m'),
    monthlyFeeMicros: amountFlag(flags, 'monthly-fee'),
    includedTokens: amountFlag(flags, 'included-tokens'),
    rpmLimit: integerFlag(flags, 'rpm'),
    tpmLimit: integerFlag(flags, 'tpm'),
    monthlyTokenQuota: integerFlag(flags, 'monthly-quota'),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

const createPlan: Command = {
  name: 'create',
  summary: 'Create a price plan.',
  args: [{ name: 'name', doc: 'Plan name (unique).' }],
  flags: planFlags,
  async run(ctx) {
    // The server names a missing price (QD_INVALID_REQUEST, param inputPer1mMicros).
    const fields = planFields(ctx.flags) as { inputPer1mMicros: number; outputPer1mMicros: number };
    const row = await callApi(ctx, api.createPlan, { body: { ...fields, name: ctx.positionals[0]! } });
    printRows(ctx, row, [row], columns);
  },
};

const listPlans: Command = {
  name: 'list',
  summary: 'List price plans.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, api.listPlans);
    printRows(ctx, res, res.data, columns);
  },
};

const updatePlan: Command = {
  name: 'update',
  summary: 'Change a plan\'s prices or limits (applies to its keys at once).',
  args: [{ name: 'plan', doc: 'Plan id or name.' }],
  flags: { ...planFlags, archive: { type: 'boolean', doc: 'Archive the plan.' } },
  async run(ctx) {
    const body: UpdatePlanInput = { ...planFields(ctx.flags), ...(ctx.flags.archive ? { status: 'archived' as const } : {}) };
    const row = await callApi(ctx, api.updatePlan, { params: { id: ctx.positionals[0]! }, body });
    printRows(ctx, row, [row], columns);
  },
};

/** `qudao plans create|list|update` (through the running server's /api). */
export const plansCommand: CommandGroup = { name: 'plans', summary: 'Create, list and change price plans.', commands: [createPlan, listPlans, updatePlan] };

