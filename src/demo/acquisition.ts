import { schema } from '../store/index.js';
import type { DemoClock } from './clock.js';
import type { Population } from './population.js';
import type { DemoRandom } from './random.js';
import type { World, WorldCampaign, WorldPartner } from './world.js';

/** Marketing rows of a stretch of days. */
export interface MarketingRows {
  spend: (typeof schema.spend.$inferInsert)[];
  touchpoints: (typeof schema.touchpoints.$inferInsert)[];
}

/** How many earlier visits a converting visitor made before the one that converted it (0–3), and how often. */
const EARLIER_VISITS = [{ n: 0, weight: 0.2 }, { n: 1, weight: 0.35 }, { n: 2, weight: 0.28 }, { n: 3, weight: 0.17 }] as const;

/**
 * The daily funnel: campaigns spend and draw visitors along tracked links (view → click → sometimes a
 * signup), partners bring leads at the rate of their tier, the brand draws organic signups that grow with
 * cumulative reach, and enterprise sales closes a few large accounts. A visitor who signs up has usually
 * met other campaigns on earlier days (see `earlierVisits`), so its journey has several touches across
 * promotion channels, days apart, and the attribution models disagree as they do in life.
 */
export class Acquisition {
  private pending: MarketingRows = { spend: [], touchpoints: [] };
  private visitors = 0;
  private touches = 0;
  /** Cumulative unique visitors so far: the brand's reach, which lifts organic signups. */
  private reach = 0;

  constructor(
    private readonly random: DemoRandom,
    private readonly clock: DemoClock,
    private readonly world: World,
    private readonly population: Population,
    private readonly scale: number,
  ) {}

  /** Runs day `day`'s funnel. */
  day(day: number): void {
    for (const c of this.world.campaigns) if (day >= c.firstDay && day <= c.lastDay) this.campaignDay(c, day);
    this.world.partners.forEach((p, i) => this.partnerDay(p, i, day));
    const growth = 1 + day / 365;
    const brand = 1 + Math.min(2, this.reach / 20_000);
    for (let k = this.random.poisson(0.35 * this.scale * growth * brand); k > 0; k--) {
      this.population.acquire({ day, channelId: this.world.directChannelId, partnerId: null, campaignId: null, segment: this.population.segmentFor(null, null) });
    }
    for (let k = this.random.poisson(0.04 * this.scale * growth); k > 0; k--) {
      this.population.acquire({ day, channelId: this.world.salesChannelId, partnerId: null, campaignId: null, segment: this.population.segmentFor(null, null, 'enterprise') });
    }
  }

  private campaignDay(c: WorldCampaign, day: number): void {
    const spend = Math.round(c.dailyMicros * this.random.between(0.8, 1.2) * (this.clock.weekend(day) ? 0.7 : 1));
    this.pending.spend.push({ id: `spd_demo_${c.id.slice(-2)}_${String(day).padStart(4, '0')}`, campaignId: c.id, promotionChannel: c.promotionChannel.id, partnerId: c.partnerId, spentOn: this.clock.date(day), amountMicros: spend, note: '' });
    const expected = 0.4 * this.scale * Math.pow(spend / c.promotionChannel.costPerVisitorMicros, c.promotionChannel.elasticity);
    const partner = c.partnerId ? this.world.partners.find((p) => p.id === c.partnerId) : undefined;
    for (let v = this.random.poisson(expected); v > 0; v--) {
      const visitor = this.visit(day, c.id, this.random.pick(c.linkIds), c.promotionChannel.id);
      if (!this.random.chance(c.promotionChannel.conversion * 2.5)) continue;
      const channelId = partner?.type === 'marketplace' ? partner.channelId : this.world.directChannelId;
      const customer = this.population.acquire({ day, channelId, partnerId: partner?.type === 'marketplace' ? partner.id : null, campaignId: c.id, segment: this.population.segmentFor([c.industry], c.region) });
      this.convert(visitor, day, c, customer.id);
      this.touch(visitor, day, c.id, null, c.promotionChannel.id, 'signup', customer.id);
    }
  }

  /** Partners onboard over the first months (the strongest first) and then bring leads at their tier's rate. */
  private partnerDay(p: WorldPartner, index: number, day: number): void {
    if (day < this.clock.dayOfMonthStart(Math.floor(index / 4))) return;
    for (let k = this.random.poisson((p.leadsPerMonth / 30) * this.scale); k > 0; k--) {
      const segment = this.population.segmentFor(p.industries, this.random.chance(0.7) ? p.region : null);
      const customer = this.population.acquire({ day, channelId: p.channelId, partnerId: p.id, campaignId: null, segment });
      if (p.type === 'referral') {
        const visitor = this.visit(day, null, `lnk_demo_ref_${p.id.slice(-2)}`, 'co_marketing');
        this.convert(visitor, day, null, customer.id);
        this.touch(visitor, day, null, `lnk_demo_ref_${p.id.slice(-2)}`, 'co_marketing', 'signup', customer.id);
      }
    }
  }

  /** A visitor's path before any signup: a view, and usually a click. Returns the visitor id. */
  private visit(day: number, campaignId: string | null, linkId: string, promotionChannel: string): string {
    this.visitors += 1;
    this.reach += 1;
    const visitor = `vis_demo_${String(this.visitors).padStart(7, '0')}`;
    this.touch(visitor, day, campaignId, linkId, promotionChannel, 'view', null);
    if (this.random.chance(0.6)) this.touch(visitor, day, campaignId, linkId, promotionChannel, 'click', null);
    return visitor;
  }

  /**
   * A visitor signs up as `customerId`: its touches of today are linked to the customer (as
   * TouchpointService.identify does), and the earlier visits of its journey are added.
   */
  private convert(visitor: string, day: number, converting: WorldCampaign | null, customerId: string): void {
    const today = this.pending.touchpoints;
    for (let i = today.length - 1; i >= 0 && today[i]!.visitorId === visitor; i--) today[i]!.customerId = customerId;
    this.earlierVisits(visitor, day, converting, customerId);
  }

  /**
   * 0–3 visits before the converting one, 1–14 days apart, each along a link of another campaign running
   * that day. Awareness channels (those that convert least: social, content) are likelier early in a journey,
   * so first-touch credit leans to them and last-touch credit to the channels that close.
   */
  private earlierVisits(visitor: string, day: number, converting: WorldCampaign | null, customerId: string): void {
    const visits = this.random.weighted(EARLIER_VISITS, (v) => v.weight).n;
    let at = day;
    for (let k = 0; k < visits; k++) {
      at -= this.random.int(1, 14);
      const running = at < 0 ? [] : this.world.campaigns.filter((c) => c !== converting && at >= c.firstDay && at <= c.lastDay);
      if (running.length === 0) return;
      const c = this.random.weighted(running, (x) => 1 / x.promotionChannel.conversion);
      this.touch(visitor, at, c.id, this.random.pick(c.linkIds), c.promotionChannel.id, this.random.chance(0.5) ? 'view' : 'click', customerId);
    }
  }

  private touch(visitorId: string, day: number, campaignId: string | null, linkId: string | null, promotionChannel: string, kind: string, customerId: string | null): void {
    this.touches += 1;
    this.pending.touchpoints.push({
      id: `tp_demo_${String(this.touches).padStart(8, '0')}`, visitorId, customerId, occurredAt: this.clock.date(day, 3600 * 6 + this.touches % 50_000),
      campaignId, linkId, promotionChannel, kind,
    });
  }

  /** Takes the rows gathered since the last call. */
  take(): MarketingRows {
    const out = this.pending;
    this.pending = { spend: [], touchpoints: [] };
    return out;
  }
}
