import { schema } from '../store/index.js';
import { churnByChannelType, companySizes, nameParts, plans, regions } from './catalog.js';
import type { DemoClock } from './clock.js';
import type { DemoRandom } from './random.js';
import { sha256, type World, type WorldSegment } from './world.js';

/** A simulated customer: its rows' attribution and how it behaves. */
export interface SimCustomer {
  id: string;
  keyId: string;
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
  planId: string;
  size: (typeof companySizes)[number]['id'];
  slowMonths: readonly number[];
  acquiredDay: number;
  /** Monthly probability of leaving. */
  churnHazard: number;
  /** Probability of calling on a weekday. */
  engagement: number;
  /** Mean requests on an active day. */
  intensity: number;
  /** Monthly growth of intensity (expansion). */
  expansion: number;
  alive: boolean;
}

/** How a new customer arrived. */
export interface Arrival {
  day: number;
  channelId: string;
  partnerId: string | null;
  campaignId: string | null;
  segment: WorldSegment;
}

/** Rows written for the customers acquired in a stretch of days. */
/** The plan without a monthly fee that churned customers fall back to. */
const FREE_PLAN = 'plan_demo_starter';

export interface PopulationRows {
  customers: (typeof schema.customers.$inferInsert)[];
  keys: (typeof schema.apiKeys.$inferInsert)[];
  /** Plan history: each customer's plan from its acquisition, and the free plan from when it churned. */
  plans: (typeof schema.customerPlans.$inferInsert)[];
}

/**
 * Creates the customers of the simulation, one at a time, with deterministic ids and names; their rows
 * are gathered until the caller flushes them.
 */
export class Population {
  readonly alive: SimCustomer[] = [];
  readonly churned: string[] = [];
  private pending: PopulationRows = { customers: [], keys: [], plans: [] };
  private count = 0;

  constructor(
    private readonly random: DemoRandom,
    private readonly clock: DemoClock,
    private readonly world: World,
    private readonly seed: number,
    private readonly intensityScale: number,
  ) {}

  /** Picks a segment: one of the given industries and regions (any if none), weighted by attractiveness. */
  segmentFor(industries: readonly string[] | null, region: string | null, size: string | null = null): WorldSegment {
    const fits = this.world.segments.filter((s) => (!industries || industries.includes(s.industry)) && (!region || s.region === region) && (!size || s.size.id === size));
    return this.random.weighted(fits.length > 0 ? fits : this.world.segments, (s) => s.weight);
  }

  /** Adds a customer who arrived as described; returns it. */
  acquire(a: Arrival): SimCustomer {
    this.count += 1;
    const n = String(this.count).padStart(5, '0');
    const id = `cus_demo_${n}`;
    const channel = this.world.channels.find((c) => c.id === a.channelId)!;
    const size = a.segment.size;
    const resale = channel.type === 'reseller' || channel.type === 'oem';
    const planId = resale ? 'plan_demo_wholesale' : plans.find((p) => p.forSize === size.id)!.id;
    const at = this.clock.date(a.day, this.random.int(8 * 3600, 20 * 3600));
    const name = `${this.random.pick(nameParts.first)} ${this.random.pick(nameParts.second)} ${this.random.pick(nameParts.suffix)}`;
    this.pending.customers.push({
      id, name, email: `ops+${n}@${name.split(' ').slice(0, 2).join('').toLowerCase()}.example`, segmentId: a.segment.id, region: a.segment.region, companySize: size.id,
      acquiredChannelId: a.channelId, acquiredPartnerId: a.partnerId, acquiredCampaignId: a.campaignId, acquiredAt: at, status: 'active', meta: { demo: true }, createdAt: at,
    });
    const keyId = `key_demo_${n}`;
    this.pending.keys.push({
      id: keyId, prefix: `sk-qd-demo${n}`, keyHash: sha256(`qudao-demo:${this.seed}:${n}`), name: 'production', customerId: id, channelId: a.channelId,
      partnerId: channel.partnerId, planId, createdAt: at,
    });
    this.pending.plans.push({ id: `cpl_demo_${n}`, customerId: id, planId, startsAt: at, createdAt: at });
    const customer: SimCustomer = {
      id, keyId, channelId: a.channelId, partnerId: channel.partnerId ?? a.partnerId, campaignId: a.campaignId, planId, size: size.id,
      slowMonths: regions.find((r) => r.id === a.segment.region)?.slowMonths ?? [], acquiredDay: a.day,
      churnHazard: (churnByChannelType[channel.type] ?? 0.05) * (size.id === 'enterprise' ? 0.5 : 1) * (1.5 - a.segment.fit),
      engagement: Math.min(0.95, this.random.between(0.25, 0.75) + (size.id === 'enterprise' ? 0.2 : 0)),
      intensity: size.dailyRequests * this.intensityScale * this.random.logNormal(1, 0.5),
      expansion: 1 + this.random.between(-0.02, 0.08),
      alive: true,
    };
    this.alive.push(customer);
    return customer;
  }

  /** At a month's start, each living customer leaves with its churn hazard. */
  churnMonth(at: Date): void {
    for (const c of this.alive) {
      if (c.alive && this.random.chance(c.churnHazard)) {
        c.alive = false;
        this.churned.push(c.id);
        // A churned customer cancels its subscription: from then on it is on the free plan (no monthly fee).
        if (c.planId !== FREE_PLAN) this.pending.plans.push({ id: `cpl_demo_${c.id.slice('cus_demo_'.length)}_churn`, customerId: c.id, planId: FREE_PLAN, startsAt: at, createdAt: at });
      }
    }
    const still = this.alive.filter((c) => c.alive);
    this.alive.length = 0;
    this.alive.push(...still);
  }

  /** Takes the rows gathered since the last call. */
  take(): PopulationRows {
    const out = this.pending;
    this.pending = { customers: [], keys: [], plans: [] };
    return out;
  }

  /** Customers acquired so far. */
  get acquired(): number {
    return this.count;
  }
}
