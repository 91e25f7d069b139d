import type { MethodPool } from '../compute/method-pool.js';
import type { AttributionComparison } from '../../shared/methods/index.js';
import type { Store } from '../../store/index.js';
import { windowParams, type TimeWindow } from '../window.js';
import { buildConversionPaths, type PathTouchpoint } from './conversion-paths.js';
import type { AttributionKey } from '../../shared/contract/strategy/campaigns.js';

/** `GET /api/attribution`: the six models side by side, with the path counts behind them. */
export interface AttributionReport extends AttributionComparison {
  from: string;
  to: string;
  by: AttributionKey;
  /** Display names of the credited keys (campaign names; promotion channels name themselves). */
  labels: Record<string, string>;
  convertingPaths: number;
  nonConvertingPaths: number;
  unattributedCustomers: number;
}

/** An empty comparison, for a window with no attributable path (the methods refuse empty input). */
function emptyComparison(): AttributionComparison {
  return { totalConversions: 0, totalRevenueMicros: 0, channels: [], models: [], markov: null };
}

/**
 * Attribution of customers and their ledger revenue to promotion channels or campaigns: first touch, last
 * touch, linear, time decay, position based (40/20/40) and Markov removal effect, side by side. Paths are
 * built as described in conversion-paths.ts.
 */
export class AttributionService {
  constructor(private readonly store: Store, private readonly methods: MethodPool) {}

  /** Runs every model over the paths of the window. */
  async attribute(window: TimeWindow, by: AttributionKey, halfLifeDays?: number): Promise<AttributionReport> {
    const [from, to] = windowParams(window);
    const [touchpoints, customers, revenue, campaigns] = await Promise.all([
      this.store.query<{ id: string; visitor_id: string; customer_id: string | null; occurred_at: Date | string; campaign_id: string | null; promotion_channel: string | null; kind: string }>(
        // Every touch of the journeys that may convert or end in the window: a visitor or customer with a
        // touch since `from`, or a customer acquired in the window; their earlier and later touches come too
        // (conversion-paths.ts keeps a journey only if it converts or ends in [from, to)).
        `SELECT id, visitor_id, customer_id, occurred_at, campaign_id, promotion_channel, kind FROM touchpoints
          WHERE visitor_id IN (SELECT visitor_id FROM touchpoints WHERE occurred_at >= $1)
             OR customer_id IN (SELECT customer_id FROM touchpoints WHERE occurred_at >= $1 AND customer_id IS NOT NULL)
             OR customer_id IN (SELECT id FROM customers WHERE acquired_at >= $1 AND acquired_at < $2)
             OR visitor_id IN (SELECT visitor_id FROM touchpoints WHERE customer_id IN (SELECT id FROM customers WHERE acquired_at >= $1 AND acquired_at < $2))`,
        [from, to],
      ),
      this.store.query<{ id: string; acquired_at: Date | string }>(`SELECT id, acquired_at FROM customers WHERE id IN (SELECT customer_id FROM touchpoints WHERE customer_id IS NOT NULL)`),
      this.store.query<{ customer_id: string; revenue: string }>(
        `SELECT customer_id, coalesce(sum(price_micros), 0)::text AS revenue FROM usage_events
          WHERE customer_id IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2 GROUP BY customer_id`,
        [from, to],
      ),
      this.store.query<{ id: string; name: string }>(`SELECT id, name FROM campaigns`),
    ]);
    const rows: PathTouchpoint[] = touchpoints.map((t) => ({ id: t.id, visitorId: t.visitor_id, customerId: t.customer_id, occurredAt: new Date(t.occurred_at), campaignId: t.campaign_id, promotionChannel: t.promotion_channel, kind: t.kind }));
    const built = buildConversionPaths(rows, customers.map((c) => ({ id: c.id, acquiredAt: new Date(c.acquired_at) })), new Map(revenue.map((r) => [r.customer_id, Number(r.revenue)])), by, window);
    const comparison = built.paths.length === 0 ? emptyComparison() : await this.methods.run('compareAttributionModels', built.paths, halfLifeDays === undefined ? {} : { halfLifeDays });
    const names = new Map(campaigns.map((c) => [c.id, c.name]));
    return {
      ...comparison,
      from, to, by,
      labels: Object.fromEntries(comparison.channels.map((k) => [k, by === 'campaign' ? names.get(k) ?? k : k])),
      convertingPaths: built.customerIds.length,
      nonConvertingPaths: built.paths.length - built.customerIds.length,
      unattributedCustomers: built.unattributedCustomers,
    };
  }
}
