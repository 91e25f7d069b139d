import { and, asc, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import { found, QudaoError } from '../../errors/index.js';
import { newId, schema, uniquely, type Store } from '../../store/index.js';
import type { TimeWindow } from '../window.js';
import type { CreateCampaignInput, RecordSpendInput, UpdateCampaignInput } from '../../shared/contract/strategy/campaigns.js';

/** A campaign row, `promotionChannels` typed. */
export type Campaign = Omit<typeof schema.campaigns.$inferSelect, 'promotionChannels'> & { promotionChannels: string[] };
/** A spend row. */
export type SpendRow = typeof schema.spend.$inferSelect;

const asCampaign = (row: typeof schema.campaigns.$inferSelect): Campaign => ({ ...row, promotionChannels: row.promotionChannels as string[] });
const optionalDate = (v: string | null | undefined): Date | null | undefined => (v === undefined ? undefined : v === null ? null : new Date(v));

/** Campaign planning (营销活动策划): campaigns with goal, segment, promotion channels, budget, dates; and spend. */
export class CampaignService {
  constructor(private readonly store: Store) {}

  /** Campaigns, newest start first. */
  async listCampaigns(): Promise<Campaign[]> {
    return (await this.store.db.select().from(schema.campaigns).orderBy(desc(schema.campaigns.startsAt), asc(schema.campaigns.name))).map(asCampaign);
  }

  /** One campaign. */
  async getCampaign(id: string): Promise<Campaign> {
    const [row] = await this.store.db.select().from(schema.campaigns).where(eq(schema.campaigns.id, id));
    return asCampaign(found(row, `campaign ${id}`));
  }

  /** Creates a campaign; its segment must exist and it may not end before it starts. */
  async createCampaign(input: CreateCampaignInput): Promise<Campaign> {
    await this.checkSegment(input.segmentId);
    const startsAt = new Date(input.startsAt);
    const endsAt = optionalDate(input.endsAt) ?? null;
    checkDates(startsAt, endsAt);
    const [row] = await uniquely(`campaign "${input.name}"`, 'name', () =>
      this.store.db.insert(schema.campaigns).values({ ...input, id: newId('cmp'), startsAt, endsAt }).returning(),
    );
    return asCampaign(row!);
  }

  /** Changes a campaign. */
  async updateCampaign(id: string, input: UpdateCampaignInput): Promise<Campaign> {
    const current = await this.getCampaign(id);
    await this.checkSegment(input.segmentId);
    const startsAt = input.startsAt === undefined ? undefined : new Date(input.startsAt);
    const endsAt = optionalDate(input.endsAt);
    checkDates(startsAt ?? current.startsAt, endsAt === undefined ? current.endsAt : endsAt);
    const [row] = await uniquely(`campaign "${input.name ?? ''}"`, 'name', () =>
      this.store.db.update(schema.campaigns).set({ ...input, startsAt, endsAt }).where(eq(schema.campaigns.id, id)).returning(),
    );
    return asCampaign(row!);
  }

  /** Records spend on a promotion channel (and optionally a campaign and partner). */
  async recordSpend(input: RecordSpendInput): Promise<SpendRow> {
    if (input.campaignId) await this.getCampaign(input.campaignId).catch(() => invalid('campaignId', `no campaign ${input.campaignId}`));
    const [row] = await this.store.db.insert(schema.spend).values({ ...input, id: newId('spd'), spentOn: new Date(input.spentOn) }).returning();
    return row!;
  }

  /** Spend rows in the window, oldest first. */
  listSpend(window: TimeWindow, filter: { promotionChannel?: string | undefined; campaignId?: string | undefined } = {}): Promise<SpendRow[]> {
    const where: SQL[] = [gte(schema.spend.spentOn, window.from), lt(schema.spend.spentOn, window.to)];
    if (filter.promotionChannel) where.push(eq(schema.spend.promotionChannel, filter.promotionChannel));
    if (filter.campaignId) where.push(eq(schema.spend.campaignId, filter.campaignId));
    return this.store.db.select().from(schema.spend).where(and(...where)).orderBy(asc(schema.spend.spentOn));
  }

  private async checkSegment(segmentId: string | null | undefined): Promise<void> {
    if (!segmentId) return;
    const [s] = await this.store.db.select({ id: schema.segments.id }).from(schema.segments).where(eq(schema.segments.id, segmentId));
    if (!s) invalid('segmentId', `no segment ${segmentId}`);
  }
}

function invalid(param: string, why: string): never {
  throw new QudaoError('QD_INVALID_REQUEST', `${param}: ${why}`, { param });
}

function checkDates(startsAt: Date, endsAt: Date | null): void {
  if (endsAt && endsAt.getTime() < startsAt.getTime()) invalid('endsAt', 'must not be before startsAt');
}
