import { createHash } from 'node:crypto';
import { defaultChannelTypes } from '../channels/index.js';
import { defaultOnboarding, TierService, type TierRequirements } from '../partners/index.js';
import { schema, type Database, type Store } from '../store/index.js';
import { campaigns, companySizes, industries, partners, plans, promotionChannels, regions, tiers } from './catalog.js';
import type { DemoClock } from './clock.js';
import type { DemoRandom } from './random.js';

/** A segment the simulation acquires customers in. */
export interface WorldSegment { id: string; industry: string; region: string; size: (typeof companySizes)[number]; weight: number; fit: number }
/** A channel and who owns it. */
export interface WorldChannel { id: string; type: string; partnerId: string | null }
/** A partner, its tier and the channel it owns. */
export interface WorldPartner { id: string; type: string; region: string; industries: readonly string[]; channelId: string; leadsPerMonth: number; shareBps: number }
/** A campaign with its days, budget and tracked links. */
export interface WorldCampaign {
  id: string; promotionChannel: (typeof promotionChannels)[number]; industry: string; region: string; segmentId: string;
  firstDay: number; lastDay: number; dailyMicros: number; partnerId: string | null; linkIds: string[];
}

/** Everything the daily simulation draws on. */
export interface World {
  segments: WorldSegment[];
  channels: WorldChannel[];
  partners: WorldPartner[];
  campaigns: WorldCampaign[];
  /** The self-serve web channel and the enterprise sales channel. */
  directChannelId: string;
  salesChannelId: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');

/** A stable SHA-256 hex of a string (key hashes of demo keys). */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

function buildSegments(random: DemoRandom, at: Date): { world: WorldSegment[]; rows: (typeof schema.segments.$inferInsert)[] } {
  const world: WorldSegment[] = [];
  const rows: (typeof schema.segments.$inferInsert)[] = [];
  for (const ind of industries) {
    for (const reg of regions) {
      for (const size of companySizes) {
        const id = `seg_demo_${ind.id}_${reg.id.toLowerCase()}_${size.id}`;
        const accounts = Math.round(size.accounts * reg.weight * random.between(0.6, 1.4));
        const competition = random.between(0.2, 0.9);
        rows.push({
          id, name: `${ind.name} · ${reg.name} · ${size.name}`, industry: ind.id, region: reg.id, companySize: size.id, accounts,
          growthRate: Number((ind.growth * random.between(0.7, 1.3)).toFixed(3)),
          annualPriceMicros: Math.round(size.annualPriceMicros * ind.priceFactor), willingnessToPay: Number(random.between(0.3, 0.95).toFixed(2)),
          competition: Number(competition.toFixed(2)), fit: ind.fit, adoptionRate: Number(random.between(0.01, 0.06).toFixed(3)),
          serviceableShare: Number(random.between(0.4, 0.9).toFixed(2)), createdAt: at,
        });
        world.push({ id, industry: ind.id, region: reg.id, size, weight: reg.weight * size.weight * ind.fit * (1.2 - competition), fit: ind.fit });
      }
    }
  }
  return { world, rows };
}

/**
 * A tier's requirements at the demo's scale: revenue and active customers grow with the call and acquisition
 * rates (rounded to a cent and to a whole customer, at least one); certified staff does not.
 */
export function scaledRequirements(requirements: TierRequirements, scale: number): TierRequirements {
  const out: TierRequirements = { ...requirements };
  if (out.minMonthlyRevenueMicros !== undefined) out.minMonthlyRevenueMicros = Math.max(10_000, Math.round((out.minMonthlyRevenueMicros * scale) / 10_000) * 10_000);
  if (out.minActiveCustomers !== undefined) out.minActiveCustomers = Math.max(1, Math.round(out.minActiveCustomers * scale));
  return out;
}

/** Tiers (through the TierService, as the API creates them), partners owning a channel each, agreements, the two direct channels. */
async function insertPartners(store: Store, random: DemoRandom, at: Date, scale: number): Promise<{ partners: WorldPartner[]; channels: WorldChannel[] }> {
  const db = store.db;
  const tierService = new TierService(store);
  for (const t of tiers) await tierService.createTier({ name: t.name, rank: t.rank, requirements: scaledRequirements(t.requirements, scale), benefits: { ...t.benefits, revenueShareBps: t.shareBps, discountBps: t.discountBps } }, { id: t.id });
  const world: WorldPartner[] = [];
  const channels: WorldChannel[] = [
    { id: 'ch_demo_web', type: 'direct', partnerId: null },
    { id: 'ch_demo_sales', type: 'direct', partnerId: null },
  ];
  const channelRows: (typeof schema.channels.$inferInsert)[] = [
    { id: 'ch_demo_web', name: 'Self-serve web', type: 'direct', defaultPlanId: 'plan_demo_starter', createdAt: at },
    { id: 'ch_demo_sales', name: 'Enterprise sales', type: 'direct', defaultPlanId: 'plan_demo_enterprise', createdAt: at },
  ];
  for (const [i, p] of partners.entries()) {
    const id = `par_demo_${pad(i + 1)}`;
    const tier = tiers.find((t) => t.rank === p.rank)!;
    const channelId = `ch_demo_${slug(p.name)}`;
    const marginKind = defaultChannelTypes.find((t) => t.id === p.type)?.defaultMarginKind ?? 'none';
    const resale = marginKind === 'wholesale_discount';
    await db.insert(schema.partners).values({
      id, name: p.name, type: p.type, region: p.region, segments: [...p.industries], tierId: tier.id, certifiedStaff: tier.certifiedStaff + random.int(0, 3),
      // The manual items are ticked; the automatic ones follow the facts whatever is stored, so they stay as the default.
      onboarding: defaultOnboarding.map((o) => (o.auto ? { ...o } : { ...o, done: true, doneAt: at.toISOString() })), createdAt: at,
    });
    await db.insert(schema.agreements).values({
      id: `agr_demo_${pad(i + 1)}`, partnerId: id, revenueShareBps: resale ? 0 : tier.shareBps, discountBps: resale ? tier.discountBps : 0,
      minCommitMicros: tier.rank * 1_000_000_000, sla: { maxErrorRateBps: tier.rank >= 3 ? 200 : 500 }, startsAt: at, createdAt: at,
    });
    channelRows.push({ id: channelId, name: `${p.name} (${p.type.replace('_', ' ')})`, type: p.type, ownerPartnerId: id, defaultPlanId: resale ? 'plan_demo_wholesale' : 'plan_demo_pro', marginKind, marginBps: resale ? tier.discountBps : tier.shareBps, createdAt: at });
    channels.push({ id: channelId, type: p.type, partnerId: id });
    world.push({ id, type: p.type, region: p.region, industries: p.industries, channelId, leadsPerMonth: tier.monthlyLeads, shareBps: resale ? 0 : tier.shareBps });
  }
  await db.insert(schema.channels).values(channelRows);
  return { partners: world, channels };
}

function buildCampaigns(clock: DemoClock, world: { partners: WorldPartner[]; segments: WorldSegment[] }): { campaigns: WorldCampaign[]; rows: (typeof schema.campaigns.$inferInsert)[]; links: (typeof schema.links.$inferInsert)[] } {
  const out: WorldCampaign[] = [];
  const rows: (typeof schema.campaigns.$inferInsert)[] = [];
  const links: (typeof schema.links.$inferInsert)[] = [];
  for (const [i, c] of campaigns.entries()) {
    const firstDay = clock.dayOfMonthStart(c.startMonth);
    if (firstDay >= clock.days) continue;
    const lastDay = Math.min(clock.days - 1, clock.dayOfMonthStart(c.startMonth + c.months) - 1);
    const id = `cmp_demo_${pad(i + 1)}`;
    const partnerIndex = 'partner' in c ? partners.findIndex((p) => p.name === c.partner) : -1;
    const partnerId = partnerIndex >= 0 ? world.partners[partnerIndex]!.id : null;
    const segmentId = world.segments.find((s) => s.industry === c.industry && s.region === c.region && s.size.id === 'mid')!.id;
    const linkIds = [`lnk_demo_${pad(i + 1)}a`, `lnk_demo_${pad(i + 1)}b`];
    const budget = c.dailyMicros * (lastDay - firstDay + 1);
    rows.push({ id, name: c.name, goal: c.channel === 'events' || c.channel === 'content' ? 'awareness' : 'signups', segmentId, promotionChannels: [c.channel], budgetMicros: budget, startsAt: clock.date(firstDay), endsAt: clock.date(lastDay + 1), status: lastDay + 1 >= clock.days ? 'active' : 'ended', createdAt: clock.date(firstDay) });
    for (const [j, linkId] of linkIds.entries()) links.push({ id: linkId, code: `${slug(c.name).slice(0, 24)}_${j + 1}`, campaignId: id, partnerId, promotionChannel: c.channel, targetUrl: `https://qudao.example/signup?utm_campaign=${id}&v=${j + 1}`, createdAt: clock.date(firstDay) });
    out.push({ id, promotionChannel: promotionChannels.find((p) => p.id === c.channel)!, industry: c.industry, region: c.region, segmentId, firstDay, lastDay, dailyMicros: c.dailyMicros, partnerId, linkIds });
  }
  return { campaigns: out, rows, links };
}

/**
 * Inserts the demo's reference data — channel types, plans, segments, tiers, partners with
 * agreements and channels, campaigns and tracked links — with ids and timestamps derived from the seed and
 * the clock only, so the same seed writes the same rows.
 */
export async function createWorld(store: Store, random: DemoRandom, clock: DemoClock, scale = 1): Promise<World> {
  const db: Database = store.db;
  const at = clock.date(0);
  await db.insert(schema.channelTypes).values(defaultChannelTypes.map((t) => ({ ...t }))).onConflictDoNothing();
  await db.insert(schema.pricePlans).values(plans.map((p) => ({ id: p.id, name: p.name, inputPer1mMicros: p.input, outputPer1mMicros: p.output, monthlyFeeMicros: p.fee, rpmLimit: p.rpm, createdAt: at })));
  const segments = buildSegments(random, at);
  await db.insert(schema.segments).values(segments.rows);
  const { partners: worldPartners, channels } = await insertPartners(store, random, at, scale);
  const built = buildCampaigns(clock, { partners: worldPartners, segments: segments.world });
  if (built.rows.length > 0) await db.insert(schema.campaigns).values(built.rows);
  if (built.links.length > 0) await db.insert(schema.links).values(built.links);
  const referralLinks = worldPartners.filter((p) => p.type === 'referral').map((p) => ({ id: `lnk_demo_ref_${p.id.slice(-2)}`, code: `ref_${p.id.slice(-2)}`, partnerId: p.id, promotionChannel: 'co_marketing', targetUrl: `https://qudao.example/signup?ref=${p.id}`, createdAt: at }));
  await db.insert(schema.links).values(referralLinks);
  return { segments: segments.world, channels, partners: worldPartners, campaigns: built.campaigns, directChannelId: 'ch_demo_web', salesChannelId: 'ch_demo_sales' };
}
