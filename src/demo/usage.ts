import { priceOfTokens } from '../gateway/index.js';
import type { schema } from '../store/index.js';
import { plans } from './catalog.js';
import type { DemoClock } from './clock.js';
import type { SimCustomer } from './population.js';
import type { DemoRandom } from './random.js';
import type { ServedModel } from './served-models.js';

/** One ledger row, as the gateway writes it. */
export type DemoUsageRow = typeof schema.usageEvents.$inferInsert;

const planById = new Map<string, (typeof plans)[number]>(plans.map((p) => [p.id, p]));

/**
 * A day of calls: each living customer calls on a day with its engagement (less at weekends and in its
 * region's slow months), as many times as its intensity — which grows with the customer's age (expansion)
 * — with token counts, model mix, outcomes and money as the gateway would meter them.
 */
export class UsageDay {
  private requests = 0;

  constructor(
    private readonly random: DemoRandom,
    private readonly clock: DemoClock,
    private readonly seed: number,
    private readonly models: readonly ServedModel[],
  ) {}

  /** The rows of day `day` for the given customers, in time order. */
  rows(day: number, customers: readonly SimCustomer[]): DemoUsageRow[] {
    const weekend = this.clock.weekend(day);
    const month = this.clock.calendarMonth(day);
    const timed: { at: number; row: DemoUsageRow }[] = [];
    for (const c of customers) {
      const seasonal = c.slowMonths.includes(month) ? 0.6 : 1;
      if (!this.random.chance(c.engagement * seasonal * (weekend ? 0.45 : 1))) continue;
      const ageMonths = (day - c.acquiredDay) / 30;
      const calls = Math.max(1, this.random.poisson(c.intensity * Math.pow(c.expansion, ageMonths)));
      for (let i = 0; i < calls; i++) {
        const seconds = this.random.int(0, 86_399);
        timed.push({ at: seconds, row: this.call(c, this.clock.date(day, seconds)) });
      }
    }
    return timed.sort((a, b) => a.at - b.at).map((t) => t.row);
  }

  private call(c: SimCustomer, at: Date): DemoUsageRow {
    this.requests += 1;
    const model = this.random.weighted(this.models, (m) => m.mix[c.size]);
    const plan = planById.get(c.planId)!;
    const promptTokens = Math.min(30_000, Math.max(8, Math.round(this.random.logNormal(c.size === 'enterprise' ? 3000 : 1500, 0.8))));
    const wanted = Math.min(4_000, Math.max(1, Math.round(this.random.logNormal(400, 0.7))));
    const outcome = this.random.next();
    const status = outcome < 0.01 ? 'error' : outcome < 0.016 ? 'cancelled' : 'ok';
    const completionTokens = status === 'ok' ? wanted : status === 'cancelled' ? Math.floor(wanted * this.random.next()) : 0;
    const delivered = status === 'ok' || completionTokens > 0;
    const streamed = status === 'cancelled' || this.random.chance(0.4);
    return {
      requestId: `req_demo_${this.seed}_${String(this.requests).padStart(8, '0')}`,
      occurredAt: at, keyId: c.keyId, customerId: c.id, channelId: c.channelId, partnerId: c.partnerId, campaignId: c.campaignId,
      model: model.name, deploymentId: model.deploymentId, endpoint: this.random.chance(0.85) ? 'chat' : 'completions',
      promptTokens, completionTokens,
      latencyMs: Math.round(120 + completionTokens * model.msPerToken * this.random.between(0.8, 1.3)),
      status, httpStatus: status === 'error' ? 502 : 200, errorCode: status === 'error' ? 'QD_UPSTREAM_ERROR' : null, streamed,
      costMicros: priceOfTokens(promptTokens, completionTokens, model.costIn, model.costOut),
      priceMicros: delivered ? priceOfTokens(promptTokens, completionTokens, plan.input, plan.output) : 0,
    };
  }
}
