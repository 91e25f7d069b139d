import type { Command, CommandGroup } from '../command.js';
import { marketRoutes, type MarketSizeReportAnswer } from '../../shared/contract/strategy/market.js';
import { callApi, printRows } from './admin-api.js';
import { listFlag, pairsFlag, windowFlags, windowQuery } from './strategy-flags.js';

type SegmentRow = MarketSizeReportAnswer['segments'][number];

/** An observed share as a table cell: a percentage, or which sizing input is too low when it would pass 100 %. */
function shareText(s: SegmentRow['observedShareOfSam']): string {
  if (s.exceedsSizing) return `exceeds sizing${s.exceedsSizing.ratio === null ? '' : ` ×${s.exceedsSizing.ratio.toFixed(1)}`}: raise ${s.exceedsSizing.input}`;
  return typeof s.share === 'number' ? `${(s.share * 100).toFixed(1)}%` : '-';
}

/** A segment row with its account-based shares of SAM and SOM as text. */
const withShareText = (r: SegmentRow) => ({ ...r, accountShareOfSam: shareText(r.observedShareOfSam), accountShareOfSom: shareText(r.observedShareOfSom) });

const sizeMarket: Command = {
  name: 'size',
  summary: 'TAM/SAM/SOM per segment, bottom-up, with the share the ledger already reaches.',
  flags: windowFlags,
  async run(ctx) {
    const res = await callApi(ctx, marketRoutes.marketSize, { query: windowQuery(ctx.flags) });
    printRows(ctx, res, [...res.segments.map(withShareText), { name: 'TOTAL', tamMicros: res.tamMicros, samMicros: res.samMicros, somMicros: res.somMicros }], ['name', 'tamMicros', 'samMicros', 'somMicros', 'observedCustomers', 'observedRevenueMicros', 'accountShareOfSam', 'accountShareOfSom']);
  },
};

const rankSegments: Command = {
  name: 'rank',
  summary: 'Rank segments by weighted sum and by TOPSIS (size, growth, willingnessToPay, competition, fit).',
  flags: {
    ...windowFlags,
    weight: { type: 'string', multiple: true, doc: 'Criterion weight, e.g. --weight size=3 (all five; default equal).', placeholder: 'KEY=N' },
    segment: { type: 'string', multiple: true, doc: 'Only these segment ids.', placeholder: 'ID' },
  },
  help: 'Example: npx qudao market rank --weight size=3 --weight growth=1 --weight willingnessToPay=2 --weight competition=1 --weight fit=3',
  async run(ctx) {
    const weights = pairsFlag(ctx.flags, 'weight');
    const segmentIds = listFlag(ctx.flags, 'segment');
    // The server checks that the five weights are named (QD_INVALID_REQUEST naming a missing or unknown one).
    const body = { ...(Object.keys(weights).length ? { weights: weights as { size: number; growth: number; willingnessToPay: number; competition: number; fit: number } } : {}), ...(segmentIds.length ? { segmentIds } : {}), ...windowQuery(ctx.flags) };
    const res = await callApi(ctx, marketRoutes.rankSegments, { body });
    const rankOf = (ranking: { id: string; rank: number }[], id: string) => ranking.find((r) => r.id === id)?.rank;
    const rows = res.segments.map((s, i) => ({ name: s.name, weightedSum: res.weightedSum.scores[i]!.toFixed(4), wsRank: rankOf(res.weightedSum.ranking, s.id), topsis: res.topsis.scores[i]!.toFixed(4), topsisRank: rankOf(res.topsis.ranking, s.id) }));
    printRows(ctx, res, rows.sort((a, b) => (a.topsisRank ?? 0) - (b.topsisRank ?? 0)), ['name', 'weightedSum', 'wsRank', 'topsis', 'topsisRank']);
  },
};

/** `qudao market size|rank` (through the running server's /api). */
export const marketCommand: CommandGroup = { name: 'market', summary: 'Market positioning: TAM/SAM/SOM and segment ranking (市场定位).', commands: [sizeMarket, rankSegments] };
