import type { Command, CommandGroup, FlagSpec } from '../command.js';
import { marketRoutes } from '../../shared/contract/strategy/market.js';
import { adminApiFlags, callApi, integerFlag, printRows, stringFlag } from './admin-api.js';
import { numberFlag } from './strategy-flags.js';

const columns = ['id', 'name', 'industry', 'region', 'companySize', 'accounts', 'annualPriceMicros', 'serviceableShare', 'adoptionRate', 'growthRate', 'willingnessToPay', 'competition', 'fit'];

const segmentFlags: Record<string, FlagSpec> = {
  ...adminApiFlags,
  industry: { type: 'string', doc: 'Industry, e.g. fintech.', placeholder: 'NAME' },
  region: { type: 'string', doc: 'Region, e.g. cn.', placeholder: 'NAME' },
  size: { type: 'string', doc: 'Company size, e.g. mid.', placeholder: 'NAME' },
  accounts: { type: 'string', doc: 'Number of target accounts.', placeholder: 'N' },
  price: { type: 'string', doc: 'Annual price per account, micro-units (1 unit = 1000000).', placeholder: 'MICROS' },
  serviceable: { type: 'string', doc: 'Share of accounts we can serve, 0..1 (SAM).', placeholder: 'RATE' },
  adoption: { type: 'string', doc: 'Share of serviceable accounts expected to adopt, 0..1 (SOM).', placeholder: 'RATE' },
  growth: { type: 'string', doc: 'Expected growth rate.', placeholder: 'RATE' },
  wtp: { type: 'string', doc: 'Willingness to pay (rating).', placeholder: 'N' },
  competition: { type: 'string', doc: 'Competitive intensity (rating; more is worse).', placeholder: 'N' },
  fit: { type: 'string', doc: 'Fit with our model\'s capabilities (rating).', placeholder: 'N' },
};

const createSegment: Command = {
  name: 'create',
  summary: 'Create a market segment (industry × region × company size).',
  args: [{ name: 'name', doc: 'Segment name (unique).' }],
  flags: segmentFlags,
  async run(ctx) {
    const f = ctx.flags;
    // Missing required fields are sent as absent; the server names them (QD_INVALID_REQUEST).
    const body = {
      name: ctx.positionals[0]!, industry: stringFlag(f, 'industry')!, region: stringFlag(f, 'region')!, companySize: stringFlag(f, 'size')!,
      accounts: integerFlag(f, 'accounts') ?? undefined, annualPriceMicros: integerFlag(f, 'price') ?? undefined,
      serviceableShare: numberFlag(f, 'serviceable'), adoptionRate: numberFlag(f, 'adoption'), growthRate: numberFlag(f, 'growth'),
      willingnessToPay: numberFlag(f, 'wtp'), competition: numberFlag(f, 'competition'), fit: numberFlag(f, 'fit'),
    };
    const row = await callApi(ctx, marketRoutes.createSegment, { body });
    printRows(ctx, row, [row], columns);
  },
};

const listSegments: Command = {
  name: 'list',
  summary: 'List market segments.',
  flags: adminApiFlags,
  async run(ctx) {
    const res = await callApi(ctx, marketRoutes.listSegments);
    printRows(ctx, res, res.data, columns);
  },
};

/** `qudao segments create|list` (through the running server's /api). */
export const segmentsCommand: CommandGroup = { name: 'segments', summary: 'Create and list market segments (目标市场).', commands: [createSegment, listSegments] };
