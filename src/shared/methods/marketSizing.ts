/**
 * Bottom-up market sizing: TAM, SAM and SOM built from account counts, not top-down shares of
 * an analyst's market figure. Per segment (industry × region × size):
 *
 *   TAM = accounts × annual price                         (every account, if all bought)
 *   SAM = accounts × serviceable share × annual price     (those our channels and product can serve)
 *   SOM = SAM × adoption rate                              (those we expect to win in the horizon)
 *
 * Source: the usual bottom-up convention (e.g. Blank & Dorf (2012), The Startup Owner's Manual,
 * on market size), with SOM = SAM × expected adoption. Money is integer micro-units,
 * rounded half away from zero per segment; totals are exact sums of the segment rows.
 */
import { toMicros, sumMicros } from './money.js';
import { requireCount, requireNonEmpty, requireRate, requireUniqueIds } from './validate.js';

/** A segment's inputs for bottom-up sizing. */
export interface MarketSegmentInput {
  id: string;
  /** Number of potential customer accounts in the segment (integer). */
  accounts: number;
  /** Share of those accounts our product, regions and channels can serve, 0..1. */
  serviceableShare: number;
  /** Share of serviceable accounts expected to adopt us within the planning horizon, 0..1. */
  adoptionRate: number;
  /** Expected annual revenue per account, integer micro-units. */
  annualPriceMicros: number;
}

/** Sizes of one segment (money in micro-units per year; accounts as expected counts). */
export interface MarketSegmentSize {
  id: string;
  tamMicros: number;
  samMicros: number;
  somMicros: number;
  serviceableAccounts: number;
  obtainableAccounts: number;
}

/** Result of {@link sizeMarket}: per-segment rows and their exact sums. */
export interface MarketSize {
  segments: MarketSegmentSize[];
  tamMicros: number;
  samMicros: number;
  somMicros: number;
  /** SOM / TAM, 0 when TAM is 0. */
  somShareOfTam: number;
}

function sizeSegment(s: MarketSegmentInput): MarketSegmentSize {
  requireCount(s.accounts, `accounts of segment "${s.id}"`);
  requireRate(s.serviceableShare, `serviceableShare of segment "${s.id}"`);
  requireRate(s.adoptionRate, `adoptionRate of segment "${s.id}"`);
  requireCount(s.annualPriceMicros, `annualPriceMicros of segment "${s.id}"`);
  const serviceableAccounts = s.accounts * s.serviceableShare;
  const obtainableAccounts = serviceableAccounts * s.adoptionRate;
  return {
    id: s.id,
    tamMicros: toMicros(s.accounts * s.annualPriceMicros, `TAM of segment "${s.id}"`),
    samMicros: toMicros(serviceableAccounts * s.annualPriceMicros, `SAM of segment "${s.id}"`),
    somMicros: toMicros(obtainableAccounts * s.annualPriceMicros, `SOM of segment "${s.id}"`),
    serviceableAccounts,
    obtainableAccounts,
  };
}

/**
 * Bottom-up TAM/SAM/SOM over segments.
 * @throws StrategyInputError `QD_INVALID_INPUT` on no segments, duplicate ids, non-integer
 *   accounts or prices, rates outside 0..1, or a total beyond the safe-integer range
 */
export function sizeMarket(segments: readonly MarketSegmentInput[]): MarketSize {
  requireNonEmpty(segments, 'segments');
  requireUniqueIds(segments.map((s) => s.id), 'segments');
  const rows = segments.map(sizeSegment);
  const tamMicros = sumMicros(rows.map((r) => r.tamMicros), 'TAM');
  const samMicros = sumMicros(rows.map((r) => r.samMicros), 'SAM');
  const somMicros = sumMicros(rows.map((r) => r.somMicros), 'SOM');
  return { segments: rows, tamMicros, samMicros, somMicros, somShareOfTam: tamMicros === 0 ? 0 : somMicros / tamMicros };
}
