import {
  StrategyInputError, fitResponseCurve,
  type BudgetAllocation, type ChannelBudgetInput, type FittedResponseCurve, type ResponseCurve, type ResponseModel, type SpendObservation,
} from '../../shared/methods/index.js';
import type { Store } from '../../store/index.js';
import type { MethodPool } from '../compute/method-pool.js';
import { windowParams, type TimeWindow } from '../window.js';
import { ACQUISITION_CHANNEL_SQL, withEconomics, type EconomicsService } from './economics-service.js';
import type { AllocateInput, CurveOutcome, EconomicsAssumptions } from '../../shared/contract/strategy/promotion.js';

/** One calendar month (UTC) of a channel's history. */
export interface MonthlyObservation extends SpendObservation {
  /** `YYYY-MM`. */
  month: string;
}

/** A channel's history and its fitted curve, or why it could not be fitted. */
export interface ChannelResponse {
  promotionChannel: string;
  observations: MonthlyObservation[];
  curve: FittedResponseCurve | null;
  /** Why no curve: the catalogued code and message (e.g. QD_FIT_DEGENERATE: too few spend levels). */
  error: { code: string; message: string } | null;
}

/** `GET /api/promotion/curves`. */
export interface ResponseCurvesReport {
  from: string;
  to: string;
  model: ResponseModel;
  outcome: CurveOutcome;
  channels: ChannelResponse[];
}

/** `POST /api/promotion/allocate`: the allocation and what each channel's curve and margin were. */
export interface AllocationReport extends BudgetAllocation {
  inputs: (ChannelBudgetInput & { curveSource: 'given' | 'fitted'; marginSource: 'given' | 'ltv' })[];
}

/** Calendar months `YYYY-MM` overlapping `[from, to)`. */
export function monthsOf(window: TimeWindow): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(window.from.getUTCFullYear(), window.from.getUTCMonth(), 1));
  while (d.getTime() < window.to.getTime()) {
    out.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}

/** Prefixes a strategy error's message with the channel, keeping its code. */
function forChannel(channel: string, err: unknown): unknown {
  return err instanceof StrategyInputError ? new StrategyInputError(err.code, `promotion channel ${channel}: ${err.message}`) : err;
}

/**
 * Response curves and budget allocation over the ledger: monthly (spend, outcome) history per promotion
 * channel — outcome = customers acquired through it that month (`signups`) or those of them with ledger
 * revenue (`activated`) — a saturating curve fitted to it, and the allocator that maximises expected
 * contribution margin (margin per outcome × curve − spend) within per-channel bounds.
 */
export class ResponseService {
  constructor(private readonly store: Store, private readonly economics: EconomicsService, private readonly methods: MethodPool) {}

  /** Monthly history and a fitted curve per promotion channel with spend or customers in the window. */
  async curves(window: TimeWindow, model: ResponseModel, outcome: CurveOutcome): Promise<ResponseCurvesReport> {
    const history = await this.history(window, outcome);
    const channels = [...history.entries()].map(([promotionChannel, observations]): ChannelResponse => {
      try {
        return { promotionChannel, observations, curve: fitResponseCurve(observations, model), error: null };
      } catch (err) {
        if (!(err instanceof StrategyInputError)) throw err;
        return { promotionChannel, observations, curve: null, error: { code: err.code, message: err.message } };
      }
    });
    return { from: window.from.toISOString(), to: window.to.toISOString(), model, outcome, channels };
  }

  /**
   * Splits the budget. Curves not given are fitted to the channel's history (QD_FIT_DEGENERATE naming the
   * channel when its history cannot determine one); margins not given are the channel's LTV per activated
   * customer (for `signups`, times its activation rate).
   * @throws QD_BUDGET_INFEASIBLE when the bounds cannot meet the budget
   */
  async allocate(window: TimeWindow, input: AllocateInput): Promise<AllocationReport> {
    const history = await this.history(window, input.outcome);
    const facts = new Map((await this.economics.facts(window)).map((f) => [f.promotionChannel, f]));
    const assumptions: EconomicsAssumptions = { monthlyChurn: input.monthlyChurn, horizonMonths: input.horizonMonths };
    const inputs = input.channels.map((c) => {
      const curve: ResponseCurve = c.curve ?? fitted(c.promotionChannel, history.get(c.promotionChannel) ?? [], input.model);
      const margin = c.marginPerOutcomeMicros ?? ltvMargin(c.promotionChannel, facts.get(c.promotionChannel), assumptions, input.outcome);
      return {
        channelId: c.promotionChannel, curve, marginPerOutcomeMicros: margin,
        ...(c.minSpendMicros === undefined ? {} : { minSpendMicros: c.minSpendMicros }),
        ...(c.maxSpendMicros === undefined ? {} : { maxSpendMicros: c.maxSpendMicros }),
        curveSource: c.curve ? ('given' as const) : ('fitted' as const),
        marginSource: c.marginPerOutcomeMicros === undefined ? ('ltv' as const) : ('given' as const),
      };
    });
    return { ...(await this.methods.run('allocateBudget', input.totalBudgetMicros, inputs, { spendAll: input.spendAll })), inputs };
  }

  /** Monthly observations per channel, every month of the window present (zeros included). */
  private async history(window: TimeWindow, outcome: CurveOutcome): Promise<Map<string, MonthlyObservation[]>> {
    const p = windowParams(window);
    const [spend, customers] = await Promise.all([
      this.store.query<{ c: string; m: string; v: string }>(
        `SELECT promotion_channel AS c, to_char(spent_on AT TIME ZONE 'UTC', 'YYYY-MM') AS m, sum(amount_micros)::text AS v
           FROM spend WHERE spent_on >= $1 AND spent_on < $2 GROUP BY 1, 2`, p),
      this.store.query<{ c: string; m: string; v: string }>(
        `SELECT a.promotion_channel AS c, to_char(cu.acquired_at AT TIME ZONE 'UTC', 'YYYY-MM') AS m, count(*)::text AS v
           FROM (${ACQUISITION_CHANNEL_SQL}) a JOIN customers cu ON cu.id = a.customer_id
          WHERE cu.acquired_at >= $1 AND cu.acquired_at < $2
            ${outcome === 'activated' ? 'AND EXISTS (SELECT 1 FROM usage_events u WHERE u.customer_id = cu.id AND u.price_micros > 0 AND u.occurred_at < $2)' : ''}
          GROUP BY 1, 2`, p),
    ]);
    const months = monthsOf(window);
    const out = new Map<string, MonthlyObservation[]>();
    const series = (c: string): MonthlyObservation[] => {
      let s = out.get(c);
      if (!s) out.set(c, (s = months.map((month) => ({ month, spendMicros: 0, outcome: 0 }))));
      return s;
    };
    for (const r of spend) { const o = series(r.c).find((x) => x.month === r.m); if (o) o.spendMicros = Number(r.v); }
    for (const r of customers) { const o = series(r.c).find((x) => x.month === r.m); if (o) o.outcome = Number(r.v); }
    return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}

function fitted(channel: string, observations: readonly SpendObservation[], model: ResponseModel): FittedResponseCurve {
  try {
    return fitResponseCurve(observations, model);
  } catch (err) {
    throw forChannel(channel, err);
  }
}

function ltvMargin(channel: string, facts: Parameters<typeof withEconomics>[0] | undefined, assumptions: EconomicsAssumptions, outcome: CurveOutcome): number {
  const ltv = facts ? withEconomics(facts, assumptions).economics.ltvMicros : null;
  if (!facts || ltv === null) throw new StrategyInputError('QD_INVALID_INPUT', `promotion channel ${channel}: no measured LTV in the window; give marginPerOutcomeMicros`);
  const perOutcome = outcome === 'activated' || facts.signups === 0 ? ltv : (ltv * facts.activatedCustomers) / facts.signups;
  return Math.round(perOutcome);
}
