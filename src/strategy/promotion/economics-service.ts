import { evaluatePromotionChannel, type FunnelStage, type PromotionChannelEconomics } from '../../shared/methods/index.js';
import type { Store } from '../../store/index.js';
import { windowParams, type TimeWindow } from '../window.js';
import type { EconomicsAssumptions } from '../../shared/contract/strategy/promotion.js';

/** The ledger and touchpoint facts of one promotion channel in a window. */
export interface PromotionChannelFacts {
  promotionChannel: string;
  /** Σ spend.amount_micros in the window. */
  spendMicros: number;
  /** Distinct visitors with a touchpoint on the channel in the window. */
  reach: number;
  /** Click touchpoints on the channel in the window. */
  clicks: number;
  /** Customers acquired in the window whose first touchpoint with a promotion channel was on this one. */
  signups: number;
  /** Of the signups, those with ledger revenue (price_micros > 0) before the window's end. */
  activatedCustomers: number;
  /** Ledger revenue (Σ price_micros) of the signups in the window. */
  revenueMicros: number;
  /** Ledger cost to serve (Σ cost_micros) of the signups in the window. */
  costToServeMicros: number;
  /** Σ over activated customers of the months from acquisition (or window start) to window end, each ≥ 1. */
  customerMonths: number;
}

/** Facts plus unit economics: CAC, LTV, LTV/CAC, payback, funnel conversion. */
export type PromotionChannelReport = PromotionChannelFacts & {
  arpaMicros: number;
  grossMargin: number;
  economics: PromotionChannelEconomics;
};

/** `GET /api/promotion/economics`. */
export interface PromotionEconomicsReport {
  from: string;
  to: string;
  assumptions: EconomicsAssumptions;
  channels: PromotionChannelReport[];
}

const MONTH_MS = 30.4375 * 86_400_000;

/** SQL: each customer's acquisition promotion channel = that of its earliest touchpoint carrying one. */
export const ACQUISITION_CHANNEL_SQL = `SELECT DISTINCT ON (t.customer_id) t.customer_id, t.promotion_channel
    FROM touchpoints t WHERE t.customer_id IS NOT NULL AND t.promotion_channel IS NOT NULL
   ORDER BY t.customer_id, t.occurred_at, t.id`;

/**
 * Promotion channel selection (推广渠道选择): per promotion channel, the spend, reach, signups, activated
 * customers, revenue, CAC, LTV/CAC and payback, all measured from spend rows, touchpoints and the ledger.
 *
 *   ARPA         = revenue / customer-months of the activated customers (integer micro-units)
 *   gross margin = 1 − cost to serve / revenue (0 without revenue)
 *   CAC          = spend / activated customers; LTV from ARPA, gross margin and the churn assumption
 *                  (methods/channelEconomics, Skok 2013)
 */
export class EconomicsService {
  constructor(private readonly store: Store) {}

  /** Every promotion channel seen in spend, touchpoints or links, with its economics. */
  async economics(window: TimeWindow, assumptions: EconomicsAssumptions): Promise<PromotionEconomicsReport> {
    const facts = await this.facts(window);
    return { from: window.from.toISOString(), to: window.to.toISOString(), assumptions, channels: facts.map((f) => withEconomics(f, assumptions)) };
  }

  /** The raw facts per promotion channel, sorted by channel id. */
  async facts(window: TimeWindow): Promise<PromotionChannelFacts[]> {
    const p = windowParams(window);
    const [spend, touches, customers] = await Promise.all([
      this.store.query<{ c: string; spend: string }>(`SELECT promotion_channel AS c, sum(amount_micros)::text AS spend FROM spend WHERE spent_on >= $1 AND spent_on < $2 GROUP BY 1`, p),
      this.store.query<{ c: string; reach: string; clicks: string }>(
        `SELECT promotion_channel AS c, count(DISTINCT visitor_id)::text AS reach, count(*) FILTER (WHERE kind = 'click')::text AS clicks
           FROM touchpoints WHERE promotion_channel IS NOT NULL AND occurred_at >= $1 AND occurred_at < $2 GROUP BY 1`, p),
      this.store.query<{ c: string; acquired_at: Date | string; revenue: string; cost: string; paid_before_end: boolean }>(
        `SELECT a.promotion_channel AS c, cu.acquired_at,
                coalesce((SELECT sum(price_micros) FROM usage_events u WHERE u.customer_id = cu.id AND u.occurred_at >= $1 AND u.occurred_at < $2), 0)::text AS revenue,
                coalesce((SELECT sum(cost_micros) FROM usage_events u WHERE u.customer_id = cu.id AND u.occurred_at >= $1 AND u.occurred_at < $2), 0)::text AS cost,
                EXISTS (SELECT 1 FROM usage_events u WHERE u.customer_id = cu.id AND u.price_micros > 0 AND u.occurred_at < $2) AS paid_before_end
           FROM (${ACQUISITION_CHANNEL_SQL}) a JOIN customers cu ON cu.id = a.customer_id
          WHERE cu.acquired_at >= $1 AND cu.acquired_at < $2`, p),
    ]);
    const out = new Map<string, PromotionChannelFacts>();
    const row = (c: string): PromotionChannelFacts => {
      let f = out.get(c);
      if (!f) out.set(c, (f = { promotionChannel: c, spendMicros: 0, reach: 0, clicks: 0, signups: 0, activatedCustomers: 0, revenueMicros: 0, costToServeMicros: 0, customerMonths: 0 }));
      return f;
    };
    for (const s of spend) row(s.c).spendMicros = Number(s.spend);
    for (const t of touches) Object.assign(row(t.c), { reach: Number(t.reach), clicks: Number(t.clicks) });
    for (const c of customers) addCustomer(row(c.c), c, window);
    return [...out.values()].sort((a, b) => (a.promotionChannel < b.promotionChannel ? -1 : 1));
  }
}

function addCustomer(f: PromotionChannelFacts, c: { acquired_at: Date | string; revenue: string; cost: string; paid_before_end: boolean }, window: TimeWindow): void {
  f.signups += 1;
  f.revenueMicros += Number(c.revenue);
  f.costToServeMicros += Number(c.cost);
  if (!c.paid_before_end) return;
  f.activatedCustomers += 1;
  const start = Math.max(new Date(c.acquired_at).getTime(), window.from.getTime());
  f.customerMonths += Math.max(1, (window.to.getTime() - start) / MONTH_MS);
}

/** Unit economics of one channel's facts (exported for the allocator's default margins). */
export function withEconomics(f: PromotionChannelFacts, assumptions: EconomicsAssumptions): PromotionChannelReport {
  const arpaMicros = f.customerMonths === 0 ? 0 : Math.max(0, Math.round(f.revenueMicros / f.customerMonths));
  const grossMargin = f.revenueMicros <= 0 ? 0 : Math.min(1, Math.max(0, 1 - f.costToServeMicros / f.revenueMicros));
  const funnel: FunnelStage[] = [{ stage: 'reach', count: f.reach }, { stage: 'signups', count: f.signups }, { stage: 'activated', count: f.activatedCustomers }];
  const monotone = funnel.every((s, i) => i === 0 || s.count <= funnel[i - 1]!.count);
  const economics = evaluatePromotionChannel({
    channelId: f.promotionChannel, spendMicros: f.spendMicros, newCustomers: f.activatedCustomers, arpaMicros, grossMargin,
    monthlyChurn: assumptions.monthlyChurn, horizonMonths: assumptions.horizonMonths, ...(monotone ? { funnel } : {}),
  });
  return { ...f, arpaMicros, grossMargin, economics };
}
