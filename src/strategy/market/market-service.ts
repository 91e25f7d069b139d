import {
  deriveAhpWeights, observedShares, scoreSegments, segmentDecisionProblem, sizeMarket,
  type AhpResult, type ObservedShare, type MarketSegmentSize, type SegmentAttributes, type SegmentScores, type SegmentWeights, type SensitivityResult,
} from '../../shared/methods/index.js';
import type { Store } from '../../store/index.js';
import { QudaoError } from '../../errors/index.js';
import type { MethodPool } from '../compute/method-pool.js';
import { STRATEGY_BOUNDS } from '../../shared/contract/strategy/common.js';
import { windowParams, type TimeWindow } from '../window.js';
import type { Segment, SegmentService } from './segment-service.js';

/** What the ledger already shows of a segment in the window. */
export interface ObservedSegmentReach {
  /** Distinct customers of the segment with at least one ledger row in the window. */
  observedCustomers: number;
  /** Ledger revenue (Σ price_micros) of the segment's customers in the window (an amount, not a share). */
  observedRevenueMicros: number;
  /** Observed customers ÷ serviceable accounts (basis: accounts); flagged instead when above 100 %. */
  observedShareOfSam: ObservedShare;
  /** Observed customers ÷ obtainable accounts (basis: accounts); flagged instead when above 100 %. */
  observedShareOfSom: ObservedShare;
}

/** One segment's bottom-up size and observed reach. */
export type SegmentMarketRow = MarketSegmentSize & ObservedSegmentReach & { name: string; accounts: number };

/** `GET /api/market/size`: TAM/SAM/SOM per segment with the observed reach, and exact totals. */
export interface MarketSizeReport {
  from: string;
  to: string;
  segments: SegmentMarketRow[];
  tamMicros: number;
  samMicros: number;
  somMicros: number;
  somShareOfTam: number;
  observedCustomers: number;
  observedRevenueMicros: number;
}

/** `POST /api/market/rank`: the same segments ranked by weighted sum and by TOPSIS, side by side. */
export interface SegmentRankingReport {
  weights: SegmentWeights;
  /** The AHP analysis when the weights came from a pairwise matrix. */
  ahp: AhpResult | null;
  /** The attribute values scored (size = SOM in currency units). */
  segments: (SegmentAttributes & { name: string })[];
  weightedSum: SegmentScores;
  topsis: SegmentScores;
  /** How far each weight can move before the TOPSIS winner changes. */
  sensitivity: SensitivityResult;
}

/** The order of the segment attributes in a pairwise matrix. */
export const SEGMENT_CRITERIA = ['size', 'growth', 'willingnessToPay', 'competition', 'fit'] as const;

/**
 * Weights from an AHP pairwise matrix over {@link SEGMENT_CRITERIA}.
 * @throws QD_AHP_INVALID_MATRIX or QD_AHP_INCONSISTENT (CR > 0.10, naming the judgements to revisit)
 */
export function segmentWeightsFromAhp(pairwise: readonly (readonly number[])[]): { weights: SegmentWeights; ahp: AhpResult } {
  const ahp = deriveAhpWeights(pairwise, { labels: SEGMENT_CRITERIA });
  const weights = Object.fromEntries(SEGMENT_CRITERIA.map((k, j) => [k, ahp.weights[j]!])) as SegmentWeights;
  return { weights, ahp };
}

/** Equal weights, the default when the caller gives none. */
export const EQUAL_SEGMENT_WEIGHTS: SegmentWeights = { size: 1, growth: 1, willingnessToPay: 1, competition: 1, fit: 1 };

/** Market positioning (市场定位): bottom-up sizing with observed reach, and segment ranking. */
export class MarketService {
  constructor(private readonly store: Store, private readonly segments: SegmentService, private readonly methods: MethodPool) {}

  /**
   * TAM/SAM/SOM per segment (accounts × serviceable share × adoption × annual price; see methods/marketSizing)
   * and the reach the ledger observes: customers whose `segment_id` is the segment and who have ledger rows
   * in the window, and their revenue. Shares of SAM and SOM count accounts on both sides (methods/observedShare).
   * @throws QD_INVALID_INPUT when there are no segments
   */
  async size(window: TimeWindow): Promise<MarketSizeReport> {
    const segments = await this.segments.listSegments();
    const size = sizeMarket(segments.map((s) => ({ id: s.id, accounts: s.accounts, serviceableShare: s.serviceableShare, adoptionRate: s.adoptionRate, annualPriceMicros: s.annualPriceMicros })));
    const reach = await this.observedReach(window);
    const rows = size.segments.map((m, i): SegmentMarketRow => {
      const s = segments[i]!;
      const r = reach.get(s.id) ?? { customers: 0, revenue: 0 };
      const shares = observedShares(r.customers, s, m);
      return {
        ...m, name: s.name, accounts: s.accounts,
        observedCustomers: r.customers,
        observedRevenueMicros: r.revenue,
        observedShareOfSam: shares.ofSam,
        observedShareOfSom: shares.ofSom,
      };
    });
    const { segments: _rows, ...totals } = size;
    return {
      from: window.from.toISOString(), to: window.to.toISOString(), segments: rows, ...totals,
      observedCustomers: rows.reduce((n, r) => n + r.observedCustomers, 0),
      observedRevenueMicros: rows.reduce((n, r) => n + r.observedRevenueMicros, 0),
    };
  }

  /**
   * Ranks segments on size (SOM), growth, willingness to pay, competition (a cost) and fit, by min-max
   * weighted sum and by TOPSIS, with the TOPSIS winner's weight sensitivity.
   * @throws QD_INVALID_INPUT on no segments, a weight ≤ 0 or an unknown segment id
   */
  async rank(window: TimeWindow, weights: SegmentWeights = EQUAL_SEGMENT_WEIGHTS, segmentIds?: readonly string[], ahp: AhpResult | null = null): Promise<SegmentRankingReport> {
    const [sized, all] = await Promise.all([this.size(window), this.segments.listSegments()]);
    const byId = new Map(all.map((s) => [s.id, s]));
    const rows = new Map(sized.segments.map((r) => [r.id, r]));
    const chosen = segmentIds ?? sized.segments.map((s) => s.id);
    if (chosen.length > STRATEGY_BOUNDS.alternatives) throw new QudaoError('QD_INVALID_INPUT', `segmentIds: rank at most ${STRATEGY_BOUNDS.alternatives} segments at once (there are ${chosen.length}); name them in segmentIds`, { param: 'segmentIds' });
    const attributes = chosen.map((id) => segmentAttributes(found(byId.get(id), id), rows.get(id)!));
    return {
      weights,
      ahp,
      segments: attributes,
      weightedSum: scoreSegments(attributes, weights, 'weightedSum'),
      topsis: scoreSegments(attributes, weights, 'topsis'),
      sensitivity: await this.methods.run('analyseWeightSensitivity', segmentDecisionProblem(attributes, weights), { method: 'topsis' }),
    };
  }

  private async observedReach(window: TimeWindow): Promise<Map<string, { customers: number; revenue: number }>> {
    const rows = await this.store.query<{ segment_id: string; customers: string; revenue: string }>(
      `SELECT c.segment_id, count(DISTINCT u.customer_id)::text AS customers, coalesce(sum(u.price_micros), 0)::text AS revenue
         FROM usage_events u JOIN customers c ON c.id = u.customer_id
        WHERE c.segment_id IS NOT NULL AND u.occurred_at >= $1 AND u.occurred_at < $2
        GROUP BY c.segment_id`,
      windowParams(window),
    );
    return new Map(rows.map((r) => [r.segment_id, { customers: Number(r.customers), revenue: Number(r.revenue) }]));
  }
}

function found(s: Segment | undefined, id: string): Segment {
  if (!s) throw new QudaoError('QD_INVALID_INPUT', `segmentIds: no segment ${id}`, { param: 'segmentIds' });
  return s;
}

/** The scoring attributes of a segment: size is its SOM in currency units (micro-units / 1e6). */
function segmentAttributes(s: Segment, sized: SegmentMarketRow): SegmentAttributes & { name: string } {
  return { id: s.id, name: s.name, size: sized.somMicros / 1_000_000, growth: s.growthRate, willingnessToPay: s.willingnessToPay, competition: s.competition, fit: s.fit };
}
