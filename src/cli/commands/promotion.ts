import { UsageError, type Command, type CommandGroup } from '../command.js';
import type { ResponseModel } from '../../shared/methods/index.js';
import { promotionRoutes, type CurveOutcome } from '../../shared/contract/strategy/promotion.js';
import { callApi, integerFlag, printRows } from './admin-api.js';
import { enumFlag, listFlag, numberFlag, windowFlags, windowQuery } from './strategy-flags.js';

const economics: Command = {
  name: 'economics',
  summary: 'Spend, reach, signups, activated customers, revenue, CAC, LTV/CAC and payback per promotion channel.',
  flags: {
    ...windowFlags,
    churn: { type: 'string', doc: 'Monthly churn for LTV (default 0.05).', placeholder: 'RATE' },
    horizon: { type: 'string', doc: 'Lifetime cap in months (default 36).', placeholder: 'MONTHS' },
  },
  async run(ctx) {
    const res = await callApi(ctx, promotionRoutes.economics, { query: { ...windowQuery(ctx.flags), monthlyChurn: numberFlag(ctx.flags, 'churn'), horizonMonths: numberFlag(ctx.flags, 'horizon') } });
    const rows = res.channels.map((c) => ({ ...c, cacMicros: c.economics.cacMicros, ltvMicros: c.economics.ltvMicros, ltvToCac: c.economics.ltvToCac, paybackMonths: c.economics.paybackMonths }));
    printRows(ctx, res, rows, ['promotionChannel', 'spendMicros', 'reach', 'signups', 'activatedCustomers', 'revenueMicros', 'cacMicros', 'ltvMicros', 'ltvToCac', 'paybackMonths']);
  },
};

const curves: Command = {
  name: 'curves',
  summary: 'Monthly spend/outcome history and a fitted saturating response curve per promotion channel.',
  flags: {
    ...windowFlags,
    model: { type: 'string', doc: 'negativeExponential (default) or hill.', placeholder: 'MODEL' },
    outcome: { type: 'string', doc: 'activated (default) or signups.', placeholder: 'OUTCOME' },
  },
  async run(ctx) {
    const res = await callApi(ctx, promotionRoutes.curves, { query: { ...windowQuery(ctx.flags), model: enumFlag<ResponseModel>(ctx.flags, 'model'), outcome: enumFlag<CurveOutcome>(ctx.flags, 'outcome') } });
    printRows(ctx, res, res.channels.map((c) => ({ promotionChannel: c.promotionChannel, params: c.curve ? JSON.stringify(c.curve.params) : null, rSquared: c.curve?.rSquared, error: c.error?.message })), ['promotionChannel', 'params', 'rSquared', 'error']);
  },
};

/** `search_ads` or `search_ads:MIN:MAX` (micro-units; either bound may be empty). */
function channelSpec(spec: string): { promotionChannel: string; minSpendMicros: number | undefined; maxSpendMicros: number | undefined } {
  const [promotionChannel = '', min, max] = spec.split(':');
  const bound = (v: string | undefined, what: string) => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--channel ${spec}: ${what} must be whole micro-units`);
    return n;
  };
  return { promotionChannel, minSpendMicros: bound(min, 'the minimum'), maxSpendMicros: bound(max, 'the maximum') };
}

const allocate: Command = {
  name: 'allocate',
  summary: 'Split a budget across promotion channels to maximise expected contribution margin.',
  flags: {
    ...windowFlags,
    budget: { type: 'string', doc: 'Total budget, micro-units.', placeholder: 'MICROS' },
    channel: { type: 'string', multiple: true, doc: 'A channel, optionally with bounds: search_ads:MIN:MAX (micro-units).', placeholder: 'SPEC' },
    'spend-all': { type: 'boolean', doc: 'Spend the whole budget even below break-even.' },
  },
  help: 'Curves are fitted to each channel\'s monthly history; the margin per activated customer is its measured LTV.',
  async run(ctx) {
    const totalBudgetMicros = integerFlag(ctx.flags, 'budget');
    if (totalBudgetMicros === undefined || totalBudgetMicros === null) throw new UsageError('missing --budget MICROS');
    const channels = listFlag(ctx.flags, 'channel').map(channelSpec);
    if (channels.length === 0) throw new UsageError('name at least one --channel');
    const res = await callApi(ctx, promotionRoutes.allocate, { body: { totalBudgetMicros, channels, spendAll: ctx.flags['spend-all'] === true, ...windowQuery(ctx.flags) } });
    printRows(ctx, res, res.channels, ['channelId', 'spendMicros', 'expectedOutcome', 'contributionMicros', 'marginalReturn', 'atBound']);
  },
};

/** `qudao promotion economics|curves|allocate` (through the running server's /api). */
export const promotionCommand: CommandGroup = { name: 'promotion', summary: 'Promotion channel selection: economics, response curves, budget allocation (推广渠道选择).', commands: [economics, curves, allocate] };
